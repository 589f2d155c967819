/**
 * `tail`: CloudWatch Logs has no emulator, so FilterLogEvents is mocked (aws-sdk-client-mock). The
 * detectors, state and alerting are the real ones.
 */
import { CloudWatchLogsClient, FilterLogEventsCommand, ResourceNotFoundException, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tail } from '../../../functions/cli/commands/tail.js';
import type { DetectionOptions } from '../../../functions/cli/common-options.js';
import type { Alert } from '../../../functions/engine/alerts/alert.js';
import { runCliCaptured } from '../../helpers/cli-io.js';
import { canonicalLine, engineConfigFile } from '../../helpers/cloudwatch-payloads.js';
import { useFakeAwsEnvironment } from '../../helpers/emulators.js';
import { PassThrough, Writable } from 'node:stream';

const LOG_GROUP = '/aws/lambda/files-mcp';
const logs = mockClient(CloudWatchLogsClient);
let configFile: string;

function failure(t: number, n: number): FilteredLogEvent {
  const line = canonicalLine(t, {
    event: 'mcp.auth',
    server: { name: 'files-mcp' },
    client: { ip: '203.0.113.7' },
    principal: { tokenPresent: true },
    auth: { outcome: 'failure', reason: 'invalid_token' },
  });
  return { eventId: `event-${n}`, timestamp: line.timestamp, ingestionTime: line.timestamp + 500, logStreamName: 'stream-1', message: line.message };
}

beforeEach(() => {
  logs.reset();
  useFakeAwsEnvironment();
  configFile = engineConfigFile(['AUTH-BRUTE-FORCE']);
});
afterEach(() => logs.reset());

describe('tail', () => {
  it('reads every page of the log group and alerts like replay', async () => {
    logs
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [0, 1, 2].map((i) => failure(i * 10, i)), nextToken: 'page-2' })
      .resolvesOnce({ events: [3, 4, 5].map((i) => failure(i * 10, i)) });
    const before = Date.now();
    const run = await runCliCaptured(['tail', '--log-group', LOG_GROUP, '--since', '2h', '--filter-pattern', '"mcp.auth"', '--config', configFile, '--output', 'json']);
    expect(run.code).toBe(0);
    const alerts = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Alert);
    expect(alerts.map((a) => [a.detector, a.severity, a.title, a.count])).toEqual([
      ['AUTH-BRUTE-FORCE', 'high', '5 failed authentications in 300s for ip 203.0.113.7', 2],
    ]);
    expect(alerts[0]?.source).toEqual({ format: 'canonical', logGroup: LOG_GROUP, logStream: 'stream-1' });
    const calls = logs.commandCalls(FilterLogEventsCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ logGroupName: LOG_GROUP, filterPattern: '"mcp.auth"' });
    expect(calls[0]?.nextToken).toBeUndefined();
    expect(calls[1]).toMatchObject({ logGroupName: LOG_GROUP, nextToken: 'page-2' });
    const startTime = calls[0]?.startTime ?? 0;
    expect(startTime).toBeGreaterThanOrEqual(before - 2 * 3600_000 - 1000);
    expect(startTime).toBeLessThanOrEqual(Date.now() - 2 * 3600_000);
  });

  it('--follow polls from the newest event (with an overlap) and processes each event once', async () => {
    const controller = new AbortController();
    let polls = 0;
    logs.on(FilterLogEventsCommand).callsFake(() => {
      polls++;
      if (polls === 1) return { events: [failure(0, 0), failure(10, 1), failure(20, 2)] };
      // CloudWatch returns the overlap again, plus what is new.
      if (polls === 2) return { events: [failure(20, 2), failure(30, 3)] };
      if (polls === 3) return { events: [failure(30, 3), failure(40, 4)] };
      controller.abort();
      return { events: [] };
    });
    const lines: string[] = [];
    const stdout = new Writable({ write: (chunk: Buffer, _e, cb) => (lines.push(chunk.toString()), cb()) });
    const stdin = new PassThrough();
    stdin.end();
    const detection: DetectionOptions = { config: configFile, format: 'auto', output: 'json', batchSize: 1000 };
    const code = await tail(
      { logGroup: LOG_GROUP, sinceMs: 600_000, follow: true },
      detection,
      {},
      { stdout, stderr: new Writable({ write: (_c, _e, cb) => cb() }), stdin, env: {} },
      { signal: controller.signal, pollMs: 1, now: () => Date.parse('2026-11-24T10:05:00Z'), client: new CloudWatchLogsClient({ region: 'us-east-1' }) },
    );
    expect(code).toBe(0);
    const alerts = lines.join('').trim().split('\n').map((l) => JSON.parse(l) as Alert);
    // Five distinct failures: the re-read events were not counted twice (else the alert would come earlier, at "5" with 4 events).
    expect(alerts.map((a) => [a.detector, a.evidence.failures, a.lastSeen])).toEqual([['AUTH-BRUTE-FORCE', 5, '2026-11-24T10:00:40.000Z']]);
    const starts = logs.commandCalls(FilterLogEventsCommand).map((c) => c.args[0].input.startTime);
    const base = Date.parse('2026-11-24T10:00:00Z');
    expect(starts.slice(0, 3)).toEqual([Date.parse('2026-11-24T10:05:00Z') - 600_000, base + 20_000 - 30_000, base + 30_000 - 30_000 + 0]);
  });

  it('reports a missing log group as a usage error', async () => {
    logs.on(FilterLogEventsCommand).rejects(new ResourceNotFoundException({ message: 'The specified log group does not exist.', $metadata: {} }));
    const run = await runCliCaptured(['tail', '--log-group', '/nope', '--config', configFile]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('mcp-watchtower: log group /nope not found\n');
  });

  it('checks --since', async () => {
    const run = await runCliCaptured(['tail', '--log-group', LOG_GROUP, '--since', 'yesterday']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--since must be a duration like 30s, 15m, 1h or 2d, got "yesterday"');
  });
});
