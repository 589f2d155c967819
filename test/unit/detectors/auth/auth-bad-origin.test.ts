import { describe, expect, it } from 'vitest';
import { findingsOf, mcpEvent, runEvents, type EventInput } from '../../../helpers/engine-harness.js';

const ID = 'AUTH-BAD-ORIGIN';

/** What the instrumentation's originGuard writes. */
function refused(time: number, overrides: Partial<EventInput> = {}) {
  return mcpEvent({
    event: 'mcp.auth',
    time,
    server: { name: 'local-mcp' },
    client: { ip: '127.0.0.1' },
    http: { method: 'POST', path: '/mcp', status: 403, origin: 'https://evil.example' },
    auth: { outcome: 'denied', reason: 'invalid_origin' },
    ...overrides,
  });
}

describe('AUTH-BAD-ORIGIN', () => {
  it('fires medium on one invalid_origin refusal, subject per origin', async () => {
    const result = await runEvents([refused(0)], { only: [ID] });
    const findings = findingsOf(result, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'medium',
      subject: 'origin=https://evil.example',
      clientIp: '127.0.0.1',
      evidence: { header: 'origin', value: 'https://evil.example', recognisedBy: 'reason', reason: 'invalid_origin', status: 403 },
    });
    expect(result.alerts.map((a) => [a.detector, a.severity, a.server])).toEqual([[ID, 'medium', 'local-mcp']]);
  });

  it('recognises the MCP SDK messages and invalid_host, taking the value from the message when no header is logged', async () => {
    const events = [
      mcpEvent({
        event: 'mcp.call', time: 0, server: { name: 'local-mcp' }, client: { ip: '127.0.0.1' },
        http: { status: 403 }, error: { code: -32000, message: 'Invalid Origin header: http://rebind.attacker.example:8080' },
      }),
      mcpEvent({
        event: 'mcp.call', time: 1, server: { name: 'local-mcp' }, client: { ip: '127.0.0.1' },
        http: { status: 403 }, error: { code: -32000, message: 'Invalid Host header: rebind.attacker.example' },
      }),
      refused(2, { auth: { outcome: 'denied', reason: 'invalid_host' }, http: { status: 403, host: 'Evil-Host.example:3000' } }),
      refused(3, { auth: { outcome: 'denied' }, http: { status: 403 }, error: { code: -32000, message: 'Forbidden: Origin not allowed' } }),
    ];
    const findings = findingsOf(await runEvents(events, { only: [ID] }), ID);
    expect(findings.map((f) => [f.severity, f.subject, f.evidence?.recognisedBy])).toEqual([
      ['medium', 'origin=http://rebind.attacker.example:8080', 'message'],
      ['medium', 'host=rebind.attacker.example', 'message'],
      ['medium', 'host=evil-host.example:3000', 'reason'],
      ['medium', 'origin=(unknown)', 'message'],
    ]);
  });

  it('a generic 403 from an Origin outside the configured allowedOrigins counts', async () => {
    const config = { servers: { 'local-mcp': { allowedOrigins: ['https://app.example.com'] } } };
    const events = [refused(0, { auth: { outcome: 'denied', reason: 'forbidden' }, http: { status: 403, origin: 'https://evil.example/' } })];
    const findings = findingsOf(await runEvents(events, { only: [ID], config }), ID);
    expect(findings.map((f) => [f.subject, f.evidence?.recognisedBy])).toEqual([['origin=https://evil.example', 'allowedOrigins']]);
  });

  it('repeats of one origin are one incident; different origins are different incidents', async () => {
    const events = [refused(0), refused(10), refused(20, { http: { status: 403, origin: 'https://other-evil.example' } })];
    const result = await runEvents(events, { only: [ID] });
    expect(findingsOf(result, ID)).toHaveLength(3);
    expect(result.alerts.map((a) => [a.severity, a.count])).toEqual([
      ['medium', 2],
      ['medium', 1],
    ]);
  });

  it('near miss: allowed origins (case and trailing slash aside), 403s for other causes, and non-403 answers', async () => {
    const config = { servers: { 'local-mcp': { allowedOrigins: ['https://app.example.com'] } } };
    const events = [
      refused(0, { auth: { outcome: 'denied', reason: 'forbidden' }, http: { status: 403, origin: 'HTTPS://APP.example.com/' } }),
      refused(1, { auth: { outcome: 'denied', reason: 'insufficient_scope' }, http: { status: 403, origin: 'https://evil.example' } }),
      refused(2, { auth: undefined, http: { status: 403, origin: 'https://evil.example' }, error: { code: -32000, message: 'insufficient_scope: files:write required' } }),
      refused(3, { auth: { outcome: 'success' }, http: { status: 200, origin: 'https://evil.example' } }),
    ];
    expect(findingsOf(await runEvents(events, { only: [ID], config }), ID)).toHaveLength(0);
    // Without allowedOrigins configured, a generic 403 says nothing about the origin.
    const generic = [refused(0, { auth: { outcome: 'denied', reason: 'forbidden' } })];
    expect(findingsOf(await runEvents(generic, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('near miss: a tool\'s own "invalid origin" error and docs text about Origin validation are not refusals', async () => {
    const events = [
      mcpEvent({
        event: 'mcp.call', time: 0, server: { name: 'cors-mcp' }, client: { ip: '203.0.113.7' },
        rpc: { id: 1, method: 'tools/call' }, tool: 'set_cors_policy', http: { status: 200 },
        error: { code: -32602, message: 'Invalid origin: must start with https://' },
      }),
      // Raw JSON-RPC logs carry no HTTP status: the same tool error must not count either.
      mcpEvent({
        event: 'mcp.call', time: 0, server: { name: 'cors-mcp' }, client: { ip: '203.0.113.7' },
        rpc: { id: 3, method: 'tools/call' }, tool: 'set_cors_policy',
        error: { code: -32602, message: 'Invalid origin: must start with https://' },
      }),
      mcpEvent({
        event: 'mcp.call', time: 1, server: { name: 'docs-mcp' }, client: { ip: '203.0.113.7' },
        rpc: { id: 2, method: 'tools/call' }, tool: 'search_docs', http: { status: 200 },
        result: { isError: false, text: 'Servers answer 403 "Invalid Origin header" when DNS rebinding protection rejects a request.' },
      }),
    ];
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('pathological 100 KB messages and header values finish (scans are bounded)', async () => {
    const events = [
      refused(0, { auth: { outcome: 'denied' }, http: { status: 403 }, error: { code: -32000, message: 'invalid '.repeat(13_000) } }),
      refused(1, { http: { status: 403, origin: `https://${'a'.repeat(100_000)}` } }),
      refused(2, { auth: { outcome: 'denied' }, http: { status: 403 }, error: { code: -32000, message: `Invalid Origin header: ${'/'.repeat(100_000)}` } }),
    ];
    const findings = findingsOf(await runEvents(events, { only: [ID] }), ID);
    expect(findings).toHaveLength(2);
    expect(findings[0]?.subject).toMatch(/^origin=#[0-9a-f]{16}$/);
    expect(findings[1]?.subject).toBe('origin=(unknown)');
  });
});
