/** `replay`/`watch` `--output asff|ocsf`: one valid finding per line, lifecycle included, exit 2 without a target. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../functions/cli/io.js';
import { runCli } from '../../../functions/cli/main.js';
import { validateAsff, validateOcsfDetectionFinding } from '../../helpers/finding-validators.js';

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += String(c)));
  stderr.on('data', (c) => (err += String(c)));
  stdin.end('');
  const io: CliIo = { stdout, stderr, stdin, env: {} };
  const code = await runCli(args, io);
  return { code, stdout: out, stderr: err };
}

const lines = (text: string) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

/** A brute force that stops, then quiet traffic for over an hour: the incident resolves in the replay. */
function bruteForceThatStops(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wt-findings-'));
  const start = Date.parse('2026-11-24T10:00:00Z');
  const out: string[] = [];
  for (let i = 0; i < 8; i++) {
    out.push(JSON.stringify({ v: 1, time: new Date(start + i * 1000).toISOString(), event: 'mcp.auth', server: { name: 'files-mcp' }, client: { ip: '203.0.113.7' }, principal: { tokenPresent: true, tokenFp: 'deadbeef00000000' }, http: { method: 'POST', path: '/mcp', status: 401 }, auth: { outcome: 'failure', reason: 'invalid_token' } }));
  }
  for (let m = 5; m <= 130; m += 5) {
    out.push(JSON.stringify({ v: 1, time: new Date(start + m * 60_000).toISOString(), event: 'mcp.call', server: { name: 'files-mcp' }, method: 'tools/call', tool: 'read_file', session: 's-1', status: 'ok', durationMs: 10 }));
  }
  const file = join(dir, 'auth.log');
  writeFileSync(file, `${out.join('\n')}\n`);
  return file;
}

describe('--output asff', () => {
  it('exits 2 naming the missing flags', async () => {
    const none = await cli(['replay', 'examples/logs', '--output', 'asff']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--output asff needs --aws-account-id and --aws-region/);
    const noRegion = await cli(['replay', 'examples/logs', '--output', 'asff', '--aws-account-id', '111122223333']);
    expect(noRegion.code).toBe(2);
    expect(noRegion.stderr).toMatch(/needs --aws-region/);
    const badAccount = await cli(['replay', 'examples/logs', '--output', 'asff', '--aws-account-id', '12', '--aws-region', 'us-east-1']);
    expect(badAccount.code).toBe(2);
    expect(badAccount.stderr).toMatch(/12 digits/);
    const watchNone = await cli(['watch', '-', '--output', 'asff']);
    expect(watchNone.code).toBe(2);
  });

  it('prints one valid ASFF finding per line for the example logs', async () => {
    const run = await cli(['replay', 'examples/logs', '--output', 'asff', '--aws-account-id', '111122223333', '--aws-region', 'eu-west-1']);
    expect(run.code).toBe(0);
    const findings = lines(run.stdout);
    expect(findings.length).toBeGreaterThan(5);
    for (const f of findings) expect(validateAsff(f)).toEqual([]);
    expect(findings.every((f) => f.AwsAccountId === '111122223333' && f.Region === 'eu-west-1')).toBe(true);
    expect(run.stderr).toMatch(/alert/i);
  });

  it('prints create, update and archive of one incident with one Id', async () => {
    const run = await cli(['replay', bruteForceThatStops(), '--output', 'asff', '--aws-account-id', '111122223333', '--aws-region', 'us-east-1', '--batch-size', '2']);
    expect(run.code).toBe(0);
    const brute = lines(run.stdout).filter((f) => f.GeneratorId === 'mcp-watchtower/AUTH-BRUTE-FORCE');
    expect(brute.length).toBeGreaterThanOrEqual(2);
    expect(new Set(brute.map((f) => f.Id)).size).toBe(1);
    expect(brute[0]?.RecordState).toBe('ACTIVE');
    expect(brute.at(-1)?.RecordState).toBe('ARCHIVED');
  });
});

describe('--output ocsf', () => {
  it('prints one valid OCSF Detection Finding per line, Close for the resolved incident', async () => {
    const run = await cli(['replay', bruteForceThatStops(), '--output', 'ocsf', '--batch-size', '2']);
    expect(run.code).toBe(0);
    const findings = lines(run.stdout);
    for (const f of findings) expect(validateOcsfDetectionFinding(f)).toEqual([]);
    const brute = findings.filter((f) => (f.finding_info as { analytic: { uid: string } }).analytic.uid === 'AUTH-BRUTE-FORCE');
    expect(brute[0]?.activity_id).toBe(1);
    expect(brute.at(-1)?.activity_id).toBe(3);
  });

  it('replays the examples as valid OCSF', async () => {
    const run = await cli(['replay', 'examples/logs', '--output', 'ocsf', '--aws-account-id', '111122223333', '--aws-region', 'eu-west-1']);
    expect(run.code).toBe(0);
    const findings = lines(run.stdout);
    expect(findings.length).toBeGreaterThan(5);
    for (const f of findings) expect(validateOcsfDetectionFinding(f)).toEqual([]);
  });
});
