/**
 * One source for metric names: every metric the dashboard and the alarms reference (namespace
 * McpWatchtower) is one the EMF writer emits, with a dimension set it emits. The writer is run for
 * real (emfRecordsFor) so this checks what it does, not what a table says.
 */
import { describe, expect, it } from 'vitest';
import { emfRecordsFor } from '../../functions/adapters/emf-metrics.js';
import type { Alert } from '../../functions/engine/alerts/alert.js';
import { METRIC_DIMENSION_SETS, METRICS_NAMESPACE, SERVICE_DIMENSION } from '../../functions/engine/metrics/metric-names.js';
import type { BatchOutcome } from '../../functions/engine/pipeline.js';
import { buildStack } from './support/build-stack.js';
import { dashboardBody, resources } from './support/template-queries.js';

const key = (name: string, dims: readonly string[]) => `${name}{${[...dims].filter((d) => d !== SERVICE_DIMENSION).sort().join(',')}}`;

/** Every (metric, dimension set) the writer emits for an invocation that exercises every record kind. */
function emitted(): Set<string> {
  const outcome = {
    batchId: 'b', events: 3, findings: 1, findingsByDetector: {}, findingList: [], alerts: [], published: 1, repeats: [], suppressed: 0,
    stormSuppressed: 0, shadowFindings: {}, detectorErrors: { 'API-RATE': 1 }, stateWrites: 2, alreadyApplied: 0, passes: 1,
    servers: new Map([['files-mcp', { toolCalls: 2, toolErrors: 1, authFailures: 1, latencyMs: [5, 7] }]]),
  } as unknown as BatchOutcome;
  const alert = { detector: 'API-RATE', severity: 'high', category: 'api' } as Alert;
  const out = new Set<string>();
  for (const record of emfRecordsFor({ deliveries: [{ logGroup: '/aws/lambda/files-mcp', outcome, unparsed: 1, tooDeep: 1 }], published: [alert], batchesFailed: 1 })) {
    const sets = record.dimensionSets.length === 0 ? [{}] : record.dimensionSets;
    for (const metric of record.metrics) for (const set of sets) out.add(key(metric.name, Object.keys(set)));
  }
  return out;
}

/** Metric references of our namespace in a dashboard body or an alarm, as name{dims}. */
function referencesIn(value: unknown, out: Set<string>): void {
  if (typeof value === 'string') {
    for (const m of value.matchAll(/SEARCH\('\{([^}]*)\} MetricName="([^"]+)"/g)) {
      const [ns, ...dims] = (m[1] ?? '').split(',');
      if (ns === METRICS_NAMESPACE) out.add(key(m[2] ?? '', dims));
    }
    for (const m of value.matchAll(/SELECT \w+\((\w+)\) FROM SCHEMA\("([^"]+)",\s*([^)]*)\)/g)) {
      if (m[2] === METRICS_NAMESPACE) out.add(key(m[1] ?? '', (m[3] ?? '').split(',').map((d) => d.trim())));
    }
    return;
  }
  if (Array.isArray(value)) {
    // Dashboard metric arrays: [namespace, name, dimName, dimValue, ..., {options}?]
    if (value[0] === METRICS_NAMESPACE && typeof value[1] === 'string') {
      const dims: string[] = [];
      for (let i = 2; i + 1 < value.length && typeof value[i] === 'string'; i += 2) dims.push(value[i] as string);
      out.add(key(value[1], dims));
    }
    for (const v of value) referencesIn(v, out);
    return;
  }
  if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    if (o.Namespace === METRICS_NAMESPACE && typeof o.MetricName === 'string') {
      out.add(key(o.MetricName, ((o.Dimensions ?? []) as { Name: string }[]).map((d) => d.Name)));
    }
    for (const v of Object.values(o)) referencesIn(v, out);
  }
}

describe('metric names: one source for the writer, the dashboard and the alarms', () => {
  it('the writer emits exactly the dimension sets of the shared table', () => {
    const table = new Set(Object.entries(METRIC_DIMENSION_SETS).flatMap(([name, sets]) => sets.map((dims) => key(name, dims))));
    expect([...emitted()].sort()).toEqual([...table].sort());
  });

  it('every metric the dashboard and the alarms reference is one the writer emits', () => {
    const { template } = buildStack({ servers: ['files-mcp', 'search-mcp'] });
    const refs = new Set<string>();
    referencesIn(dashboardBody(template), refs);
    for (const [, alarm] of resources(template, 'AWS::CloudWatch::Alarm')) referencesIn(alarm.Properties, refs);
    expect(refs.size).toBeGreaterThan(8);
    const writer = emitted();
    expect([...refs].filter((r) => !writer.has(r))).toEqual([]);
  });

  it('notices a reference the writer cannot satisfy (the check can fail)', () => {
    const refs = new Set<string>();
    referencesIn([METRICS_NAMESPACE, 'ToolCalls', 'LogGroup', 'x'], refs);
    referencesIn(`SEARCH('{${METRICS_NAMESPACE},Server,service} MetricName="EventsUnparsed"', 'Sum', 300)`, refs);
    const writer = emitted();
    expect([...refs].filter((r) => !writer.has(r)).sort()).toEqual(['EventsUnparsed{Server}', 'ToolCalls{LogGroup}']);
  });
});
