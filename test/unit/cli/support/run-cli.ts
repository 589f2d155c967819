/** Runs the CLI in-process with the given stdin text and captured stdout/stderr. */
import { PassThrough, Writable } from 'node:stream';
import { runCli } from '../../../../functions/cli/main.js';

export interface CapturedRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString('utf8');
      callback();
    },
  });
  return { stream, text: () => text };
}

export async function runCliCapturedWithStdin(argv: readonly string[], stdinText: string): Promise<CapturedRun> {
  const out = sink();
  const err = sink();
  const stdin = new PassThrough();
  stdin.end(stdinText);
  const code = await runCli(argv, { stdout: out.stream, stderr: err.stream, stdin, env: {} });
  return { code, stdout: out.text(), stderr: err.text() };
}
