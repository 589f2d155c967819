/**
 * A transparent stdio proxy around a child process: the client's bytes go to the child's stdin and
 * the child's stdout comes back, chunk for chunk, exactly as read — nothing is decoded, re-framed
 * or re-serialized on the forwarding path. Observers get each chunk after it was handed on, so
 * parsing never delays the protocol. Back-pressure is kept (a slow reader pauses the writer),
 * SIGINT/SIGTERM/SIGHUP are passed to the child, and the child's exit code or signal is returned.
 */
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

export interface ProxyStreams {
  /** Where the client's messages come from (the wrapper's stdin). */
  readonly stdin: Readable;
  /** Where the server's messages go (the wrapper's stdout). */
  readonly stdout: Writable;
  /** Where the child's stderr goes. */
  readonly stderr: Writable;
}

export interface StdioProxyOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly streams: ProxyStreams;
  /** A copy of each chunk the client sent, after it was forwarded to the child. */
  readonly onClientChunk?: (chunk: Buffer) => void;
  /** A copy of each chunk the child wrote to stdout, after it was forwarded to the client. */
  readonly onServerChunk?: (chunk: Buffer) => void;
  /**
   * Forward the child's stderr whole lines at a time, so lines the wrapper writes to the same
   * stream (its event log) never land inside one of the child's lines.
   */
  readonly alignStderr?: boolean;
  /** Signals passed on to the child. @default SIGINT, SIGTERM, SIGHUP */
  readonly signals?: readonly NodeJS.Signals[];
}

export interface ProxyExit {
  /** The child's exit code, when it exited normally. */
  readonly code: number | null;
  /** The signal that ended the child, when one did. */
  readonly signal: NodeJS.Signals | null;
  /** Why the child could not be started (e.g. ENOENT). */
  readonly spawnError?: Error;
}

/** How long the pipes may stay open after the server exited (held by a process it started). */
const STDIO_GRACE_MS = 2000;

/** Above this, a partial stderr line is forwarded as is rather than held back. */
const MAX_HELD_STDERR_BYTES = 64 * 1024;

function guarded(observe: ((chunk: Buffer) => void) | undefined): (chunk: Buffer) => void {
  if (!observe) return () => undefined;
  return (chunk) => {
    try {
      observe(chunk);
    } catch {
      // Observation is best effort; the protocol must flow regardless.
    }
  };
}

/** Copies `source` to `target` chunk by chunk, pausing while `target` is full. */
function forward(source: Readable, target: Writable, observe: (chunk: Buffer) => void): void {
  let waiting = false;
  source.on('data', (chunk: Buffer) => {
    if (!target.destroyed && !target.write(chunk) && !waiting) {
      waiting = true;
      source.pause();
      target.once('drain', () => {
        waiting = false;
        source.resume();
      });
    }
    observe(chunk);
  });
}

/** Like `forward`, but each write ends on a line boundary (held bytes are flushed at the end). */
function forwardLines(source: Readable, target: Writable): void {
  let held: Buffer = Buffer.alloc(0);
  source.on('data', (chunk: Buffer) => {
    const data = held.length > 0 ? Buffer.concat([held, chunk]) : chunk;
    const lastNewline = data.lastIndexOf(0x0a);
    if (lastNewline === -1 && data.length <= MAX_HELD_STDERR_BYTES) {
      held = Buffer.from(data);
      return;
    }
    const cut = lastNewline === -1 ? data.length : lastNewline + 1;
    held = Buffer.from(data.subarray(cut));
    if (!target.destroyed) target.write(data.subarray(0, cut));
  });
  source.on('end', () => {
    if (held.length > 0 && !target.destroyed) target.write(held);
    held = Buffer.alloc(0);
  });
}

export function runStdioProxy(options: StdioProxyOptions): Promise<ProxyExit> {
  const { streams } = options;
  const signals = options.signals ?? (['SIGINT', 'SIGTERM', 'SIGHUP'] as const);
  return new Promise<ProxyExit>((resolve) => {
    const child = spawn(options.command, [...options.args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let settled = false;
    const passOn = (signal: NodeJS.Signals): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    for (const signal of signals) process.on(signal, passOn);

    const onClientData = guarded(options.onClientChunk);
    const endChildInput = (): void => {
      child.stdin.end();
    };
    const settle = (exit: ProxyExit): void => {
      if (settled) return;
      settled = true;
      for (const signal of signals) process.off(signal, passOn);
      streams.stdin.off('end', endChildInput);
      streams.stdin.unpipe();
      streams.stdin.pause();
      // The client may keep its end open; the wrapper must not outlive the server because of it.
      if (streams.stdin === process.stdin) process.stdin.destroy();
      resolve(exit);
    };

    // The server exiting while the client writes is normal (EPIPE); the exit code says what happened.
    child.stdin.on('error', () => undefined);
    streams.stdout.on('error', () => undefined);
    forward(streams.stdin, child.stdin, onClientData);
    streams.stdin.on('end', endChildInput);
    forward(child.stdout, streams.stdout, guarded(options.onServerChunk));
    if (options.alignStderr) forwardLines(child.stderr, streams.stderr);
    else forward(child.stderr, streams.stderr, () => undefined);

    child.on('error', (error) => {
      // Only a failed spawn settles here; errors of a running child end in 'close' below.
      if (child.pid === undefined) settle({ code: null, signal: null, spawnError: error });
    });
    // 'close' comes after the child's stdout and stderr ended: everything was forwarded.
    child.on('close', (code, signal) => settle({ code, signal }));
    // A grandchild that inherited the pipes can hold them open after the server exited: give the
    // last bytes a moment, then stop waiting for it.
    child.on('exit', (code, signal) => {
      setTimeout(() => {
        if (settled) return;
        child.stdout.destroy();
        child.stderr.destroy();
        settle({ code, signal });
      }, STDIO_GRACE_MS).unref();
    });
  });
}
