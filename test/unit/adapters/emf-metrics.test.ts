import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emfRecordsFor, publishEmfRecords, type DeliveryFigures } from '../../../functions/adapters/emf-metrics.js';
import type { Alert } from '../../../functions/engine/alerts/alert.js';
import type { BatchOutcome } from '../../../functions/engine/pipeline.js';
import type { ServerStats } from '../../../functions/engine/server-stats.js';

function outcome(overrides: Partial<BatchOutcome> = {}): BatchOutcome {
  return {
    batchId: 'b',
    events: 0,
    findings: 0,
    findingsByDetector: {},
    findingList: [],
    alerts: [],
    published: 0,
    repeats: [],
    suppressed: 0,
    stormSuppressed: 0,
    shadowFindings: {},
    detectorErrors: {},
    stateWrites: 0,
    alreadyApplied: 0,
    passes: 1,
    servers: new Map(),
    ...overrides,
  };
}

function published(detector: string, severity: Alert['severity'], category: Alert['category']): Alert {
  return { detector, severity, category } as Alert;
}

function stats(s: Partial<ServerStats>): ServerStats {
  return { toolCalls: 0, toolErrors: 0, authFailures: 0, latencyMs: [], ...s };
}

interface EmfLine {
  _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
  [key: string]: unknown;
}

function captureEmf(write: () => void): EmfLine[] {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    write();
  } finally {
    spy.mockRestore();
  }
  return lines.join('').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as EmfLine);
}

afterEach(() => vi.restoreAllMocks());

const deliveries: DeliveryFigures[] = [
  {
    logGroup: '/aws/lambda/files-mcp',
    unparsed: 2,
    outcome: outcome({
      events: 40,
      stateWrites: 7,
      detectorErrors: { 'API-RATE': 1 },
      servers: new Map([
        ['files-mcp', stats({ toolCalls: 30, toolErrors: 3, latencyMs: Array.from({ length: 150 }, (_, i) => i) })],
        ['git-mcp', stats({ authFailures: 4 })],
      ]),
    }),
  },
  {
    logGroup: '/aws/lambda/files-mcp',
    unparsed: 1,
    outcome: outcome({ events: 10, stateWrites: 2, servers: new Map([['files-mcp', stats({ toolCalls: 5, latencyMs: [7] })]]) }),
  },
  { logGroup: '/ecs/git-mcp', unparsed: 0, outcome: outcome({ events: 5, stateWrites: 1 }) },
];

const alerts = [
  published('AUTH-BRUTE-FORCE', 'high', 'auth'),
  published('AUTH-BRUTE-FORCE', 'high', 'auth'),
  published('RES-LATENCY', 'low', 'resource'),
];

describe('EMF metrics', () => {
  it('maps an invocation to exactly the metric names and dimensions the dashboard uses', () => {
    const records = emfRecordsFor({ deliveries, published: alerts, batchesFailed: 0 });
    const flat = records.map((r) => ({
      dims: r.dimensionSets,
      metrics: Object.fromEntries(r.metrics.map((m) => [m.name, m.values.length === 1 ? m.values[0] : m.values.length])),
    }));
    expect(flat).toEqual([
      { dims: [], metrics: { EventsIngested: 55, Alerts: 3, StateWrites: 10, BatchesFailed: 0 } },
      { dims: [{ LogGroup: '/aws/lambda/files-mcp' }], metrics: { EventsIngested: 50, EventsUnparsed: 3 } },
      { dims: [{ LogGroup: '/ecs/git-mcp' }], metrics: { EventsIngested: 5, EventsUnparsed: 0 } },
      { dims: [{ Severity: 'high' }, { Category: 'auth' }, { Detector: 'AUTH-BRUTE-FORCE' }], metrics: { Alerts: 2 } },
      { dims: [{ Severity: 'low' }, { Category: 'resource' }, { Detector: 'RES-LATENCY' }], metrics: { Alerts: 1 } },
      { dims: [{ Detector: 'API-RATE' }], metrics: { DetectorErrors: 1 } },
      // 151 latency samples: 100 in the first record, 51 in a second.
      { dims: [{ Server: 'files-mcp' }], metrics: { ToolCalls: 35, ToolErrors: 3, AuthFailures: 0, ToolLatency: 100 } },
      { dims: [{ Server: 'files-mcp' }], metrics: { ToolLatency: 51 } },
      { dims: [{ Server: 'git-mcp' }], metrics: { ToolCalls: 0, ToolErrors: 0, AuthFailures: 4 } },
    ]);
  });

  it('writes one EMF line per record, each dimension set carrying the service dimension', () => {
    const metrics = new Metrics({ namespace: 'McpWatchtower', serviceName: 'mcp-watchtower' });
    const lines = captureEmf(() => publishEmfRecords(metrics, emfRecordsFor({ deliveries, published: alerts, batchesFailed: 1 })));
    expect(lines).toHaveLength(9);
    for (const line of lines) expect(line._aws.CloudWatchMetrics[0]?.Namespace).toBe('McpWatchtower');

    const totals = lines[0] as EmfLine;
    expect(totals._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service']]);
    expect(totals).toMatchObject({ service: 'mcp-watchtower', EventsIngested: 55, Alerts: 3, StateWrites: 10, BatchesFailed: 1 });

    const alertsLine = lines[3] as EmfLine;
    expect(alertsLine._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([
      ['service', 'Severity'],
      ['service', 'Category'],
      ['service', 'Detector'],
    ]);
    expect(alertsLine).toMatchObject({ Severity: 'high', Category: 'auth', Detector: 'AUTH-BRUTE-FORCE', Alerts: 2 });

    const server = lines[6] as EmfLine;
    expect(server._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'Server']]);
    expect(server._aws.CloudWatchMetrics[0]?.Metrics).toContainEqual({ Name: 'ToolLatency', Unit: 'Milliseconds' });
    expect(server.Server).toBe('files-mcp');
    expect(server.ToolLatency).toHaveLength(100);
    expect(server.ToolCalls).toBe(35);
    const rest = lines[7] as EmfLine;
    expect(rest.Server).toBe('files-mcp');
    expect(rest.ToolLatency).toHaveLength(51);
  });

  it('sums servers past the cardinality cap under Server=other', () => {
    const servers = new Map(Array.from({ length: 105 }, (_, i) => [`s${i}`, stats({ toolCalls: 1 })] as const));
    const records = emfRecordsFor({ deliveries: [{ logGroup: 'g', unparsed: 0, outcome: outcome({ servers }) }], published: [], batchesFailed: 0 });
    const serverRecords = records.filter((r) => r.dimensionSets[0]?.Server !== undefined);
    expect(serverRecords).toHaveLength(101);
    const other = serverRecords.find((r) => r.dimensionSets[0]?.Server === 'other');
    expect(other?.metrics.find((m) => m.name === 'ToolCalls')?.values).toEqual([5]);
  });

  it('leaves CloudTrail changes (no log group) out of the per-log-group metrics', () => {
    const records = emfRecordsFor({ deliveries: [{ unparsed: 0, outcome: outcome({ events: 1 }) }], published: [], batchesFailed: 0 });
    expect(records.map((r) => r.dimensionSets)).toEqual([[]]);
    expect(records[0]?.metrics.find((m) => m.name === 'EventsIngested')?.values).toEqual([1]);
  });
});
