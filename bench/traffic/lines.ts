/**
 * Turns simulated canonical events into the log lines each server would really write: canonical
 * JSON, Node Lambda console lines (+ REPORT lines), or raw JSON-RPC request/response pairs as a
 * logging proxy writes them.
 */
import type { SimServer } from './world.js';

export type SimEvent = Record<string, unknown> & { event: string; time: string };

export interface LogLine {
  readonly t: number;
  readonly logGroup: string;
  readonly logStream: string;
  readonly message: string;
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

let requestCounter = 0;
function requestId(): string {
  requestCounter = (requestCounter + 1) % 0xffffffff;
  return `${requestCounter.toString(16).padStart(8, '0')}-4a1b-4c2d-8e3f-${(requestCounter * 2654435761 >>> 0).toString(16).padStart(12, '0')}`;
}

/** The raw JSON-RPC lines a proxy logs for one canonical event (request, then response). */
function jsonRpcLines(server: SimServer, ev: SimEvent, t: number): Array<[number, string]> {
  const rpc = ev.rpc as { id?: number; method?: string } | undefined;
  const session = ev.session as string | undefined;
  const wrap = (direction: 'in' | 'out', time: number, message: Record<string, unknown>) =>
    JSON.stringify({ direction, time: iso(time), session, server: server.name, message });
  if (ev.event === 'mcp.session') {
    const client = ev.client as { name?: string; version?: string };
    return [
      [t, wrap('in', t, { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: ev.protocolVersion, capabilities: {}, clientInfo: { name: client.name, version: client.version } } })],
      [t + 3, wrap('out', t + 3, { jsonrpc: '2.0', id: 0, result: { protocolVersion: ev.protocolVersion, capabilities: { tools: { listChanged: true } }, serverInfo: { name: server.name, version: server.version } } })],
    ];
  }
  if (ev.event === 'mcp.tools') {
    return [
      [t, wrap('in', t, { jsonrpc: '2.0', id: rpc?.id ?? 1, method: 'tools/list' })],
      [t + 2, wrap('out', t + 2, { jsonrpc: '2.0', id: rpc?.id ?? 1, result: { tools: ev.tools } })],
    ];
  }
  if (ev.event !== 'mcp.call' || rpc?.method !== 'tools/call') return [];
  const duration = Math.round((ev.durationMs as number | undefined) ?? 10);
  const request = { jsonrpc: '2.0', id: rpc.id, method: 'tools/call', params: { name: ev.tool, arguments: ev.arguments } };
  const error = ev.error as { code: number; message: string } | undefined;
  const result = ev.result as { isError?: boolean; text?: string } | undefined;
  const response = error
    ? { jsonrpc: '2.0', id: rpc.id, error }
    : { jsonrpc: '2.0', id: rpc.id, result: { content: [{ type: 'text', text: result?.text ?? '' }], isError: result?.isError ?? false } };
  return [
    [t, wrap('in', t, request)],
    [t + duration, wrap('out', t + duration, response)],
  ];
}

export function linesFor(server: SimServer, stream: string, ev: SimEvent, t: number): LogLine[] {
  const at = (time: number, message: string): LogLine => ({ t: time, logGroup: server.logGroup, logStream: stream, message });
  switch (server.format) {
    case 'canonical':
      return [at(t, JSON.stringify(ev))];
    case 'lambda-text': {
      if (ev.event === 'mcp.usage') return [];
      const id = requestId();
      const out = [at(t, `${iso(t)}\t${id}\tINFO\t${JSON.stringify(ev)}`)];
      if (ev.event === 'mcp.call') {
        const duration = ((ev.durationMs as number | undefined) ?? 5) + 1.7;
        const used = 70 + ((t / 1000) % 40);
        out.push(
          at(
            t + Math.ceil(duration),
            `REPORT RequestId: ${id}\tDuration: ${duration.toFixed(2)} ms\tBilled Duration: ${Math.ceil(duration)} ms\tMemory Size: 512 MB\tMax Memory Used: ${Math.round(used)} MB\t`,
          ),
        );
      }
      return out;
    }
    case 'jsonrpc':
      return jsonRpcLines(server, ev, t).map(([time, message]) => at(time, message));
  }
}
