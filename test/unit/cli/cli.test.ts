/** The CLI in-process: output contracts, exit codes, every source format, watch. */
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checkDetectionOptions } from '../../../functions/cli/common-options.js';
import { watch } from '../../../functions/cli/commands/watch.js';
import type { CliIo } from '../../../functions/cli/io.js';
import { runCli } from '../../../functions/cli/main.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function io(stdin = ''): { io: CliIo; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const input = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += String(c)));
  stderr.on('data', (c) => (err += String(c)));
  input.end(stdin);
  return { io: { stdout, stderr, stdin: input, env: {} }, out: () => out, err: () => err };
}

async function cli(args: string[], stdin = ''): Promise<Run> {
  const h = io(stdin);
  const code = await runCli(args, h.io);
  return { code, stdout: h.out(), stderr: h.err() };
}

const FORMATS = ['canonical', 'jsonrpc', 'lambda-text', 'lambda-report', 'agentgateway', 'apigw-access'] as const;

// Fixture lines carry their own times; jsonrpc and REPORT lines without one need a CloudWatch timestamp,
// so the fixtures are replayed as the decoded subscription payload CloudWatch would deliver.
function asPayloadFile(format: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'wt-cli-'));
  const lines = readFileSync(`test/fixtures/formats/${format}.log`, 'utf8').split('\n').filter(Boolean);
  const payload = {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: `/aws/lambda/${format}-mcp`,
    logStream: 'stream-1',
    subscriptionFilters: ['f'],
    logEvents: lines.map((message, i) => ({ id: String(i + 1), timestamp: Date.parse('2026-11-24T10:00:00Z') + i * 1000, message })),
  };
  const file = join(dir, `${format}.json`);
  writeFileSync(file, JSON.stringify(payload));
  return file;
}

describe('replay --output json', () => {
  it.each(FORMATS)('reads %s lines and prints only JSON alert lines on stdout', async (format) => {
    const run = await cli(['replay', asPayloadFile(format), '--output', 'json']);
    expect(run.code).toBe(0);
    for (const line of run.stdout.split('\n').filter(Boolean)) {
      const alert = JSON.parse(line) as Record<string, unknown>;
      for (const key of ['detector', 'category', 'severity', 'title', 'fingerprint', 'time', 'firstSeen', 'lastSeen', 'count', 'server']) {
        expect(alert, key).toHaveProperty(key);
      }
    }
    // The summary goes to stderr and names the format it read.
    expect(run.stderr).toMatch(new RegExp(`\\(.*${format} \\d+`));
    // Each fixture also holds a few deliberately malformed lines: counted, skipped, never fatal.
    expect(run.stderr).toMatch(/→ [1-9]\d* events/);
  });

  it('reads stdin with -', async () => {
    const line = JSON.stringify({ v: 1, event: 'mcp.call', time: '2026-11-24T10:00:00Z', server: { name: 's' }, rpc: { method: 'tools/call' }, tool: 'read_file', arguments: { path: '/home/u/.aws/credentials' } });
    const run = await cli(['replay', '-', '--output', 'json'], `${line}\n`);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { detector: string }).detector)).toEqual(['AGT-CREDENTIAL-ACCESS']);
  });
});

describe('exit codes', () => {
  const credentialRead = `${JSON.stringify({ v: 1, event: 'mcp.call', time: '2026-11-24T10:00:00Z', rpc: { method: 'tools/call' }, tool: 'read_file', arguments: { path: '~/.ssh/id_rsa' } })}\n`;

  it('3 when an alert at or above --fail-on fired, 0 below it', async () => {
    expect((await cli(['replay', '-', '--fail-on', 'high'], credentialRead)).code).toBe(3);
    expect((await cli(['replay', '-', '--fail-on', 'critical'], credentialRead)).code).toBe(0);
  });

  it('2 with a clear message for usage and config errors', async () => {
    const missing = await cli(['replay', 'no/such/file.log']);
    expect([missing.code, missing.stderr]).toEqual([2, 'mcp-watchtower: no such file or directory: no/such/file.log\n']);
    const batch = await cli(['replay', '-', '--batch-size', '0']);
    expect(batch.code).toBe(2);
    expect(batch.stderr).toContain('--batch-size must be an integer between 1 and 100000');
    const dir = mkdtempSync(join(tmpdir(), 'wt-cfg-'));
    writeFileSync(join(dir, 'bad.yaml'), 'detectors:\n  API-RATE:\n    ceilingPerMinut: 10\n');
    const config = await cli(['replay', '-', '--config', join(dir, 'bad.yaml')]);
    expect(config.code).toBe(2);
    expect(config.stderr).toContain('detectors.API-RATE.ceilingPerMinut: unknown key (did you mean "ceilingPerMinute"?)');
    expect((await cli(['replay', '--output', 'xml'])).code).toBe(2);
    expect((await cli(['no-such-command'])).code).toBe(2);
  });

  it('validate-config reports a valid file with what it enables', async () => {
    const run = await cli(['validate-config', 'watchtower.config.yaml']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^watchtower\.config\.yaml: valid — 29 of 29 detectors enabled \(0 in shadow mode\), 0 suppressions\nrules: \d+ enabled \(\d+ in shadow mode\) from \d+ files\n$/);
  });
});

describe('text output', () => {
  it('prints a table and a summary by severity and category, without colours off a terminal', async () => {
    const line = JSON.stringify({ v: 1, event: 'mcp.call', time: '2026-11-24T10:00:00Z', server: { name: 'docs-svc' }, rpc: { method: 'tools/call' }, tool: 'read_file', arguments: { path: '~/.ssh/id_rsa' } });
    const run = await cli(['replay', '-'], `${line}\n`);
    expect(run.stdout).toContain('SEVERITY DETECTOR');
    expect(run.stdout).toMatch(/^HIGH {5}AGT-CREDENTIAL-ACCESS +×1 +docs-svc/m);
    expect(run.stdout).toContain('1 alert — by severity: high 1');
    expect(run.stdout).toContain('by category: agent 1');
    expect(run.stdout).not.toContain('\x1b[');
  });
});

describe('watch', () => {
  it('follows a growing file and prints alerts as lines arrive', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wt-watch-'));
    const file = join(dir, 'server.log');
    writeFileSync(file, '');
    const h = io();
    const controller = new AbortController();
    const done = watch(file, checkDetectionOptions({ output: 'json' }), h.io, { signal: controller.signal, pollMs: 20 });
    const line = (path: string) =>
      `${JSON.stringify({ v: 1, event: 'mcp.call', time: '2026-11-24T10:00:00Z', server: { name: 's' }, rpc: { method: 'tools/call' }, tool: 'read_file', arguments: { path } })}\n`;
    appendFileSync(file, line('/srv/a.txt'));
    appendFileSync(file, line('/root/.aws/credentials'));
    const deadline = Date.now() + 10_000;
    while (!h.out().includes('AGT-CREDENTIAL-ACCESS') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(h.out()).toContain('"detector":"AGT-CREDENTIAL-ACCESS"');
    controller.abort();
    expect(await done).toBe(0);
    expect(h.err()).toContain('read 2 log lines → 2 events (canonical 2)');
  });
});
