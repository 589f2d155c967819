/**
 * The CLI says what happened: no input, nothing read or nothing parsed exit 2 with the reason;
 * a tripped --fail-on names the alerts on stderr; the text report is ordered by severity, then
 * time, and shows time, session and principal.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeNothingParsed, unparsedReason } from '../../../functions/cli/unparsed-reason.js';
import { runCliCapturedWithStdin } from './support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'wt-exit-'));
const file = (name: string, lines: readonly string[]): string => {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => `${l}\n`).join(''));
  return path;
};

const call = (time: string, path: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ v: 1, event: 'mcp.call', time, server: { name: 'files-mcp' }, rpc: { method: 'tools/call' }, tool: 'read_file', arguments: { path }, ...extra });

describe('exit 2 with the reason', () => {
  it('replay with no input', async () => {
    const run = await runCliCapturedWithStdin(['replay'], '');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('mcp-watchtower: nothing to replay: name log files or directories, or - to read stdin (e.g. replay examples/logs)\n');
  });

  it('replay of an empty file or empty stdin', async () => {
    const empty = await runCliCapturedWithStdin(['replay', file('empty.log', [])], '');
    expect([empty.code, empty.stderr]).toEqual([2, 'mcp-watchtower: no log lines read: nothing to detect on\n']);
    const stdin = await runCliCapturedWithStdin(['replay', '-', '--output', 'json'], '');
    expect(stdin.code).toBe(2);
    expect(stdin.stdout).toBe('');
  });

  it('nothing parsed: counted by reason, with what to do', async () => {
    const run = await runCliCapturedWithStdin(
      ['replay', file('unknown.log', ['hello world', '{"level":"info","msg":"listening on 8080"}', '{"level":"info","msg":"ready"}'])],
      '',
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'mcp-watchtower: 3 lines read, none parsed: 2 JSON lines of no known format (see docs/log-format.md for the formats read (canonical, jsonrpc, lambda-text, lambda-report, agentgateway, apigw-access)); 1 line not JSON (lines must be JSON log records or Node Lambda console lines (docs/log-format.md))\n',
    );
  });

  it('explains lines without a timestamp: bare JSON-RPC and Lambda REPORT lines', () => {
    const rpc = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'read_file' } });
    const wrapped = JSON.stringify({ direction: 'in', message: { jsonrpc: '2.0', id: 1, method: 'ping' } });
    const report = 'REPORT RequestId: 6f1d Duration: 12.3 ms Billed Duration: 13 ms Memory Size: 512 MB Max Memory Used: 81 MB';
    expect([rpc, wrapped, report, '{"v":1,"event":"mcp.call"}', '{"a":1}', '{oops', 'plain'].map(unparsedReason)).toEqual([
      'jsonrpc-no-time',
      'jsonrpc-no-time',
      'lambda-report',
      'canonical-invalid',
      'unknown-json',
      'not-json',
      'not-json',
    ]);
    expect(describeNothingParsed(14, { 'jsonrpc-no-time': 12, 'lambda-report': 2 })).toMatch(
      /^14 lines read, none parsed: no timestamp on 12 bare JSON-RPC lines \(bare JSON-RPC lines need a time: .*`mcp-watchtower wrap`.*\); no timestamp on 2 Lambda REPORT lines \(.*\)$/,
    );
  });

  it('some lines parsed is not an error', async () => {
    const run = await runCliCapturedWithStdin(['replay', file('some.log', ['not json', call('2026-11-24T10:00:00Z', '/srv/a.txt')])], '');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  });
});

describe('--fail-on says which alerts tripped it', () => {
  it('exit 3, most severe first, with session and principal', async () => {
    const log = file('attack.log', [
      call('2026-11-24T10:00:00Z', '/home/alice/.aws/credentials', { session: 's-1', principal: { sub: 'alice' } }),
      call('2026-11-24T10:01:00Z', 'http://169.254.169.254/latest/meta-data/', { session: 's-1', principal: { sub: 'alice' }, tool: 'fetch_url', arguments: { url: 'http://169.254.169.254/latest/meta-data/' } }),
    ]);
    const run = await runCliCapturedWithStdin(['replay', log, '--output', 'json', '--fail-on', 'high'], '');
    expect(run.code).toBe(3);
    const gate = run.stderr.split('\n').find((l) => l.includes('--fail-on'));
    expect(gate).toMatch(/^mcp-watchtower: --fail-on high: 3 alerts at or above high — CRITICAL MCP-CORR-CREDENTIAL-THEN-EGRESS on files-mcp at 2026-11-24T10:01:00\.000Z \(session s-1, principal alice\): .+; CRITICAL API-SSRF on files-mcp at 2026-11-24T10:01:00\.000Z \(session s-1, principal alice\): .+; HIGH AGT-CREDENTIAL-ACCESS on files-mcp at 2026-11-24T10:00:00\.000Z \(session s-1, principal alice\): .+$/);
    // stdout keeps to alert JSON lines; the gate's message is on stderr only.
    for (const line of run.stdout.trim().split('\n')) expect(JSON.parse(line)).toHaveProperty('detector');
    expect(run.stdout).not.toContain('--fail-on');
  });

  it('exit 0 and nothing said when the gate holds', async () => {
    const run = await runCliCapturedWithStdin(['replay', file('benign.log', [call('2026-11-24T10:00:00Z', '/srv/docs/readme.md')]), '--output', 'json', '--fail-on', 'low'], '');
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain('--fail-on');
  });
});

describe('text report order', () => {
  it('sorts by severity, then time, and shows time, session and principal', async () => {
    const log = file('order.log', [
      call('2026-11-24T10:05:00Z', '/home/bob/.ssh/id_rsa', { session: 's-bob', principal: { sub: 'bob' } }),
      call('2026-11-24T10:02:00Z', '/home/alice/.aws/credentials', { session: 's-alice', principal: { sub: 'alice' } }),
      call('2026-11-24T10:09:00Z', 'http://169.254.169.254/latest/', { tool: 'fetch_url', arguments: { url: 'http://169.254.169.254/latest/' } }),
    ]);
    const run = await runCliCapturedWithStdin(['replay', log], '');
    const rows = run.stdout.split('\n').filter((l) => /^(CRITICAL|HIGH|MEDIUM|LOW|INFO) /.test(l));
    expect(rows.map((r) => r.split(/\s+/).slice(0, 3).join(' '))).toEqual([
      'CRITICAL 2026-11-24T10:09:00Z API-SSRF',
      'HIGH 2026-11-24T10:02:00Z AGT-CREDENTIAL-ACCESS',
      'HIGH 2026-11-24T10:05:00Z AGT-CREDENTIAL-ACCESS',
    ]);
    expect(rows[1]).toMatch(/ s-alice +alice +/);
    expect(rows[2]).toMatch(/ s-bob +bob +/);
  });
});

describe('watch says what happened too', () => {
  it('stdin that brought nothing parseable: exit 2 with the reason', async () => {
    const run = await runCliCapturedWithStdin(['watch', '-'], 'starting server\nlistening on stdio\n');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('mcp-watchtower: 2 lines read, none parsed: 2 lines not JSON (');
  });

  it('watch without an input is a usage error', async () => {
    const run = await runCliCapturedWithStdin(['watch'], '');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("missing required argument 'input'");
  });
});
