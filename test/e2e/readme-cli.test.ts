/**
 * The README's CLI examples ("Replay your own logs", the first ```sh block) run as written from the
 * repository root: each line through `sh -c`, as a user pastes it. A line whose comment promises
 * "exit 3" must exit 3, the others 0; `watch` follows its file until Ctrl-C (SIGINT to its process
 * group, as a terminal sends it) and then prints its summary.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/instrument-dist.js';

function readmeCliExamples(): Array<{ command: string; comment: string }> {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Replay your own logs'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const hash = line.indexOf(' # ');
      return hash === -1 ? { command: line.trim(), comment: '' } : { command: line.slice(0, hash).trim(), comment: line.slice(hash + 3) };
    });
}

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runShell(command: string, opts: { interruptWhen?: (stdout: string) => boolean; timeoutMs: number }): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { cwd: REPO_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    const interrupt = (): void => {
      if (interrupted || child.pid === undefined) return;
      interrupted = true;
      process.kill(-child.pid, 'SIGINT');
    };
    const timer = setTimeout(interrupt, opts.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (opts.interruptWhen?.(stdout)) setTimeout(interrupt, 300);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const examples = readmeCliExamples();

describe('README: the CLI examples run as written', () => {
  it('has the examples this test expects', () => {
    expect(examples.map((e) => e.command.split(' ')[5])).toEqual(['replay', 'replay', 'replay', 'replay', 'watch', 'validate-config']);
  });

  for (const { command, comment } of examples) {
    it(command, async () => {
      const isWatch = command.includes(' watch ');
      const run = await runShell(command, {
        timeoutMs: isWatch ? 20_000 : 60_000,
        ...(isWatch ? { interruptWhen: (out: string) => /^HIGH /m.test(out) } : {}),
      });
      expect(run.stderr).not.toMatch(/no such file|Error:/);
      // After Ctrl-C, npm itself ends by SIGINT once watch has printed its summary and exited 0.
      if (isWatch && run.code === null) expect(run.signal).toBe('SIGINT');
      else expect(run.code).toBe(comment.includes('exit 3') ? 3 : 0);
      if (comment.includes('exit 3')) expect(run.stderr).toMatch(/--fail-on high: \d+ alerts at or above high — CRITICAL /);
      if (command.includes('--output json')) for (const line of run.stdout.trim().split('\n')) expect(JSON.parse(line)).toHaveProperty('detector');
      if (isWatch) expect(run.stdout).toMatch(/read 2 log lines → 2 events/);
      if (command.includes('replay') && !command.includes('--output json')) expect(run.stdout).toMatch(/read \d+ log lines/);
    }, 90_000);
  }
});
