/**
 * Signals through the real CLI process: SIGTERM sent to the wrapper reaches the server; a server
 * that handles it decides the exit code, one that does not ends the wrapper by the same signal.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../e2e/support/instrument-dist.js';

const CLI = join(REPO_ROOT, 'bin/mcp-watchtower.js');

function runWrapped(childScript: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const wrapper = spawn(process.execPath, [CLI, 'wrap', '--', process.execPath, '-e', childScript], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    wrapper.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      // The child announces itself once it listens for signals; then the wrapper is told to stop.
      if (stderr.includes('ready')) wrapper.kill('SIGTERM');
    });
    wrapper.on('error', reject);
    wrapper.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('wrap: signals', () => {
  it('passes SIGTERM to the server and exits with the code the server chose', async () => {
    const run = await runWrapped(
      "process.on('SIGTERM', () => { process.stderr.write('server got SIGTERM\\n'); process.exit(42); }); process.stderr.write('ready\\n'); setInterval(() => {}, 1000);",
    );
    expect(run.stderr).toContain('server got SIGTERM');
    expect(run.code).toBe(42);
  }, 30_000);

  it('ends by the same signal when the server was killed by it', async () => {
    const run = await runWrapped("process.stderr.write('ready\\n'); setInterval(() => {}, 1000);");
    expect(run.signal).toBe('SIGTERM');
  }, 30_000);
});
