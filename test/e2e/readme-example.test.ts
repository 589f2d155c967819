/**
 * The README's "two lines" walk-through, run as a user runs it from the repository root:
 *
 *   npx tsx examples/instrumented-server/drive.ts <file>       (the example server's events → file)
 *   npx tsx functions/cli/main.ts replay <file> --output json  (the detectors over that file)
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../functions/engine/alerts/alert.js';
import { REPO_ROOT } from './support/instrument-dist.js';

const run = promisify(execFile);
const workDir = mkdtempSync(join(tmpdir(), 'watchtower-e2e-readme-'));

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('README example: drive the instrumented server, then replay its log', () => {
  it('prints exactly the alerts of the scripted attack steps', async () => {
    const logFile = join(workDir, 'mcp.log');
    await run('npx', ['tsx', 'examples/instrumented-server/drive.ts', logFile], {
      cwd: REPO_ROOT,
      timeout: 30_000,
    });
    const events = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; tool?: string });
    // initialize, tools/list (as a call and as the tool definitions), then the seven scripted calls.
    expect(events.map((e) => e.event)).toEqual([
      'mcp.session',
      'mcp.call',
      'mcp.tools',
      ...Array<string>(7).fill('mcp.call'),
    ]);

    const { stdout } = await run(
      'npx',
      ['tsx', 'functions/cli/main.ts', 'replay', logFile, '--output', 'json'],
      {
        cwd: REPO_ROOT,
        timeout: 30_000,
      },
    );
    const alerts = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Alert);
    expect(alerts.map((a) => `${a.detector} ${a.severity} ${a.tool ?? '-'}`).sort()).toEqual([
      // read_file ~/.aws/credentials
      'AGT-CREDENTIAL-ACCESS high read_file',
      // the credential file's text, mailed to drop@attacker.example after the read: the copied text
      // holds the instrumentation's [REDACTED:aws-access-key] marker, so a secret left the agent
      'AGT-TOXIC-FLOW critical send_email',
      // read_file /srv/docs/../../etc/passwd
      'API-INJECTION high read_file',
      // the redaction markers going out in send_email's arguments, and coming back from read_file
      'API-SECRET-LEAK high send_email',
      'API-SECRET-LEAK medium read_file',
      // fetch_url http://169.254.169.254/latest/meta-data/
      'API-SSRF critical fetch_url',
      // the project correlation rule (rules/): a credential file read, then data sent out in the session
      'MCP-CORR-CREDENTIAL-THEN-EGRESS critical fetch_url',
    ]);
    expect(new Set(alerts.map((a) => a.server))).toEqual(new Set(['example-files-mcp']));
  });
});
