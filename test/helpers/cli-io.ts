/** Runs the CLI in-process with captured streams. */
import { PassThrough, Writable } from 'node:stream';
import { runCli } from '../../functions/cli/main.js';
import type { CliIo } from '../../functions/cli/io.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}

export async function runCliCaptured(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<CliRun> {
  const out = sink();
  const err = sink();
  const stdin = new PassThrough();
  stdin.end();
  const io: CliIo = { stdout: out.stream, stderr: err.stream, stdin, env };
  const code = await runCli(argv, io);
  return { code, stdout: out.text(), stderr: err.text() };
}
