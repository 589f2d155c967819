/**
 * Test harness: runs canonical events through the real pipeline (compiled engine, in-memory state,
 * collecting sink) and returns what came out. Detector tests assert on findings (before dedup) and
 * alerts (after dedup).
 */
import type { Alert } from '../../functions/engine/alerts/alert.js';
import type { AlertSink } from '../../functions/engine/alerts/sink.js';
import { compileEngine, type Engine } from '../../functions/engine/compile.js';
import { parseEngineConfig } from '../../functions/engine/config/build.js';
import type { DetectorMeta, Finding, StateNeed } from '../../functions/engine/detectors/detector.js';
import { ALL_DETECTORS } from '../../functions/engine/detectors/registry.js';
import type { EngineEvent } from '../../functions/engine/events/engine-event.js';
import type { McpEvent } from '../../functions/engine/events/schema.js';
import { runBatch, runTick, type BatchOutcome } from '../../functions/engine/pipeline.js';
import { MemoryStateStore } from '../../functions/engine/state/memory-store.js';

export type EventInput = Omit<Partial<McpEvent>, 'time'> & Pick<McpEvent, 'event'> & { time?: string | number };

const BASE_TIME = Date.parse('2026-11-24T10:00:00.000Z');

/** A canonical event; `time` may be an ISO string or seconds after 2026-11-24T10:00:00Z. */
export function mcpEvent(input: EventInput): EngineEvent {
  const ts = typeof input.time === 'number' ? BASE_TIME + input.time * 1000 : input.time ? Date.parse(input.time) : BASE_TIME;
  const event = { v: 1, ...input, time: new Date(ts).toISOString() } as McpEvent;
  return { event, ts, origin: { format: 'canonical' } };
}

export class CollectingSink implements AlertSink {
  readonly alerts: Alert[] = [];
  async publish(alert: Alert): Promise<void> {
    this.alerts.push(alert);
  }
}

export interface HarnessOptions {
  /** Partial engine config (YAML shape), merged over defaults by the real config parser. */
  readonly config?: Record<string, unknown>;
  /** Only these detectors run (default: all). */
  readonly only?: readonly string[];
  /** Split the events into batches of this size (state must carry across). @default all in one batch */
  readonly batchSize?: number;
  readonly store?: MemoryStateStore;
  /** Run a scheduled tick at this time (seconds after the base time) after the events. */
  readonly tickAt?: number;
}

export interface HarnessResult {
  readonly findings: Array<Finding & { detector: string }>;
  readonly alerts: Alert[];
  readonly outcomes: BatchOutcome[];
  readonly store: MemoryStateStore;
  readonly engine: Engine;
}

export function buildEngine(options: HarnessOptions = {}): Engine {
  const parsed = parseEngineConfig(options.config ?? {}, ALL_DETECTORS);
  if (!parsed.ok) throw new Error(`bad test config: ${parsed.errors.join('; ')}`);
  const detectors = options.only ? ALL_DETECTORS.filter((d) => options.only?.includes(d.meta.id)) : ALL_DETECTORS;
  if (options.only && detectors.length !== options.only.length) throw new Error(`unknown detector in ${options.only.join(',')}`);
  return compileEngine(parsed.config, detectors);
}

export async function runEvents(events: readonly EngineEvent[], options: HarnessOptions = {}): Promise<HarnessResult> {
  const engine = buildEngine(options);
  const store = options.store ?? new MemoryStateStore();
  const sink = new CollectingSink();
  const outcomes: BatchOutcome[] = [];
  const size = options.batchSize ?? Math.max(1, events.length);
  for (let i = 0; i < events.length; i += size) {
    outcomes.push(await runBatch(engine, { batchId: `test-${i}`, events: events.slice(i, i + size) }, { store, sink }));
  }
  if (options.tickAt !== undefined) outcomes.push(await runTick(engine, BASE_TIME + options.tickAt * 1000, { store, sink }));
  const findings = outcomes.flatMap((o) => o.findingList.map((f) => ({ ...f.finding, detector: f.compiled.detector.meta.id })));
  return { findings, alerts: sink.alerts, outcomes, store, engine };
}

/** Findings of one detector only. */
export function findingsOf(result: HarnessResult, detector: string): Array<Finding & { detector: string }> {
  return result.findings.filter((f) => f.detector === detector);
}

/** Metadata of a throw-away detector defined inside a test (the id is the test's). */
export function testDetectorMeta(id: string, state: StateNeed): DetectorMeta {
  return { id, category: 'api', title: 'test detector', severity: 'low', detects: 'test', why: 'test', tuning: 'test', runbook: 'test', references: [], state };
}
