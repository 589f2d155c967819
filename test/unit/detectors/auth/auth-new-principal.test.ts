import { describe, expect, it } from 'vitest';
import { findingsOf, mcpEvent, runEvents, type EventInput } from '../../../helpers/engine-harness.js';
import { sourceNetwork } from '../../../../functions/engine/detectors/auth/source-network.js';

const ID = 'AUTH-NEW-PRINCIPAL';
const DAY = 24 * 3600;

function call(time: number, overrides: Partial<EventInput> = {}) {
  return mcpEvent({
    event: 'mcp.call',
    time,
    server: { name: 'files-mcp' },
    session: 'sess-1',
    client: { name: 'claude-code', ip: '203.0.113.7' },
    principal: { sub: 'user-42', tokenPresent: true },
    rpc: { id: time, method: 'tools/call' },
    tool: 'read_file',
    ...overrides,
  });
}

describe('AUTH-NEW-PRINCIPAL', () => {
  it('fires low the first time a principal is seen on a server, once', async () => {
    const result = await runEvents([call(0), call(10), call(20)], { only: [ID] });
    const findings = findingsOf(result, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'low',
      subject: 'principal=user-42 client=claude-code net=203.0.113.0/24',
      principal: 'user-42',
      evidence: { principal: 'user-42', client: 'claude-code', network: '203.0.113.0/24', newPrincipal: true, knownCombinations: 0 },
    });
    expect(result.alerts.map((a) => [a.detector, a.severity, a.server])).toEqual([[ID, 'low', 'files-mcp']]);
  });

  it('a known principal with a new client or from a new network fires again; the same /24 does not', async () => {
    const events = [
      call(0),
      call(10, { client: { name: 'claude-code', ip: '203.0.113.200' } }),
      call(20, { client: { name: 'cursor', ip: '203.0.113.7' } }),
      call(30, { client: { name: 'claude-code', ip: '198.51.100.4' } }),
    ];
    const findings = findingsOf(await runEvents(events, { only: [ID] }), ID);
    expect(findings.map((f) => [f.subject, f.evidence?.newPrincipal, f.evidence?.knownCombinations])).toEqual([
      ['principal=user-42 client=claude-code net=203.0.113.0/24', true, 0],
      ['principal=user-42 client=cursor net=203.0.113.0/24', false, 1],
      ['principal=user-42 client=claude-code net=198.51.100.0/24', false, 2],
    ]);
  });

  it('groups IPv6 by /48 and IPv4-mapped IPv6 with its IPv4 network; a missing address is (none)', async () => {
    const events = [
      call(0, { client: { name: 'claude-code', ip: '2001:db8:7:1::5' } }),
      call(1, { client: { name: 'claude-code', ip: '2001:db8:7:ffff::9' } }),
      call(2, { client: { name: 'claude-code', ip: '::ffff:203.0.113.9' } }),
      call(3, { client: { name: 'claude-code', ip: '203.0.113.10' } }),
      call(4, { client: { name: 'claude-code' } }),
    ];
    const findings = findingsOf(await runEvents(events, { only: [ID] }), ID);
    expect(findings.map((f) => f.subject)).toEqual([
      'principal=user-42 client=claude-code net=2001:db8:7::/48',
      'principal=user-42 client=claude-code net=203.0.113.0/24',
      'principal=user-42 client=claude-code net=(none)',
    ]);
  });

  it("near miss: a Streamable HTTP session's DELETE and HTTP-layer records without a client name are not sightings", async () => {
    // What the HTTP logger writes: the session's calls name the client; its DELETE and a transport
    // error (no rpc, error only) carry the principal and address but no client name.
    const httpLayer = { ip: '127.0.0.1', userAgent: 'claude-code/2.1.0 (linux; x64)' };
    const events = [
      mcpEvent({
        event: 'mcp.session', time: 0, server: { name: 'files-mcp' }, session: 'sess-1',
        client: { name: 'claude-code', ip: '127.0.0.1' }, principal: { sub: 'user-42', tokenPresent: true },
        rpc: { id: 0, method: 'initialize' },
      }),
      call(1, { client: { name: 'claude-code', ip: '127.0.0.1' } }),
      mcpEvent({
        event: 'mcp.call', time: 2, server: { name: 'files-mcp' }, session: 'sess-1', client: httpLayer,
        principal: { sub: 'user-7', tokenPresent: true }, http: { method: 'POST', status: 400 },
        error: { code: -32000, message: 'Bad Request: Server not initialized' },
      }),
      mcpEvent({
        event: 'mcp.session', time: 3, server: { name: 'files-mcp' }, session: 'sess-1', client: httpLayer,
        principal: { sub: 'user-42', tokenPresent: true }, http: { method: 'DELETE', status: 200 }, rpc: { method: 'DELETE' },
      }),
      // A teardown is never a sighting, even from a producer that names the client on it.
      mcpEvent({
        event: 'mcp.session', time: 4, server: { name: 'files-mcp' }, session: 'sess-2',
        client: { name: 'cursor', ip: '198.51.100.4' }, principal: { sub: 'user-42', tokenPresent: true }, rpc: { method: 'DELETE' },
      }),
    ];
    const findings = findingsOf(await runEvents(events, { only: [ID] }), ID);
    expect(findings.map((f) => [f.severity, f.subject])).toEqual([['low', 'principal=user-42 client=claude-code net=127.0.0.0/24']]);
  });

  it('API Gateway access logs and agentgateway lines never name the client: principal and network still count', async () => {
    const fromFormat = (format: 'apigw-access' | 'agentgateway', time: number, sub: string, ip: string) => ({
      ...call(time, { client: { ip }, principal: { sub } }),
      origin: { format },
    });
    const events = [
      fromFormat('apigw-access', 0, 'user-9', '203.0.113.7'),
      fromFormat('apigw-access', 1, 'user-9', '203.0.113.8'),
      fromFormat('agentgateway', 2, 'user-9', '198.51.100.4'),
      fromFormat('agentgateway', 3, 'user-10', '198.51.100.4'),
    ];
    const findings = findingsOf(await runEvents(events, { only: [ID] }), ID);
    expect(findings.map((f) => [f.severity, f.subject, f.evidence?.newPrincipal])).toEqual([
      ['low', 'principal=user-9 client=(none) net=203.0.113.0/24', true],
      ['low', 'principal=user-9 client=(none) net=198.51.100.0/24', false],
      ['low', 'principal=user-10 client=(none) net=198.51.100.0/24', true],
    ]);
  });

  it('a replay of already-seen logs into the same state raises nothing; a new server is a new registry', async () => {
    const first = await runEvents([call(0)], { only: [ID] });
    expect(findingsOf(first, ID)).toHaveLength(1);
    const replay = await runEvents([call(0), call(5)], { only: [ID], store: first.store });
    expect(findingsOf(replay, ID)).toHaveLength(0);
    const otherServer = await runEvents([call(10, { server: { name: 'db-mcp' } })], { only: [ID], store: first.store });
    expect(findingsOf(otherServer, ID).map((f) => f.server)).toEqual(['db-mcp']);
  });

  it('learningEvents: the first N events with a principal per server only learn', async () => {
    const config = { detectors: { [ID]: { learningEvents: 3 } } };
    const events = [
      call(0, { principal: { sub: 'user-1' } }),
      call(1, { principal: undefined }),
      call(2, { principal: { sub: 'user-2' } }),
      call(3, { principal: { sub: 'user-1' } }),
      call(4, { principal: { sub: 'user-3' } }),
      call(5, { principal: { sub: 'user-2' } }),
    ];
    const findings = findingsOf(await runEvents(events, { only: [ID], config, batchSize: 2 }), ID);
    expect(findings.map((f) => f.principal)).toEqual(['user-3']);
  });

  it('near miss: rejected tokens (401 / auth failure), auth decisions, and events without a principal', async () => {
    const events = [
      call(0, { principal: { sub: 'attacker-claimed', tokenPresent: true }, http: { status: 401 }, error: { code: -32001, message: 'Unauthorized' } }),
      call(1, { principal: { sub: 'attacker-claimed' }, auth: { outcome: 'failure', reason: 'invalid_token' } }),
      mcpEvent({
        event: 'mcp.auth', time: 2, server: { name: 'files-mcp' }, client: { ip: '192.0.2.1' },
        principal: { sub: 'user-42', tokenPresent: true }, auth: { outcome: 'denied', reason: 'insufficient_scope' }, http: { status: 403 },
      }),
      call(3, { principal: { tokenPresent: true, tokenFp: '9c1e0a7b33d2e4f1' } }),
      call(4, { principal: undefined }),
    ];
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('a session start (initialize) counts like a call; the following calls of that combination do not repeat it', async () => {
    const events = [
      mcpEvent({
        event: 'mcp.session', time: 0, server: { name: 'files-mcp' }, session: 'sess-1', client: { name: 'claude-code', ip: '203.0.113.7' },
        principal: { clientId: 'oauth-client-1', tokenPresent: true }, rpc: { id: 0, method: 'initialize' },
      }),
      call(1, { principal: { clientId: 'oauth-client-1', tokenPresent: true } }),
    ];
    const findings = findingsOf(await runEvents(events, { only: [ID] }), ID);
    expect(findings.map((f) => [f.severity, f.subject])).toEqual([['low', 'principal=oauth-client-1 client=claude-code net=203.0.113.0/24']]);
  });

  it('a combination unseen for retentionDays is new again; one in use stays known', async () => {
    const config = { detectors: { [ID]: { retentionDays: 2 } } };
    const idle = await runEvents([call(0), call(3 * DAY)], { only: [ID], config });
    expect(findingsOf(idle, ID)).toHaveLength(2);
    const daily = await runEvents([call(0), call(1 * DAY), call(2 * DAY), call(3 * DAY), call(4 * DAY)], { only: [ID], config });
    expect(findingsOf(daily, ID)).toHaveLength(1);
  });

  it('the registry per principal is bounded: past the cap the least recently seen combination is forgotten', async () => {
    const config = { detectors: { [ID]: { maxCombinationsPerPrincipal: 4 } } };
    const clients = ['a', 'b', 'c', 'd', 'e'];
    const events = [
      ...clients.map((name, i) => call(i * DAY, { client: { name, ip: '203.0.113.7' } })),
      call(6 * DAY, { client: { name: 'e', ip: '203.0.113.7' } }),
      call(7 * DAY, { client: { name: 'a', ip: '203.0.113.7' } }),
    ];
    const result = await runEvents(events, { only: [ID], config });
    expect(findingsOf(result, ID).map((f) => f.evidence?.client)).toEqual(['a', 'b', 'c', 'd', 'e', 'a']);
    const item = result.store.peek('AUTH-NEW-PRINCIPAL|files-mcp|principal|user-42');
    expect(item?.k === 'r' ? Object.keys(item.v) : []).toHaveLength(4);
  });
});

describe('sourceNetwork', () => {
  it('masks IPv4 and IPv6 to the prefix and rejects garbage', () => {
    expect(sourceNetwork('203.0.113.7')).toBe('203.0.113.0/24');
    expect(sourceNetwork('203.0.113.7', 16)).toBe('203.0.0.0/16');
    expect(sourceNetwork('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    expect(sourceNetwork('2001:db8:abcd:12::1', 24, 64)).toBe('2001:db8:abcd:12::/64');
    expect(sourceNetwork('::1')).toBe('::/48');
    expect(sourceNetwork('not-an-ip')).toBeUndefined();
    expect(sourceNetwork(undefined)).toBeUndefined();
    expect(sourceNetwork(`1.2.3.4${' '.repeat(100)}`)).toBeUndefined();
  });
});
