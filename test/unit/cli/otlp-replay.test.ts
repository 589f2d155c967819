/**
 * OpenTelemetry input end to end: the OTLP trace and log files of examples/otlp (as the OTel
 * Collector's file exporter writes them) replay into the expected alerts — the attack session and
 * the stdio processes alert, the benign session stays quiet — and local captures without sessions
 * or timestamps (bare JSON-RPC, Lambda REPORT lines) are read, with session-keyed detectors working.
 */
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../helpers/cli-io.js';

interface AlertLine {
  detector: string;
  server: string;
  session?: string;
  clientIp?: string;
}

async function replayJson(
  ...inputs: string[]
): Promise<{ code: number; alerts: AlertLine[]; stderr: string }> {
  const run = await runCliCaptured(['replay', ...inputs, '--output', 'json'], {});
  const alerts = run.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AlertLine);
  return { code: run.code, alerts, stderr: run.stderr };
}

const key = (a: AlertLine): string => `${a.detector} ${a.server} ${a.session ?? '-'}`;

describe('replay of OTLP files (examples/otlp)', () => {
  it("turns the trace file into the attack session's alerts, and nothing for the benign session", async () => {
    const { code, alerts, stderr } = await replayJson('examples/otlp/traces.jsonl');
    expect(code).toBe(0);
    expect(alerts.map(key).sort()).toEqual(
      [
        'AGT-CREDENTIAL-ACCESS files-mcp s-e4f19a03',
        'AGT-TOXIC-FLOW files-mcp s-e4f19a03',
        'API-INJECTION files-mcp s-e4f19a03',
        'API-PROMPT-INJECTION files-mcp s-e4f19a03',
        'API-SSRF files-mcp s-e4f19a03',
        // the project correlation rule: credential read, then egress in the same session
        'MCP-CORR-CREDENTIAL-THEN-EGRESS files-mcp s-e4f19a03',
      ].sort(),
    );
    expect(alerts.every((a) => a.clientIp === '198.51.100.23')).toBe(true);
    expect(stderr).toContain('(otlp 3), 0 unparsed');
  });

  it('turns the log file into alerts on derived sessions of stdio processes', async () => {
    const { alerts, stderr } = await replayJson('examples/otlp/logs.jsonl');
    expect(alerts.map(key).sort()).toEqual([
      'AGT-CREDENTIAL-ACCESS shell-mcp derived:otel:shell-mcp/dev-laptop-3:50122',
      // API-LOOP keys on the session: a stdio server has none, the process is one.
      'API-LOOP notes-mcp derived:otel:notes-mcp/dev-laptop-3:48213',
    ]);
    expect(stderr).toContain('(otlp 3), 0 unparsed');
  });
});

describe('local captures without sessions or timestamps', () => {
  it('reads every line of bare JSON-RPC and Lambda REPORT files and says how they were timed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wt-otel-'));
    const loop: string[] = [];
    for (let id = 1; id <= 10; id++) {
      loop.push(
        JSON.stringify({
          jsonrpc: '2.0',
          id,
          method: 'tools/call',
          params: { name: 'search', arguments: { q: 'same' } },
        }),
      );
      loop.push(
        JSON.stringify({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: 'no results' }] } }),
      );
    }
    const capture = join(dir, 'stdio-capture.jsonl');
    writeFileSync(capture, `${loop.join('\n')}\n`);
    const reports = join(dir, 'lambda-report.log');
    writeFileSync(
      reports,
      'REPORT RequestId: 3f1c\tDuration: 12.30 ms\tBilled Duration: 13 ms\tMemory Size: 512 MB\tMax Memory Used: 81 MB\n',
    );
    const mtime = new Date('2026-11-24T08:00:00Z');
    utimesSync(capture, mtime, mtime);
    utimesSync(reports, mtime, mtime);

    const { alerts, stderr } = await replayJson(capture, reports);
    expect(stderr).toContain('read 21 log lines → 11 events (jsonrpc 20, lambda-report 1), 0 unparsed');
    expect(stderr).toContain(
      "21 lines without a timestamp took the previous line's time (or the file's modification time)",
    );
    // Ten identical calls: API-LOOP needs a session, and the capture file is one.
    // The lines name no server (and a local file has no log group): the alert says so.
    expect(alerts.map(key)).toEqual([`API-LOOP unknown derived:file:${capture}`]);
  });
});
