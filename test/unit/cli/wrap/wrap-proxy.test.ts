/**
 * The wrapper's forwarding path with a real child process: bytes out equal bytes in (large
 * messages split across many chunks, multi-byte characters cut at chunk edges, invalid UTF-8,
 * CRLF, a last line without newline), events described from the copy, exit codes passed through,
 * and a command that does not exist reported with the shell's 127.
 */
import { existsSync } from 'node:fs';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../../functions/cli/io.js';
import { wrap } from '../../../../functions/cli/commands/wrap.js';
import { LineSplitter } from '../../../../functions/cli/wrap/line-splitter.js';

function collector(): { stream: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  return { stream, bytes: () => Buffer.concat(chunks) };
}

/** A child that copies stdin to stdout and then exits with `code`. */
const echoChild = (code: number): string[] => ['-e', `process.stdin.pipe(process.stdout); process.stdin.on('end', () => { process.exitCode = ${code}; });`];

async function wrapEcho(input: Buffer[], code = 0): Promise<{ exit: number; out: Buffer; log: string; stderr: string }> {
  const stdin = new PassThrough();
  const out = collector();
  const err = collector();
  const io: CliIo = { stdin, stdout: out.stream, stderr: err.stream, env: {} };
  const done = wrap(process.execPath, echoChild(code), { serverName: 'echo-mcp' }, io);
  for (const chunk of input) {
    stdin.write(chunk);
    await new Promise((r) => setImmediate(r));
  }
  stdin.end();
  const exit = await done;
  const stderr = err.bytes().toString('utf8');
  return { exit: exit.code, out: out.bytes(), log: stderr, stderr };
}

describe('wrap: forwarding', () => {
  it('forwards every byte unchanged and describes the JSON-RPC messages it saw', async () => {
    const big = 'é'.repeat(1_500_000); // 3 MB of two-byte characters
    const request = Buffer.from(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'write_note', arguments: { text: big } } })}\n`,
    );
    const response = Buffer.from(`${JSON.stringify({ jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'ok' }] } })}\r\n`);
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x0a]); // not UTF-8, not JSON: forwarded, not described
    const tail = Buffer.from('{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}'); // no final newline
    const all = Buffer.concat([request, response, binary, tail]);
    // Cut at odd offsets so characters and messages straddle chunks.
    const chunks: Buffer[] = [];
    for (let at = 0; at < all.length; at += 65_537) chunks.push(all.subarray(at, at + 65_537));

    const run = await wrapEcho(chunks, 0);
    expect(run.exit).toBe(0);
    expect(run.out.equals(all)).toBe(true);

    // The echo child "answers" with what it was sent, so each message is seen in both directions.
    const events = run.log
      .split('\n')
      .filter((l) => l.startsWith('{"v":1'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const call = events.find((e) => e.event === 'mcp.call' && e.tool === 'write_note') as { arguments: { text: string }; server: { name: string }; transport: string };
    expect(call.server.name).toBe('echo-mcp');
    expect(call.transport).toBe('stdio');
    // Arguments are bounded at capture (4 KiB per string), whatever the message size.
    expect(Buffer.byteLength(call.arguments.text)).toBeLessThanOrEqual(4096 + 32);
    expect(events.some((e) => e.event === 'mcp.notification')).toBe(true);
  });

  it('exits with the server\'s exit code', async () => {
    const run = await wrapEcho([Buffer.from('{}\n')], 7);
    expect(run.exit).toBe(7);
  });

  it.skipIf(!existsSync('/dev/full'))('a log that cannot be written (disk full) is reported once; the protocol keeps flowing', async () => {
    const stdin = new PassThrough();
    const out = collector();
    const err = collector();
    const done = wrap(process.execPath, echoChild(5), { log: '/dev/full' }, { stdin, stdout: out.stream, stderr: err.stream, env: {} });
    const request = `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' })}\n${JSON.stringify({ jsonrpc: '2.0', id: 1, result: {} })}\n`;
    stdin.end(request);
    expect((await done).code).toBe(5);
    expect(out.bytes().toString('utf8')).toBe(request);
    const messages = err.bytes().toString('utf8').split('\n').filter((l) => l.includes('writing log file /dev/full failed'));
    expect(messages).toEqual(['mcp-watchtower wrap: writing log file /dev/full failed (ENOSPC); the server keeps running']);
  });

  it('a command that cannot be started: exit 127 and the reason on stderr', async () => {
    const stdin = new PassThrough();
    stdin.end();
    const err = collector();
    const exit = await wrap('/nonexistent/mcp-server', [], {}, { stdin, stdout: collector().stream, stderr: err.stream, env: {} });
    expect(exit.code).toBe(127);
    expect(err.bytes().toString('utf8')).toContain('cannot start /nonexistent/mcp-server: ENOENT');
  });
});

describe('LineSplitter', () => {
  it('reassembles lines across chunks and skips (and counts) a line over the limit', () => {
    const lines: string[] = [];
    let oversized = 0;
    const splitter = new LineSplitter({ maxLineBytes: 10, onLine: (l) => lines.push(l.toString()), onOversized: () => oversized++ });
    for (const part of ['ab', 'c\nde', 'f\n0123456789', 'ABC\nxyz']) splitter.push(Buffer.from(part));
    splitter.end();
    expect(lines).toEqual(['abc', 'def', 'xyz']);
    expect(oversized).toBe(1);
  });
});

describe('wrap: a server that leaves a process holding its stdout', () => {
  it('still ends shortly after the server exits, with its exit code', async () => {
    const stdin = new PassThrough();
    stdin.end();
    // The server starts a long sleeper that inherits stdout, then exits with 3.
    const script = "require('node:child_process').spawn('sleep', ['20'], { stdio: ['ignore', 'inherit', 'inherit'] }).unref(); process.exit(3);";
    const started = Date.now();
    const exit = await wrap(process.execPath, ['-e', script], {}, { stdin, stdout: collector().stream, stderr: collector().stream, env: {} });
    expect(exit.code).toBe(3);
    expect(Date.now() - started).toBeLessThan(12_000);
  });
});
