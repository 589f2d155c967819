/**
 * One batch: events → detectors → state → alerts. The same code runs in the CLI (in-memory state,
 * alerts printed) and in Lambda (DynamoDB state, SNS alerts); only the ports differ.
 *
 * Order matters for exactly-once delivery: state is committed before any alert is published, and
 * each published alert is marked in the transaction, so a retried batch re-derives the same alerts
 * and publishes only those the failed attempt did not.
 */
import type { Alert, AlertRepeat } from './alerts/alert.js';
import { runAlertStage, type RawFinding } from './alerts/alert-stage.js';
import { runLifecycle, stampOrigin, type AlertOrigin } from './alerts/lifecycle.js';
import type { AlertSink } from './alerts/sink.js';
import { isUnpublishable, type UnpublishableAlert } from './alerts/unpublishable.js';
import type { CompiledDetector, Engine } from './compile.js';
import type { DetectorContext, Finding } from './detectors/detector.js';
import type { EngineEvent } from './events/engine-event.js';
import type { PublishOutcome, StateStore, StateTransaction } from './state/port.js';
import type { StateView } from './state/view.js';
import { serverStatsOf, type ServerStats } from './server-stats.js';
import { rulesRunner } from './rules/engine-rules.js';

/** Discovery passes before giving up on loading more keys (each pass can only reveal keys that depend on loaded values). */
const MAX_PASSES = 4;

export interface BatchInput {
  /** Deterministic per delivery: a redelivered batch has the same id. */
  readonly batchId: string;
  readonly events: readonly EngineEvent[];
}

export interface BatchOutcome {
  readonly batchId: string;
  readonly events: number;
  readonly findings: number;
  readonly findingsByDetector: Readonly<Record<string, number>>;
  /** Every finding of the final pass, before suppression and dedup (tests and `--explain`). */
  readonly findingList: readonly RawFinding[];
  /** Alerts this batch raised (published now, or by an earlier attempt of the same batch). */
  readonly alerts: readonly Alert[];
  /** Alerts published by this attempt (a retry skips those already published). */
  readonly published: number;
  /** Alerts that can never be published: isolated and reported, the rest were published. */
  readonly unpublishable?: readonly UnpublishableAlert[];
  readonly repeats: readonly AlertRepeat[];
  /** Lifecycle events of open incidents: updates by folded repeats, and resolutions. */
  readonly lifecycle?: readonly Alert[];
  readonly suppressed: number;
  readonly stormSuppressed: number;
  readonly shadowFindings: Readonly<Record<string, number>>;
  readonly detectorErrors: Readonly<Record<string, number>>;
  readonly stateWrites: number;
  readonly alreadyApplied: number;
  readonly passes: number;
  readonly servers: ReadonlyMap<string, ServerStats>;
}

export interface PipelineDeps {
  readonly store: StateStore;
  readonly sink: AlertSink;
  /** Account and region stamped on alerts (alerts/lifecycle.ts). @default none */
  readonly origin?: AlertOrigin;
  /**
   * Track incidents (status, updates of open incidents, resolutions) in state: what destinations
   * need. Costs up to three state writes per new incident and one per batch with repeats.
   * @default false (alerts carry no status)
   */
  readonly lifecycle?: boolean;
}

interface PassResult {
  readonly findings: RawFinding[];
  readonly errors: Record<string, number>;
}

class FindingCollector {
  readonly findings: RawFinding[] = [];
  readonly errors: Record<string, number> = {};
  /** Origin of the event being evaluated, attached to what detectors report. */
  origin: EngineEvent['origin'] | undefined;

  countError(compiled: CompiledDetector): void {
    this.countErrorOf(compiled.detector.meta.id);
  }

  countErrorOf(id: string): void {
    this.errors[id] = (this.errors[id] ?? 0) + 1;
  }
}

function makeContext(
  engine: Engine,
  compiled: CompiledDetector,
  view: StateView,
  collector: FindingCollector,
): DetectorContext<Record<string, unknown>> {
  return {
    settings: compiled.settings,
    prepared: compiled.prepared,
    config: engine.config,
    state: view,
    labels: engine.labels,
    report(finding: Finding): void {
      const origin = collector.origin;
      collector.findings.push(origin !== undefined ? { compiled, finding, origin } : { compiled, finding });
    },
  };
}

/**
 * The detectors of one event kind, resolved once per pass as parallel arrays (a monomorphic hot
 * loop: one shape, no per-call object to load).
 */
interface KindDispatch {
  readonly compiled: readonly CompiledDetector[];
  readonly detectors: readonly CompiledDetector['detector'][];
  readonly evaluates: readonly CompiledDetector['detector']['evaluate'][];
  readonly contexts: readonly DetectorContext<Record<string, unknown>>[];
}

function dispatchTable(engine: Engine, view: StateView, collector: FindingCollector): Map<string, KindDispatch> {
  const contexts = engine.detectors.map((compiled) => makeContext(engine, compiled, view, collector));
  const table = new Map<string, KindDispatch>();
  for (const [kind, detectors] of engine.byKind) {
    table.set(kind, {
      compiled: detectors,
      detectors: detectors.map((c) => c.detector),
      evaluates: detectors.map((c) => c.detector.evaluate),
      contexts: detectors.map((c) => contexts[c.index] as DetectorContext<Record<string, unknown>>),
    });
  }
  return table;
}

/**
 * Runs detectors `from`… of `calls` on one event; returns the index of a detector that threw
 * (counted by the caller), or -1 when all ran. The try sits outside the loop: one handler per
 * event instead of one per call.
 */
function runDetectors(calls: KindDispatch, ev: EngineEvent, from: number): number {
  const { detectors, evaluates, contexts } = calls;
  const n = evaluates.length;
  let i = from;
  try {
    for (; i < n; i++) (evaluates[i] as KindDispatch['evaluates'][number]).call(detectors[i], ev, contexts[i] as DetectorContext<Record<string, unknown>>);
    return -1;
  } catch {
    return i;
  }
}

function detectionPass(engine: Engine, events: readonly EngineEvent[], view: StateView): PassResult {
  const collector = new FindingCollector();
  const table = dispatchTable(engine, view, collector);
  const labels = engine.labels;
  const runRules = engine.rules && rulesRunner(engine.rules, view, {
    report: (compiled, finding) => collector.findings.push(collector.origin !== undefined ? { compiled, finding, origin: collector.origin } : { compiled, finding }),
    error: (id) => collector.countErrorOf(id),
  });
  labels.beginPass(view);
  try {
    for (const ev of events) {
      collector.origin = ev.origin;
      const event = ev.event;
      if (event.event === 'mcp.tools' && event.tools && event.server?.name !== undefined) {
        labels.recordAnnotations(event.server.name, event.tools, ev.ts, view);
      }
      runRules?.(ev);
      const calls = table.get(event.event);
      if (calls === undefined) continue;
      // A detector bug must not lose the batch: count it (metric DetectorErrors) and go on.
      for (let failed = runDetectors(calls, ev, 0); failed >= 0; failed = runDetectors(calls, ev, failed + 1)) {
        collector.countError(calls.compiled[failed] as CompiledDetector);
      }
    }
  } finally {
    labels.endPass();
  }
  return collector;
}

function tickPass(engine: Engine, now: number, view: StateView): PassResult {
  const collector = new FindingCollector();
  for (const compiled of engine.scheduled) {
    try {
      compiled.detector.tick?.(now, makeContext(engine, compiled, view, collector));
    } catch {
      collector.countError(compiled);
    }
  }
  return collector;
}

function latestTime(events: readonly EngineEvent[]): number {
  let latest = 0;
  for (const ev of events) if (ev.ts > latest) latest = ev.ts;
  return latest;
}

async function runInTransaction(
  engine: Engine,
  batchId: string,
  now: number,
  deps: PipelineDeps,
  pass: (view: StateView) => PassResult,
  events: readonly EngineEvent[],
): Promise<BatchOutcome> {
  const txn = await deps.store.begin(batchId, now);
  let result: PassResult = { findings: [], errors: {} };
  let stage: ReturnType<typeof runAlertStage> | undefined;
  let life: ReturnType<typeof runLifecycle> | undefined;
  let passes = 0;
  for (;;) {
    passes++;
    result = pass(txn.view);
    stage = runAlertStage(engine, result.findings, txn.view);
    life = deps.lifecycle === true ? runLifecycle(engine, stage, txn.view, now, deps.origin) : { alerts: stage.alerts.map((a) => stampOrigin(a, deps.origin)), events: [] };
    const missing = txn.unloadedKeys();
    if (missing.length === 0) break;
    if (passes >= MAX_PASSES) throw new Error(`state keys still unloaded after ${passes} passes: ${missing.slice(0, 5).join(', ')}`);
    await txn.load(missing);
  }
  const commit = await txn.commit(life.alerts);
  // A redelivery publishes what its first attempt raised (the outbox), not a re-derivation.
  const alerts = commit.alerts ?? life.alerts;
  let published = 0;
  const unpublishable: UnpublishableAlert[] = [];
  for (const alert of alerts) {
    const publish = () => deps.sink.publish(alert);
    const result = txn.publishOnce !== undefined ? await txn.publishOnce(alert, publish) : await publishMarked(txn, alert.fingerprint, publish);
    if (result.status === 'published') published++;
    else if (result.status === 'unpublishable') unpublishable.push({ fingerprint: alert.fingerprint, detector: alert.detector, reason: result.reason });
  }
  if (deps.sink.repeat) for (const r of stage.repeats) await deps.sink.repeat(r);
  if (deps.sink.lifecycle) for (const event of life.events) await deps.sink.lifecycle(event);
  const findingsByDetector: Record<string, number> = {};
  for (const f of result.findings) {
    const id = f.compiled.detector.meta.id;
    findingsByDetector[id] = (findingsByDetector[id] ?? 0) + 1;
  }
  return {
    batchId,
    events: events.length,
    findings: result.findings.length,
    findingsByDetector,
    findingList: result.findings,
    alerts,
    published,
    unpublishable,
    repeats: stage.repeats,
    lifecycle: life.events,
    suppressed: stage.suppressed,
    stormSuppressed: stage.stormSuppressed,
    shadowFindings: stage.shadow,
    detectorErrors: result.errors,
    stateWrites: commit.writes,
    alreadyApplied: commit.alreadyApplied,
    passes,
    servers: serverStatsOf(events),
  };
}

/** Publishing for stores without `publishOnce`: skip what is marked, isolate what can never be published. */
async function publishMarked(txn: StateTransaction, fingerprint: string, publish: () => Promise<void>): Promise<PublishOutcome> {
  if (txn.isPublished(fingerprint)) return { status: 'already' };
  try {
    await publish();
  } catch (error) {
    if (isUnpublishable(error)) return { status: 'unpublishable', reason: error.message };
    throw error;
  }
  await txn.markPublished(fingerprint);
  return { status: 'published' };
}

/** Runs one batch of events through the engine. Throws only when state or the sink fails. */
export function runBatch(engine: Engine, input: BatchInput, deps: PipelineDeps): Promise<BatchOutcome> {
  const now = latestTime(input.events);
  return runInTransaction(engine, input.batchId, now, deps, (view) => detectionPass(engine, input.events, view), input.events);
}

/**
 * Scheduled evaluation at `now` (from an injected clock) for detectors that alert on absence.
 * The batch id is derived from the minute, so a retried tick is idempotent.
 */
export function runTick(engine: Engine, now: number, deps: PipelineDeps): Promise<BatchOutcome> {
  const batchId = `tick:${Math.floor(now / 60_000)}`;
  return runInTransaction(engine, batchId, now, deps, (view) => tickPass(engine, now, view), []);
}
