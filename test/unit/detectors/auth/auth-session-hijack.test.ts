import { describe, expect, it } from 'vitest';
import { findingsOf, mcpEvent, runEvents, type EventInput } from '../../../helpers/engine-harness.js';

const ID = 'AUTH-SESSION-HIJACK';

function use(time: number, principal: EventInput['principal'], overrides: Partial<EventInput> = {}) {
  return mcpEvent({
    event: 'mcp.call',
    time,
    server: { name: 'files-mcp' },
    session: 'sess-1',
    client: { ip: '203.0.113.7' },
    principal,
    rpc: { id: time, method: 'tools/call' },
    tool: 'read_file',
    http: { status: 200 },
    ...overrides,
  });
}

/** The Streamable HTTP answer to an unknown Mcp-Session-Id. */
function unknownSession(time: number, overrides: Partial<EventInput> = {}) {
  return mcpEvent({
    event: 'mcp.call',
    time,
    server: { name: 'files-mcp' },
    session: `guess-${time}`,
    client: { ip: '198.51.100.9' },
    http: { status: 404 },
    error: { code: -32001, message: 'Session not found' },
    ...overrides,
  });
}

describe('AUTH-SESSION-HIJACK', () => {
  it('fires high when a second principal uses a session', async () => {
    const events = [
      use(0, { sub: 'user-1', tokenPresent: true, tokenFp: 'aaaa000000000001' }),
      use(30, { sub: 'user-1', tokenPresent: true, tokenFp: 'aaaa000000000001' }),
      use(60, { sub: 'user-2', tokenPresent: true, tokenFp: 'bbbb000000000002' }, { client: { ip: '198.51.100.66' } }),
      use(90, { sub: 'user-2', tokenPresent: true, tokenFp: 'bbbb000000000002' }, { client: { ip: '198.51.100.66' } }),
    ];
    const result = await runEvents(events, { only: [ID] });
    const findings = findingsOf(result, ID);
    // Reported when the second holder appears, not again for each of its calls.
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'high',
      subject: 'session=sess-1',
      session: 'sess-1',
      principal: 'user-2',
      clientIp: '198.51.100.66',
      evidence: { facet: 'sub', current: 'user-2', previous: ['user-1'], identitiesInSession: 2 },
    });
    expect(result.alerts.map((a) => [a.detector, a.severity])).toEqual([[ID, 'high']]);
  });

  it('compares OAuth client ids when no sub is logged', async () => {
    const events = [use(0, { clientId: 'client-a', tokenPresent: true }), use(10, { clientId: 'client-b', tokenPresent: true })];
    const findings = findingsOf(await runEvents(events, { only: [ID] }), ID);
    expect(findings.map((f) => [f.subject, f.evidence?.facet, f.evidence?.current, f.evidence?.previous])).toEqual([
      ['session=sess-1', 'clientId', 'client-b', ['client-a']],
    ]);
  });

  it('compares token fingerprints in a session that never logged an identity', async () => {
    const events = [use(0, { tokenPresent: true, tokenFp: 'aaaa000000000001' }), use(10, { tokenPresent: true, tokenFp: 'bbbb000000000002' })];
    const findings = findingsOf(await runEvents(events, { only: [ID] }), ID);
    expect(findings.map((f) => [f.severity, f.evidence?.facet, f.evidence?.current, f.evidence?.previous])).toEqual([
      ['high', 'tokenFp', 'bbbb000000000002', ['aaaa000000000001']],
    ]);
  });

  it('keeps its memory across batches', async () => {
    const events = [use(0, { sub: 'user-1' }), use(10, { sub: 'user-1' }), use(20, { sub: 'user-2' })];
    expect(findingsOf(await runEvents(events, { only: [ID], batchSize: 1 }), ID).map((f) => f.evidence?.current)).toEqual(['user-2']);
  });

  it('near miss: token refresh — the same sub with a new token fingerprint', async () => {
    const events = [
      use(0, { sub: 'user-1', tokenPresent: true, tokenFp: 'aaaa000000000001' }),
      use(3600, { sub: 'user-1', tokenPresent: true, tokenFp: 'cccc000000000003' }),
      use(7200, { sub: 'user-1', tokenPresent: true, tokenFp: 'dddd000000000004' }),
      // A later line that logs only the fingerprint cannot be told from a refresh: not counted.
      use(7300, { tokenPresent: true, tokenFp: 'eeee000000000005' }),
    ];
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('near miss: different principals in different sessions, one principal in many sessions', async () => {
    const events = [
      use(0, { sub: 'user-1' }, { session: 'sess-1' }),
      use(1, { sub: 'user-2' }, { session: 'sess-2' }),
      use(2, { sub: 'user-1' }, { session: 'sess-3' }),
      use(3, { sub: 'user-1' }, { session: 'sess-1', server: { name: 'other-mcp' } }),
      use(4, { sub: 'user-2' }, { session: 'sess-1', server: { name: 'third-mcp' } }),
    ];
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('near miss: a rejected token (401) presented with the session is not a second holder', async () => {
    const events = [
      use(0, { tokenPresent: true, tokenFp: 'aaaa000000000001' }),
      mcpEvent({
        event: 'mcp.auth', time: 5, server: { name: 'files-mcp' }, session: 'sess-1', client: { ip: '203.0.113.7' },
        principal: { tokenPresent: true, tokenFp: 'ffff000000000009' }, auth: { outcome: 'failure', reason: 'invalid_token' }, http: { status: 401 },
      }),
    ];
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('near miss: a session id reused after the session\'s life (sessionTtlHours idle) starts afresh', async () => {
    const events = [use(0, { sub: 'user-1' }), use(25 * 3600, { sub: 'user-2' })];
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toHaveLength(0);
    const shortLife = await runEvents([use(0, { sub: 'user-1' }), use(2 * 3600, { sub: 'user-2' })], {
      only: [ID],
      config: { detectors: { [ID]: { sessionTtlHours: 1 } } },
    });
    expect(findingsOf(shortLife, ID)).toHaveLength(0);
  });

  it('fires medium at the 20th unknown-session answer to one IP within 5 minutes, whatever form it takes', async () => {
    const events = [
      ...Array.from({ length: 17 }, (_, i) => unknownSession(i * 10)),
      unknownSession(200, { event: 'mcp.auth', http: undefined, error: undefined, auth: { outcome: 'failure', reason: 'session_not_found' } }),
      unknownSession(210, { http: undefined, error: { code: -32001, message: 'Unknown session id' } }),
      unknownSession(220),
    ];
    const nineteen = await runEvents(events.slice(0, 19), { only: [ID] });
    expect(findingsOf(nineteen, ID)).toHaveLength(0);
    const result = await runEvents(events, { only: [ID] });
    const findings = findingsOf(result, ID);
    expect(findings.map((f) => [f.severity, f.subject, f.evidence?.unknownSessions, f.evidence?.threshold])).toEqual([
      ['medium', 'ip=198.51.100.9', 20, 20],
    ]);
    expect(result.alerts.map((a) => [a.detector, a.severity])).toEqual([[ID, 'medium']]);
  });

  it('near miss: a tool\'s own "session not found" errors, and 19 unknown sessions spread beyond the window', async () => {
    const toolErrors = Array.from({ length: 25 }, (_, i) =>
      mcpEvent({
        event: 'mcp.call', time: i, server: { name: 'browser-mcp' }, session: 'sess-1', client: { ip: '198.51.100.9' },
        principal: { sub: 'user-1' }, rpc: { id: i, method: 'tools/call' }, tool: 'browser_click',
        http: { status: 200 }, error: { code: -32603, message: 'Browser session not found: tab closed' },
      }),
    );
    expect(findingsOf(await runEvents(toolErrors, { only: [ID] }), ID)).toHaveLength(0);
    const slow = Array.from({ length: 25 }, (_, i) => unknownSession(i * 20));
    expect(findingsOf(await runEvents(slow, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('pathological 100 KB error messages and session ids finish and keep keys small', async () => {
    const events = [
      unknownSession(0, { http: undefined, error: { code: -32001, message: 'session '.repeat(13_000) } }),
      use(1, { sub: 'user-1' }, { session: 's'.repeat(100_000) }),
      use(2, { sub: 'user-2' }, { session: 's'.repeat(100_000) }),
    ];
    const result = await runEvents(events, { only: [ID] });
    const findings = findingsOf(result, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.subject).toMatch(/^session=#[0-9a-f]{16}$/);
    for (const key of result.store.keys()) expect(key.length).toBeLessThan(200);
  });
});
