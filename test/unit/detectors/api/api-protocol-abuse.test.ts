import { describe, expect, it } from 'vitest';
import { findingsOf, mcpEvent, runEvents, type EventInput } from '../../../helpers/engine-harness.js';

const ID = 'API-PROTOCOL-ABUSE';

function call(time: number, overrides: Partial<EventInput> = {}) {
  return mcpEvent({
    event: 'mcp.call',
    time,
    server: { name: 'app-mcp' },
    transport: 'streamable-http',
    session: 'sess-1',
    client: { ip: '198.51.100.23', userAgent: 'fuzzer/1.0' },
    http: { method: 'POST', path: '/mcp', status: 200 },
    rpc: { id: time, method: 'tools/call' },
    ...overrides,
  });
}

const protocolError = (time: number, code: number, message: string, overrides: Partial<EventInput> = {}) =>
  call(time, { error: { code, message }, ...overrides });

async function run(events: ReturnType<typeof call>[]) {
  const result = await runEvents(events, { only: [ID] });
  return findingsOf(result, ID).map((f) => [f.severity, f.subject]);
}

describe('API-PROTOCOL-ABUSE', () => {
  it('20 protocol errors from one IP in 5 minutes → medium, once', async () => {
    const codes = [-32700, -32600, -32601, -32602];
    const events = Array.from({ length: 25 }, (_, i) =>
      protocolError(i * 10, codes[i % 4] as number, 'bad request', { tool: 'search' }),
    );
    expect(await run(events)).toEqual([['medium', 'ip=198.51.100.23 kind=errors']]);
  });

  it('near miss: 19 errors, other error codes, or errors spread beyond the window', async () => {
    expect(await run(Array.from({ length: 19 }, (_, i) => protocolError(i, -32700, 'Parse error')))).toEqual(
      [],
    );
    expect(
      await run(Array.from({ length: 30 }, (_, i) => protocolError(i, -32603, 'Internal error'))),
    ).toEqual([]);
    expect(
      await run(Array.from({ length: 20 }, (_, i) => protocolError(i * 20, -32600, 'Invalid Request'))),
    ).toEqual([]);
  });

  it('5 distinct unknown tools from one IP → medium (TS SDK error, Python SDK message, isError result)', async () => {
    const events = [
      protocolError(0, -32602, 'MCP error -32602: Tool rm_rf not found', { tool: 'rm_rf' }),
      protocolError(1, -32602, 'Unknown tool: exec_shell'),
      protocolError(2, -32601, 'Tool "admin_panel" not found'),
      call(3, { tool: 'read_secrets', result: { isError: true, text: 'Tool read_secrets not found' } }),
      protocolError(4, -32602, 'Unknown tool: exec_shell'),
      protocolError(5, -32602, 'Unknown tool: dump_db'),
    ];
    const result = await runEvents(events, { only: [ID] });
    const findings = findingsOf(result, ID);
    expect(findings.map((f) => [f.severity, f.subject])).toEqual([
      ['medium', 'ip=198.51.100.23 kind=unknown-tools'],
    ]);
    expect(findings[0]?.evidence).toMatchObject({
      distinctUnknownTools: 5,
      tools: ['rm_rf', 'exec_shell', 'admin_panel', 'read_secrets', 'dump_db'],
    });
  });

  it('near miss: a client retrying one stale tool name; invalid params on a known tool', async () => {
    const stale = Array.from({ length: 8 }, (_, i) =>
      protocolError(i, -32602, 'Unknown tool: old_search', { tool: 'old_search' }),
    );
    const params = Array.from({ length: 8 }, (_, i) =>
      protocolError(10 + i, -32602, `Invalid arguments for tool t${i}: expected string`, { tool: `t${i}` }),
    );
    expect(await run([...stale, ...params])).toEqual([]);
  });

  it('header/body mismatch: non-POST client request, Mcp-Method / Mcp-Name / protocol version disagreeing with the body', async () => {
    const events = [
      call(0, { http: { method: 'GET', path: '/mcp' }, tool: 'search' }),
      call(1, {
        tool: 'delete_repo',
        http: { method: 'POST', headers: { 'Mcp-Method': 'tools/list', 'Mcp-Name': 'delete_repo' } },
      }),
      call(2, {
        tool: 'delete_repo',
        http: { method: 'POST', headers: { 'mcp-method': 'tools/call', 'mcp-name': 'get_weather' } },
      }),
      call(3, {
        tool: 'search',
        protocolVersion: '2025-11-25',
        http: { method: 'POST', headers: { 'MCP-Protocol-Version': '2025-03-26' } },
      }),
      call(4, { tool: 'search', http: { method: 'POST', headers: { 'Mcp-Session-Id': 'other-session' } } }),
    ];
    const result = await runEvents(events, { only: [ID] });
    expect(findingsOf(result, ID).map((f) => [f.subject, f.evidence?.http, f.evidence?.body])).toEqual([
      ['ip=198.51.100.23 kind=mismatch field=http-method', 'GET', 'tools/call'],
      ['ip=198.51.100.23 kind=mismatch field=mcp-method', 'tools/list', 'tools/call'],
      ['ip=198.51.100.23 kind=mismatch field=mcp-name', 'get_weather', 'delete_repo'],
      ['ip=198.51.100.23 kind=mismatch field=mcp-protocol-version', '2025-03-26', '2025-11-25'],
      ['ip=198.51.100.23 kind=mismatch field=mcp-session-id', 'other-session', 'sess-1'],
    ]);
  });

  it('near miss: matching headers, stdio, and server-initiated requests on the GET stream', async () => {
    const events = [
      call(0, {
        tool: 'search',
        http: {
          method: 'POST',
          headers: { 'Mcp-Method': 'tools/call', 'Mcp-Name': 'search', 'Mcp-Session-Id': 'sess-1' },
        },
      }),
      call(1, { transport: 'stdio', http: undefined, tool: 'search' }),
      call(2, { http: { method: 'GET', path: '/mcp' }, rpc: { id: 9, method: 'sampling/createMessage' } }),
      call(3, {
        uri: 'file:///srv/a.txt',
        rpc: { id: 3, method: 'resources/read' },
        http: { method: 'post', headers: { 'mcp-name': 'file:///srv/a.txt' } },
      }),
    ];
    expect(await run(events)).toEqual([]);
  });

  it('without an IP the session is the source; thresholds are configurable', async () => {
    const events = Array.from({ length: 5 }, (_, i) =>
      protocolError(i, -32700, 'Parse error', { client: undefined }),
    );
    const result = await runEvents(events, {
      only: [ID],
      config: { detectors: { [ID]: { errorThreshold: 5 } } },
    });
    expect(findingsOf(result, ID).map((f) => f.subject)).toEqual(['session=sess-1 kind=errors']);
  });
});
