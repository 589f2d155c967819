/**
 * A detection session over a stream of raw records: one normalizer (so requests and responses
 * split across chunks still pair), the compiled engine, a state store and a sink. Used by
 * `replay`, `watch` and `tail`.
 */
import type { AlertOrigin } from '../engine/alerts/lifecycle.js';
import type { AlertSink } from '../engine/alerts/sink.js';
import type { Engine } from '../engine/compile.js';
import { Normalizer, type FormatChoice, type NormalizeStats, type RawLogRecord } from '../engine/events/normalize.js';
import { runBatch, runTick, type BatchOutcome } from '../engine/pipeline.js';
import { batchIdOf } from '../engine/process-records.js';
import type { StateStore } from '../engine/state/port.js';
import type { EngineEvent } from '../engine/events/engine-event.js';
import { unparsedReason, type UnparsedReason } from './unparsed-reason.js';

export interface SessionTotals {
  batches: number;
  events: number;
  findings: number;
  alerts: number;
  suppressed: number;
  stormSuppressed: number;
  shadowFindings: Record<string, number>;
  detectorErrors: Record<string, number>;
  stateWrites: number;
  latestEventTs: number;
}

export class DetectionSession {
  private readonly normalizer: Normalizer;
  readonly totals: SessionTotals = {
    batches: 0,
    events: 0,
    findings: 0,
    alerts: 0,
    suppressed: 0,
    stormSuppressed: 0,
    shadowFindings: {},
    detectorErrors: {},
    stateWrites: 0,
    latestEventTs: 0,
  };

  constructor(
    private readonly engine: Engine,
    private readonly store: StateStore,
    private readonly sink: AlertSink,
    format: FormatChoice = 'auto',
    /** Account and region stamped on alerts (--aws-account-id, --aws-region). */
    private readonly origin: AlertOrigin = {},
    /** Track the alert lifecycle (`--output asff|ocsf`). */
    private readonly lifecycle = false,
  ) {
    this.normalizer = new Normalizer({ format });
  }

  /** Why the skipped lines were not read, by reason (see unparsed-reason.ts). */
  readonly unparsedReasons: Partial<Record<UnparsedReason, number>> = {};

  get input(): NormalizeStats {
    return this.normalizer.stats;
  }

  /** Normalizes and runs one chunk of records as a batch. */
  async feed(records: readonly RawLogRecord[]): Promise<BatchOutcome | undefined> {
    const stats = this.normalizer.stats;
    for (const record of records) {
      const unparsedBefore = stats.unparsed;
      this.normalizer.push(record);
      if (stats.unparsed !== unparsedBefore && typeof record.message === 'string') {
        const reason = unparsedReason(record.message);
        this.unparsedReasons[reason] = (this.unparsedReasons[reason] ?? 0) + 1;
      }
    }
    const events = this.normalizer.drain();
    return this.run(batchIdOf(records), events);
  }

  /** End of input: requests that never got a response become calls without a result. */
  async finish(): Promise<BatchOutcome | undefined> {
    const events = this.normalizer.flush();
    return this.run(`flush:${this.totals.batches}:${this.totals.latestEventTs}`, events);
  }

  /** Scheduled detectors (telemetry gaps) evaluated at `now`. */
  async tick(now: number): Promise<BatchOutcome> {
    const outcome = await runTick(this.engine, now, { store: this.store, sink: this.sink, origin: this.origin, lifecycle: this.lifecycle });
    this.add(outcome);
    return outcome;
  }

  private async run(batchId: string, events: EngineEvent[]): Promise<BatchOutcome | undefined> {
    if (events.length === 0) return undefined;
    const outcome = await runBatch(this.engine, { batchId, events }, { store: this.store, sink: this.sink, origin: this.origin, lifecycle: this.lifecycle });
    for (const ev of events) if (ev.ts > this.totals.latestEventTs) this.totals.latestEventTs = ev.ts;
    this.add(outcome);
    return outcome;
  }

  private add(outcome: BatchOutcome): void {
    const t = this.totals;
    t.batches++;
    t.events += outcome.events;
    t.findings += outcome.findings;
    t.alerts += outcome.alerts.length;
    t.suppressed += outcome.suppressed;
    t.stormSuppressed += outcome.stormSuppressed;
    t.stateWrites += outcome.stateWrites;
    for (const [id, n] of Object.entries(outcome.shadowFindings)) t.shadowFindings[id] = (t.shadowFindings[id] ?? 0) + n;
    for (const [id, n] of Object.entries(outcome.detectorErrors)) t.detectorErrors[id] = (t.detectorErrors[id] ?? 0) + n;
  }
}
