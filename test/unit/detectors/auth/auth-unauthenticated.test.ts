import { describe, expect, it } from 'vitest';
import { findingsOf, mcpEvent, runEvents, type EventInput } from '../../../helpers/engine-harness.js';

const ID = 'AUTH-UNAUTHENTICATED';
const AUTH_REQUIRED = { servers: { 'files-mcp': { authRequired: true } } };

function toolCall(time: number, overrides: Partial<EventInput> = {}) {
  return mcpEvent({
    event: 'mcp.call',
    time,
    server: { name: 'files-mcp' },
    session: 'sess-1',
    client: { ip: '203.0.113.7' },
    principal: { tokenPresent: false },
    rpc: { id: time, method: 'tools/call' },
    tool: 'read_file',
    http: { status: 200, path: '/mcp' },
    result: { isError: false, text: 'contents' },
    ...overrides,
  });
}

function list(time: number, method: string, overrides: Partial<EventInput> = {}) {
  return mcpEvent({
    event: 'mcp.call',
    time,
    server: { name: 'files-mcp' },
    session: `sess-${time}`,
    client: { ip: '198.51.100.9' },
    rpc: { id: time, method },
    http: { status: 200 },
    ...overrides,
  });
}

const LIST_METHODS = ['tools/list', 'resources/list', 'prompts/list', 'resources/templates/list'];

describe('AUTH-UNAUTHENTICATED', () => {
  it('fires high for a successful tools/call without a token on an authRequired server', async () => {
    const result = await runEvents([toolCall(0)], { only: [ID], config: AUTH_REQUIRED });
    const findings = findingsOf(result, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'high',
      subject: 'ip=203.0.113.7 kind=unauthenticated-call',
      tool: 'read_file',
      clientIp: '203.0.113.7',
      evidence: { tokenPresent: false, status: 200, path: '/mcp' },
    });
    expect(result.alerts.map((a) => [a.detector, a.severity, a.server])).toEqual([[ID, 'high', 'files-mcp']]);
  });

  it('the "*" entry applies; without a client IP the session is the subject', async () => {
    const events = [toolCall(0, { client: undefined, server: { name: 'other-mcp' } })];
    const findings = findingsOf(await runEvents(events, { only: [ID], config: { servers: { '*': { authRequired: true } } } }), ID);
    expect(findings.map((f) => [f.severity, f.subject, f.evidence?.tokenPresent])).toEqual([
      ['high', 'session=sess-1 kind=unauthenticated-call', false],
    ]);
  });

  it('near miss: no auth information at all is unknown, not unauthenticated (JSON-RPC, API Gateway, agentgateway lines)', async () => {
    const config = { servers: { '*': { authRequired: true } } };
    // What those formats normalize to: a served call with no principal, or one without tokenPresent.
    const events = [
      { ...toolCall(0, { principal: undefined, http: undefined }), origin: { format: 'jsonrpc' as const } },
      { ...toolCall(1, { principal: undefined, session: undefined, rpc: undefined }), origin: { format: 'apigw-access' as const } },
      { ...toolCall(2, { principal: undefined, result: undefined }), origin: { format: 'agentgateway' as const } },
      toolCall(3, { principal: {} }),
      toolCall(4, { principal: { scopes: ['files:read'] } }),
    ];
    expect(findingsOf(await runEvents(events, { only: [ID], config }), ID)).toEqual([]);
  });

  it('near miss: a rejected token-less request is the auth layer working (mcp.auth deny, 401, 403)', async () => {
    const rejected = [
      mcpEvent({
        event: 'mcp.auth', time: 0, server: { name: 'files-mcp' }, client: { ip: '203.0.113.7' },
        principal: { tokenPresent: false }, auth: { outcome: 'failure', reason: 'missing_token' }, http: { status: 401 },
      }),
      mcpEvent({
        event: 'mcp.auth', time: 1, server: { name: 'files-mcp' }, client: { ip: '203.0.113.7' },
        principal: { tokenPresent: false }, auth: { outcome: 'denied', reason: 'no_token' }, http: { status: 403 },
      }),
      toolCall(2, { result: undefined, http: { status: 403, path: '/mcp' } }),
    ];
    expect(findingsOf(await runEvents(rejected, { only: [ID], config: AUTH_REQUIRED }), ID)).toEqual([]);
  });

  it('negative: calls with a token, or with an identity when token presence is not logged', async () => {
    const events = [
      toolCall(0, { principal: { tokenPresent: true, tokenFp: '9c1e0a7b33d2e4f1' } }),
      toolCall(1, { principal: { sub: 'user-42' } }),
      toolCall(2, { principal: { tokenFp: '9c1e0a7b33d2e4f1' } }),
    ];
    expect(findingsOf(await runEvents(events, { only: [ID], config: AUTH_REQUIRED }), ID)).toHaveLength(0);
  });

  it('near miss: token-less calls that failed (JSON-RPC error, tool error, HTTP 401) or servers without authRequired', async () => {
    const failed = [
      toolCall(0, { result: undefined, error: { code: -32001, message: 'Unauthorized' } }),
      toolCall(1, { result: { isError: true, text: 'not allowed' } }),
      toolCall(2, { result: undefined, http: { status: 401 } }),
      toolCall(3, { rpc: { id: 3, method: 'initialize' }, tool: undefined }),
    ];
    expect(findingsOf(await runEvents(failed, { only: [ID], config: AUTH_REQUIRED }), ID)).toHaveLength(0);
    const open = [toolCall(0), toolCall(1, { principal: undefined })];
    expect(findingsOf(await runEvents(open, { only: [ID] }), ID)).toHaveLength(0);
    const notRequired = { servers: { 'files-mcp': { authRequired: false } } };
    expect(findingsOf(await runEvents(open, { only: [ID], config: notRequired }), ID)).toHaveLength(0);
  });

  it('an explicit tokenPresent: false wins over a logged identity', async () => {
    const events = [toolCall(0, { principal: { sub: 'anonymous', tokenPresent: false } })];
    expect(findingsOf(await runEvents(events, { only: [ID], config: AUTH_REQUIRED }), ID).map((f) => f.severity)).toEqual(['high']);
  });

  it('fires medium on the 21st list call from one IP within 5 minutes, on any server', async () => {
    const events = Array.from({ length: 21 }, (_, i) => list(i * 10, LIST_METHODS[i % 4] as string));
    const twenty = await runEvents(events.slice(0, 20), { only: [ID] });
    expect(findingsOf(twenty, ID)).toHaveLength(0);
    const result = await runEvents(events, { only: [ID] });
    const findings = findingsOf(result, ID);
    expect(findings.map((f) => [f.severity, f.subject, f.evidence?.listCalls, f.evidence?.threshold, f.evidence?.lastMethod])).toEqual([
      ['medium', 'ip=198.51.100.9 kind=list-enumeration', 21, 20, 'tools/list'],
    ]);
    expect(result.alerts.map((a) => [a.detector, a.severity])).toEqual([[ID, 'medium']]);
  });

  it('near miss: normal sessions list once each, from different IPs; list calls over a longer time stay under', async () => {
    const perSession = Array.from({ length: 40 }, (_, i) =>
      list(i * 5, i % 2 === 0 ? 'tools/list' : 'resources/list', { client: { ip: `203.0.113.${Math.floor(i / 2)}` } }),
    );
    expect(findingsOf(await runEvents(perSession, { only: [ID] }), ID)).toHaveLength(0);
    const slow = Array.from({ length: 40 }, (_, i) => list(i * 30, 'tools/list'));
    expect(findingsOf(await runEvents(slow, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('near miss: other methods do not count as list calls; listThreshold is configurable', async () => {
    const others = Array.from({ length: 30 }, (_, i) => list(i, i % 2 ? 'resources/read' : 'ping'));
    expect(findingsOf(await runEvents(others, { only: [ID] }), ID)).toHaveLength(0);
    const tuned = await runEvents(
      Array.from({ length: 4 }, (_, i) => list(i, 'prompts/list')),
      { only: [ID], config: { detectors: { [ID]: { listThreshold: 3 } } } },
    );
    expect(findingsOf(tuned, ID).map((f) => f.evidence?.listCalls)).toEqual([4]);
  });
});
