/**
 * JSON-RPC requests and responses pair by (session, server, direction, id) across the records
 * pushed into one Normalizer, whatever chunks they arrive in; the waiting buffer is bounded.
 */
import { describe, expect, it } from 'vitest';
import { MAX_PENDING_REQUESTS } from '../../../functions/engine/events/formats/jsonrpc.js';
import { Normalizer, type RawLogRecord } from '../../../functions/engine/events/normalize.js';

const T0 = Date.parse('2026-11-24T10:00:00.000Z');

function iso(ms: number): string {
  return new Date(T0 + ms).toISOString();
}

function line(
  direction: 'in' | 'out',
  ms: number,
  session: string,
  message: Record<string, unknown>,
  server = 'files-mcp',
): RawLogRecord {
  return {
    message: JSON.stringify({
      direction,
      time: iso(ms),
      session,
      server,
      message: { jsonrpc: '2.0', ...message },
    }),
    timestamp: T0 + ms,
    id: `r${ms}`,
  };
}

const call = (id: number | string, name = 'read_file') => ({
  id,
  method: 'tools/call',
  params: { name, arguments: { n: id } },
});
const ok = (id: number | string, text = 'ok') => ({ id, result: { content: [{ type: 'text', text }] } });

describe('pairing', () => {
  it('pairs a response pushed in a later chunk, as long as the batch is not flushed', () => {
    const n = new Normalizer();
    n.push(line('in', 0, 's1', call(1)));
    expect(n.drain()).toEqual([]);
    n.push(line('out', 25, 's1', ok(1, 'done')));
    const events = n.drain();
    expect(
      events.map((e) => [e.event.rpc?.id, e.event.result?.text, e.event.durationMs, e.origin.id]),
    ).toEqual([[1, 'done', 25, 'r0']]);
    expect(n.flush()).toEqual([]);
    expect(n.stats).toMatchObject({ lines: 2, events: 1, unparsed: 0 });
  });

  it('turns requests still waiting at flush into calls without a result, and a later response into an unpaired call', () => {
    const n = new Normalizer();
    n.push(line('in', 0, 's1', call(1)));
    const flushed = n.flush();
    expect(
      flushed.map((e) => ({
        id: e.event.rpc?.id,
        tool: e.event.tool,
        result: e.event.result,
        durationMs: e.event.durationMs,
      })),
    ).toEqual([{ id: 1, tool: 'read_file', result: undefined, durationMs: undefined }]);
    n.push(line('out', 10, 's1', ok(1)));
    expect(n.drain().map((e) => e.event.rpc)).toEqual([{ id: 1, method: 'tools/call', inferred: true }]);
  });

  it('does not pair across sessions, servers, id types or directions', () => {
    const n = new Normalizer();
    n.push(line('in', 0, 's1', call(1)));
    n.push(line('out', 1, 's2', ok(1))); // other session
    n.push(line('out', 2, 's1', ok(1), 'other-mcp')); // other server
    n.push(line('out', 3, 's1', ok('1'))); // string id "1" is not number 1
    n.push(line('in', 4, 's1', ok(1))); // a client's response answers a server's request, not this one
    const unpaired = n.drain();
    expect(
      unpaired.map((e) => [e.event.session, e.event.server?.name, e.event.rpc?.id, e.event.direction]),
    ).toEqual([
      ['s2', 'files-mcp', 1, undefined],
      ['s1', 'other-mcp', 1, undefined],
      ['s1', 'files-mcp', '1', undefined],
      ['s1', 'files-mcp', 1, 'server-to-client'],
    ]);
    n.push(line('out', 9, 's1', ok(1, 'mine')));
    expect(n.drain().map((e) => [e.event.result?.text, e.event.durationMs])).toEqual([['mine', 9]]);
  });

  it('pairs bare messages (stdio logs) within one log stream', () => {
    const n = new Normalizer();
    const bare = (message: Record<string, unknown>, ms: number, logStream: string): RawLogRecord => ({
      message: JSON.stringify({ jsonrpc: '2.0', ...message }),
      timestamp: T0 + ms,
      logGroup: '/aws/lambda/files-mcp',
      logStream,
    });
    n.push(bare(call(1), 0, 'a'));
    n.push(bare(ok(1), 5, 'b')); // another process's stream
    n.push(bare(ok(1, 'a-result'), 7, 'a'));
    expect(
      n
        .drain()
        .map((e) => [e.origin.logStream, e.event.result?.text, e.event.durationMs, e.event.server?.name]),
    ).toEqual([
      ['b', 'ok', undefined, 'files-mcp'],
      ['a', 'a-result', 7, 'files-mcp'],
    ]);
  });

  it('emits the earlier request unanswered when an id is reused before its response', () => {
    const n = new Normalizer();
    n.push(line('in', 0, 's1', call(1, 'first')));
    n.push(line('in', 1, 's1', call(1, 'second')));
    expect(n.drain().map((e) => [e.event.tool, e.event.result])).toEqual([['first', undefined]]);
    n.push(line('out', 2, 's1', ok(1)));
    expect(n.drain().map((e) => [e.event.tool, e.event.durationMs])).toEqual([['second', 1]]);
  });

  it(`bounds the waiting requests to ${MAX_PENDING_REQUESTS}: the oldest leaves unanswered`, () => {
    const n = new Normalizer();
    for (let i = 0; i <= MAX_PENDING_REQUESTS; i++) n.push(line('in', i, 's1', call(i)));
    const evicted = n.drain();
    expect(evicted.map((e) => [e.event.rpc?.id, e.event.result])).toEqual([[0, undefined]]);
    n.push(line('out', 20_000, 's1', ok(0)));
    n.push(line('out', 20_001, 's1', ok(MAX_PENDING_REQUESTS)));
    const after = n.drain();
    expect(after.map((e) => [e.event.rpc?.id, e.event.rpc?.inferred ?? false])).toEqual([
      [0, true],
      [MAX_PENDING_REQUESTS, false],
    ]);
    expect(n.flush()).toHaveLength(MAX_PENDING_REQUESTS - 1);
  });

  it('remembers an initialize per session and fills in the session’s later events', () => {
    const n = new Normalizer();
    n.push(
      line('in', 0, 's1', {
        id: 0,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', clientInfo: { name: 'cursor', version: '1.2' } },
      }),
    );
    n.push(
      line('out', 3, 's1', {
        id: 0,
        result: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          serverInfo: { name: 'files', version: '2.0.0' },
        },
      }),
    );
    n.push(line('in', 10, 's1', call(1)));
    n.push(line('out', 11, 's1', ok(1)));
    n.push(line('in', 12, 's2', call(1)));
    n.push(line('out', 13, 's2', ok(1)));
    const [session, inSession, otherSession] = n.drain();
    expect(session?.event).toMatchObject({
      event: 'mcp.session',
      client: { name: 'cursor', version: '1.2' },
      protocolVersion: '2025-11-25',
      server: { name: 'files-mcp', version: '2.0.0' },
    });
    expect(inSession?.event).toMatchObject({
      event: 'mcp.call',
      client: { name: 'cursor', version: '1.2' },
      protocolVersion: '2025-11-25',
      server: { name: 'files-mcp', version: '2.0.0' },
    });
    expect(otherSession?.event.client).toBeUndefined();
    expect(otherSession?.event.server).toEqual({ name: 'files-mcp' });
  });

  it('cuts result text to 4 KiB on a character boundary and keeps the full size', () => {
    const n = new Normalizer();
    const text = `${'é'.repeat(3000)}tail`;
    n.push(line('in', 0, 's1', call(1)));
    n.push(line('out', 1, 's1', ok(1, text)));
    const [event] = n.drain();
    const result = event?.event.result as { text: string; bytes: number; truncated: boolean };
    expect(Buffer.byteLength(result.text)).toBe(4096);
    expect(result.text).toBe('é'.repeat(2048));
    expect(result.bytes).toBe(6004);
    expect(result.truncated).toBe(true);
  });

  it('passes through what an input-required result asks for (multi round-trip requests)', () => {
    const n = new Normalizer();
    n.push(line('in', 0, 's1', call(1)));
    const inputRequests = { a: { method: 'elicitation/create', params: {} } };
    n.push(line('out', 1, 's1', { id: 1, result: { resultType: 'input_required', inputRequests } }));
    expect(n.drain()[0]?.event.result).toEqual({ resultType: 'input_required', inputRequests });
  });
});
