/**
 * The pipeline's CloudWatch metrics (namespace McpWatchtower, written as EMF log lines by Powertools
 * Metrics). `emfRecordsFor` maps an invocation's figures to EMF records — pure, so the names and
 * dimensions the dashboard and alarms rely on (infra/constructs/watchtower-metrics.ts) are unit
 * tested — and `publishEmfRecords` writes them, one EMF line per record.
 *
 * Powertools adds the `service` dimension to every dimension set. An EMF record's dimension sets
 * apply to all its metrics, so metrics with different dimensions go in different records:
 *
 *   (none)                          EventsIngested, Alerts, StateWrites, BatchesFailed
 *   LogGroup                        EventsIngested, EventsUnparsed, EventsTooDeep (nesting too deep)
 *   Severity | Category | Detector  Alerts (one record, three dimension sets, per combination)
 *   Detector                        DetectorErrors
 *   Server                          ToolCalls, ToolErrors, AuthFailures, ToolLatency (≤ 100 values a record)
 */
import type { Alert } from '../engine/alerts/alert.js';
import { DIMENSION, METRIC, type MetricName } from '../engine/metrics/metric-names.js';
import { redactText, safeSlice } from '../engine/alerts/redact.js';
import type { BatchOutcome } from '../engine/pipeline.js';

/** EMF takes at most 100 values per metric per record. */
export const MAX_VALUES_PER_METRIC = 100;
/** Per-server dimensions per invocation; servers past it are summed under Server=other. */
export const MAX_SERVERS = 100;
const MAX_DIMENSION_VALUE = 255;

export type EmfUnit = 'Count' | 'Milliseconds';

export interface EmfMetric {
  readonly name: MetricName;
  readonly unit: EmfUnit;
  readonly values: readonly number[];
}

export interface EmfRecord {
  /** Each entry is one dimension set; empty: only the service dimension. */
  readonly dimensionSets: ReadonlyArray<Readonly<Record<string, string>>>;
  readonly metrics: readonly EmfMetric[];
}

/** One processed delivery: a CloudWatch Logs payload, a Kinesis record, or a CloudTrail event. */
export interface DeliveryFigures {
  /** The source log group; undefined for CloudTrail changes. */
  readonly logGroup?: string;
  readonly outcome: BatchOutcome;
  /** Log lines of the delivery that no normalizer could read. */
  readonly unparsed: number;
  /** Of those, lines skipped because their JSON nests too deep (json-depth.ts). @default 0 */
  readonly tooDeep?: number;
}

export interface InvocationFigures {
  readonly deliveries: readonly DeliveryFigures[];
  /** Alerts this invocation published (a redelivery does not publish, or count, an alert twice). */
  readonly published: readonly Alert[];
  /** Deliveries that failed (undecodable payloads, or state/SNS errors that fail the invocation). */
  readonly batchesFailed: number;
}

/** What publishing needs from Powertools Metrics (a structural subset, so tests can record calls). */
export interface MetricsWriter {
  addDimensions(dimensions: Record<string, string>): unknown;
  addMetric(name: string, unit: EmfUnit, value: number): unknown;
  hasStoredMetrics(): boolean;
  publishStoredMetrics(): unknown;
}

/** A dimension value: through the sink choke point (sink-safe, secrets redacted), then bounded. */
function dimensionValue(value: string | undefined): string {
  const v = redactText((value ?? '').trim(), MAX_DIMENSION_VALUE - 32);
  if (v.length === 0) return 'unknown';
  return v.length <= MAX_DIMENSION_VALUE ? v : safeSlice(v, MAX_DIMENSION_VALUE);
}

function add(map: Map<string, number>, key: string, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

interface ServerFigures {
  toolCalls: number;
  toolErrors: number;
  authFailures: number;
  latencyMs: number[];
}

function serverFigures(deliveries: readonly DeliveryFigures[]): Map<string, ServerFigures> {
  const out = new Map<string, ServerFigures>();
  for (const { outcome } of deliveries) {
    for (const [name, stats] of outcome.servers) {
      let key = dimensionValue(name);
      if (!out.has(key) && out.size >= MAX_SERVERS) key = 'other';
      let figures = out.get(key);
      if (!figures) {
        figures = { toolCalls: 0, toolErrors: 0, authFailures: 0, latencyMs: [] };
        out.set(key, figures);
      }
      figures.toolCalls += stats.toolCalls;
      figures.toolErrors += stats.toolErrors;
      figures.authFailures += stats.authFailures;
      for (const ms of stats.latencyMs) figures.latencyMs.push(ms);
    }
  }
  return out;
}

function chunks(values: readonly number[], size: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

export function emfRecordsFor(figures: InvocationFigures): EmfRecord[] {
  const records: EmfRecord[] = [];
  const { deliveries, published } = figures;
  const events = deliveries.reduce((n, d) => n + d.outcome.events, 0);
  const stateWrites = deliveries.reduce((n, d) => n + d.outcome.stateWrites, 0);
  records.push({
    dimensionSets: [],
    metrics: [
      { name: METRIC.EventsIngested, unit: 'Count', values: [events] },
      { name: METRIC.Alerts, unit: 'Count', values: [published.length] },
      { name: METRIC.StateWrites, unit: 'Count', values: [stateWrites] },
      { name: METRIC.BatchesFailed, unit: 'Count', values: [figures.batchesFailed] },
    ],
  });

  const ingested = new Map<string, number>();
  const unparsed = new Map<string, number>();
  const tooDeep = new Map<string, number>();
  for (const d of deliveries) {
    if (d.logGroup === undefined) continue;
    const group = dimensionValue(d.logGroup);
    add(ingested, group, d.outcome.events);
    add(unparsed, group, d.unparsed);
    add(tooDeep, group, d.tooDeep ?? 0);
  }
  for (const [group, n] of ingested) {
    records.push({
      dimensionSets: [{ [DIMENSION.LogGroup]: group }],
      metrics: [
        { name: METRIC.EventsIngested, unit: 'Count', values: [n] },
        { name: METRIC.EventsUnparsed, unit: 'Count', values: [unparsed.get(group) ?? 0] },
        ...((tooDeep.get(group) ?? 0) > 0 ? [{ name: METRIC.EventsTooDeep, unit: 'Count' as const, values: [tooDeep.get(group) ?? 0] }] : []),
      ],
    });
  }

  const alertGroups = new Map<string, { severity: string; category: string; detector: string; n: number }>();
  for (const a of published) {
    const key = `${a.severity}\u0000${a.category}\u0000${a.detector}`;
    const group = alertGroups.get(key);
    if (group) group.n++;
    else alertGroups.set(key, { severity: a.severity, category: a.category, detector: a.detector, n: 1 });
  }
  for (const g of alertGroups.values()) {
    records.push({
      dimensionSets: [{ [DIMENSION.Severity]: g.severity }, { [DIMENSION.Category]: g.category }, { [DIMENSION.Detector]: dimensionValue(g.detector) }],
      metrics: [{ name: METRIC.Alerts, unit: 'Count', values: [g.n] }],
    });
  }

  const detectorErrors = new Map<string, number>();
  for (const d of deliveries) for (const [id, n] of Object.entries(d.outcome.detectorErrors)) add(detectorErrors, dimensionValue(id), n);
  for (const [detector, n] of detectorErrors) {
    records.push({ dimensionSets: [{ [DIMENSION.Detector]: detector }], metrics: [{ name: METRIC.DetectorErrors, unit: 'Count', values: [n] }] });
  }

  for (const [server, s] of serverFigures(deliveries)) {
    const latency = chunks(s.latencyMs, MAX_VALUES_PER_METRIC);
    records.push({
      dimensionSets: [{ [DIMENSION.Server]: server }],
      metrics: [
        { name: METRIC.ToolCalls, unit: 'Count', values: [s.toolCalls] },
        { name: METRIC.ToolErrors, unit: 'Count', values: [s.toolErrors] },
        { name: METRIC.AuthFailures, unit: 'Count', values: [s.authFailures] },
        ...(latency[0] ? [{ name: METRIC.ToolLatency, unit: 'Milliseconds' as const, values: latency[0] }] : []),
      ],
    });
    for (const more of latency.slice(1)) {
      records.push({ dimensionSets: [{ [DIMENSION.Server]: server }], metrics: [{ name: METRIC.ToolLatency, unit: 'Milliseconds', values: more }] });
    }
  }
  return records;
}

/**
 * Writes each record as one EMF line. Multi-value metrics are added value by value (Powertools
 * turns repeats of a name into an array); records never hold more than 100 values per metric, so
 * Powertools' own flush at 100 cannot split a record's dimensions from its values.
 */
export function publishEmfRecords(metrics: MetricsWriter, records: readonly EmfRecord[]): void {
  for (const record of records) {
    for (const set of record.dimensionSets) metrics.addDimensions({ ...set });
    for (const metric of record.metrics) for (const value of metric.values) metrics.addMetric(metric.name, metric.unit, value);
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  }
}
