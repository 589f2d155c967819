/**
 * The Security Hub forwarder with BatchImportFindings mocked (Security Hub has no emulator):
 * batches of at most 100, retries with backoff for throttling and failed findings, one Id per
 * fingerprint (repeats update), and failed findings reported as SQS batch item failures.
 */
import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SecurityHubImporter } from '../../../functions/adapters/destinations/security-hub-importer.js';
import type { Alert } from '../../../functions/engine/alerts/alert.js';
import type { AsffFinding } from '../../../functions/engine/alerts/formats/asff.js';
import { createSecurityHubForwarder } from '../../../functions/handlers/commons/security-hub-forwarder-handler.js';
import { validateAsff } from '../../helpers/finding-validators.js';

const hub = mockClient(SecurityHubClient);
afterEach(() => hub.reset());

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

function alert(i: number, overrides: Partial<Alert> = {}): Alert {
  return {
    detector: 'API-RATE', category: 'api', severity: 'medium', title: `rate ${i}`, description: 'd', fingerprint: `fp${String(i).padStart(14, '0')}`,
    time: '2026-11-24T10:00:00.000Z', firstSeen: '2026-11-24T10:00:00.000Z', lastSeen: '2026-11-24T10:00:00.000Z', count: 1, server: 'files-mcp',
    evidence: {}, references: [], runbook: 'r', status: 'new', account: '111122223333', region: 'us-east-1', ...overrides,
  };
}

const sqsEvent = (alerts: readonly Alert[]): SQSEvent => ({
  Records: alerts.map((a, i) => ({ messageId: `m${i}`, body: JSON.stringify(a) }) as SQSEvent['Records'][number]),
});

function forwarder(options: { maxAttempts?: number } = {}) {
  const waits: number[] = [];
  const client = new SecurityHubClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const importer = new SecurityHubImporter({ client, maxAttempts: options.maxAttempts ?? 4, sleep: async (ms) => void waits.push(ms) });
  return { handler: createSecurityHubForwarder({ importer, logger: quiet }), waits };
}

const sentFindings = (): AsffFinding[][] => hub.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input.Findings as unknown as AsffFinding[]);

describe('Security Hub forwarder', () => {
  it('imports at most 100 findings per call, each valid ASFF', async () => {
    hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: unknown[] }) => ({ SuccessCount: input.Findings.length, FailedCount: 0, FailedFindings: [] }));
    const { handler } = forwarder();
    const result = await handler(sqsEvent(Array.from({ length: 250 }, (_, i) => alert(i))));
    expect(result.batchItemFailures).toEqual([]);
    expect(sentFindings().map((f) => f.length)).toEqual([100, 100, 50]);
    for (const f of sentFindings().flat()) expect(validateAsff(f)).toEqual([]);
  });

  it('keeps one Id per fingerprint: the latest lifecycle event of a batch is the one imported', async () => {
    hub.on(BatchImportFindingsCommand).resolves({ SuccessCount: 1, FailedCount: 0, FailedFindings: [] });
    const { handler } = forwarder();
    const first = alert(1);
    const repeat = alert(1, { status: 'updated', count: 4, lastSeen: '2026-11-24T10:05:00.000Z' });
    await handler(sqsEvent([repeat, first]));
    const [findings] = sentFindings();
    expect(findings).toHaveLength(1);
    expect(findings?.[0]).toMatchObject({ Id: 'mcp-watchtower/fp00000000000001', UpdatedAt: '2026-11-24T10:05:00.000Z', CreatedAt: '2026-11-24T10:00:00.000Z' });
    expect(findings?.[0]?.ProductFields['mcp-watchtower/count']).toBe('4');
    // A later batch resolving it: same Id, archived.
    await handler(sqsEvent([alert(1, { status: 'resolved', count: 4, lastSeen: '2026-11-24T10:05:00.000Z', resolvedAt: '2026-11-24T11:05:00.000Z' })]));
    expect(sentFindings()[1]?.[0]).toMatchObject({ Id: 'mcp-watchtower/fp00000000000001', RecordState: 'ARCHIVED', UpdatedAt: '2026-11-24T11:05:00.000Z' });
  });

  it('retries a throttled call and failed findings with backoff', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    hub
      .on(BatchImportFindingsCommand)
      .rejectsOnce(throttled)
      .resolvesOnce({ SuccessCount: 1, FailedCount: 1, FailedFindings: [{ Id: 'mcp-watchtower/fp00000000000002', ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }] })
      .resolves({ SuccessCount: 1, FailedCount: 0, FailedFindings: [] });
    const { handler, waits } = forwarder();
    const result = await handler(sqsEvent([alert(1), alert(2)]));
    expect(result.batchItemFailures).toEqual([]);
    expect(sentFindings().map((f) => f.map((x) => x.Id.slice(-1)))).toEqual([['1', '2'], ['1', '2'], ['2']]);
    expect(waits).toHaveLength(2);
  });

  it('reports findings that still fail as batch item failures (SQS retries them, then its DLQ)', async () => {
    hub.on(BatchImportFindingsCommand).resolves({ SuccessCount: 1, FailedCount: 1, FailedFindings: [{ Id: 'mcp-watchtower/fp00000000000002', ErrorCode: 'InvalidInput', ErrorMessage: 'bad' }] });
    const { handler } = forwarder({ maxAttempts: 2 });
    const result = await handler(sqsEvent([alert(1), alert(2), alert(2, { status: 'updated', lastSeen: '2026-11-24T10:01:00.000Z' })]));
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m1', 'm2']);
  });

  it('reports a message that is not an alert, and one with no account or region, without importing them', async () => {
    hub.on(BatchImportFindingsCommand).resolves({ SuccessCount: 1, FailedCount: 0, FailedFindings: [] });
    const { handler } = forwarder();
    const { account: _a, region: _r, ...bare } = alert(3);
    const event = sqsEvent([alert(1), bare as Alert]);
    event.Records.push({ messageId: 'junk', body: '{"hello":"world"}' } as SQSEvent['Records'][number]);
    const result = await handler(event);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['junk', 'm1']);
    expect(sentFindings()[0]).toHaveLength(1);
  });
});
