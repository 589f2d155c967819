/**
 * infra/bin/app.ts as the CDK CLI runs it: reads the config file named by the `configFile`
 * context, synthesizes the stack with the cdk-nag plugins, and fails cleanly on a bad config.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultHandlerEntries } from '../../infra/constructs/mcp-security-monitoring.js';
import { REPO_ROOT } from '../../infra/constructs/watchtower-function.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/watchtower.config.yaml', import.meta.url));
const entries = defaultHandlerEntries();
const handlersExist = existsSync(entries.ingest) && existsSync(entries.configChange);

function runApp(context: Record<string, unknown>) {
  const outdir = mkdtempSync(join(tmpdir(), 'watchtower-app-'));
  const { NODE_ENV: _ignored, ...environment } = process.env;
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'infra/bin/app.ts'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: {
      ...environment,
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:bundling-stacks': [], ...context }),
    },
    timeout: 90_000,
  });
  return { ...result, outdir };
}

describe('CDK app', () => {
  it.skipIf(!handlersExist)(
    'synthesizes the stack named in the config file with zero cdk-nag findings',
    { timeout: 120_000 },
    () => {
      const run = runApp({ configFile: FIXTURE });
      expect(run.stderr).not.toMatch(/ERROR|AwsSolutions-|Serverless-/);
      expect(run.status).toBe(0);
      // The fixture asks for a prefix: synth says so, and warns that the policy is account-wide.
      expect(run.stderr).toContain('McpWatchtowerTest: log group prefixes /mcp/ and log groups /aws/lambda/files-mcp selected through ONE account-level subscription filter policy to the Kinesis stream');
      expect(run.stderr).toContain('WARNING: the account-level policy delivers EVERY log group in this account and region');
      const template = JSON.parse(
        readFileSync(join(run.outdir, 'McpWatchtowerTest.template.json'), 'utf8'),
      ) as {
        Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
      };
      const types = Object.values(template.Resources).map((r) => r.Type);
      expect(types.filter((t) => t === 'AWS::Kinesis::Stream')).toHaveLength(1);
      expect(types.filter((t) => t === 'AWS::Logs::AccountPolicy')).toHaveLength(1);
      const report = JSON.parse(readFileSync(join(run.outdir, 'validation-report.json'), 'utf8')) as {
        pluginReports: unknown[];
      };
      expect(report.pluginReports).toEqual([]);
    },
  );

  it('exits 1 with the file name when the config file is missing', { timeout: 60_000 }, () => {
    const run = runApp({ configFile: '/nonexistent/watchtower.config.yaml' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('cannot read config file /nonexistent/watchtower.config.yaml');
  });
});
