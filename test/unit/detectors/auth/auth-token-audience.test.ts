import { describe, expect, it } from 'vitest';
import { findingsOf, mcpEvent, runEvents, type EventInput } from '../../../helpers/engine-harness.js';

const ID = 'AUTH-TOKEN-AUDIENCE';
const RESOURCE = 'https://mcp.example.com/mcp';
const ISSUER = 'https://auth.example.com';
const CONFIG = { servers: { 'files-mcp': { audiences: [RESOURCE], issuers: [ISSUER] } } };

function call(time: number, principal: NonNullable<EventInput['principal']>, overrides: Partial<EventInput> = {}) {
  return mcpEvent({
    event: 'mcp.call',
    time,
    server: { name: 'files-mcp' },
    client: { ip: '203.0.113.7' },
    principal: { sub: 'user-42', tokenPresent: true, tokenFp: '9c1e0a7b33d2e4f1', ...principal },
    rpc: { id: time, method: 'tools/call' },
    tool: 'read_file',
    http: { status: 200 },
    result: { isError: false, text: 'ok' },
    ...overrides,
  });
}

describe('AUTH-TOKEN-AUDIENCE', () => {
  it('fires critical when a token for another resource is accepted (token passthrough)', async () => {
    const events = [call(0, { aud: 'https://api.other.example/v1', iss: ISSUER })];
    const result = await runEvents(events, { only: [ID], config: CONFIG });
    const findings = findingsOf(result, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'critical',
      subject: 'aud=https://api.other.example/v1',
      principal: 'user-42',
      evidence: {
        mismatch: ['aud'],
        aud: ['https://api.other.example/v1'],
        expectedAudiences: [RESOURCE],
        iss: ISSUER,
        tokenFp: '9c1e0a7b33d2e4f1',
        rejected: false,
      },
    });
    expect(result.alerts.map((a) => [a.detector, a.severity])).toEqual([[ID, 'critical']]);
  });

  it('fires on an unexpected issuer, and names both claims when both are wrong', async () => {
    const events = [
      call(0, { aud: [RESOURCE], iss: 'https://evil-idp.example' }),
      call(1, { aud: ['https://api.other.example'], iss: 'https://evil-idp.example' }),
    ];
    const findings = findingsOf(await runEvents(events, { only: [ID], config: CONFIG }), ID);
    expect(findings.map((f) => [f.severity, f.subject, f.evidence?.mismatch])).toEqual([
      ['critical', 'iss=https://evil-idp.example', ['iss']],
      ['critical', 'aud=https://api.other.example', ['aud', 'iss']],
    ]);
  });

  it('a token with an empty audience list is not bound to this server', async () => {
    const findings = findingsOf(await runEvents([call(0, { aud: [] })], { only: [ID], config: CONFIG }), ID);
    expect(findings.map((f) => [f.subject, f.evidence?.aud])).toEqual([['aud=(none)', []]]);
  });

  it('uses the "*" server entry when the server has none of its own', async () => {
    const config = { servers: { '*': { audiences: [RESOURCE] } } };
    const events = [call(0, { aud: 'https://api.other.example' }, { server: { name: 'other-mcp' } })];
    expect(findingsOf(await runEvents(events, { only: [ID], config }), ID).map((f) => f.server)).toEqual(['other-mcp']);
  });

  it('negative: any one configured audience among several is enough; case of host and trailing slash do not matter', async () => {
    const events = [
      call(0, { aud: ['https://api.other.example', RESOURCE], iss: ISSUER }),
      call(1, { aud: 'HTTPS://MCP.Example.com/mcp/', iss: 'https://auth.example.com/' }),
    ];
    expect(findingsOf(await runEvents(events, { only: [ID], config: CONFIG }), ID)).toHaveLength(0);
  });

  it('near miss: the path keeps its case (a different path is a different resource)', async () => {
    const findings = findingsOf(await runEvents([call(0, { aud: 'https://mcp.example.com/MCP-admin' })], { only: [ID], config: CONFIG }), ID);
    expect(findings.map((f) => f.subject)).toEqual(['aud=https://mcp.example.com/MCP-admin']);
  });

  it('negative: nothing is compared without configured audiences/issuers, or without the claims in the event', async () => {
    const wrong = call(0, { aud: 'https://api.other.example', iss: 'https://evil-idp.example' });
    expect(findingsOf(await runEvents([wrong], { only: [ID] }), ID)).toHaveLength(0);
    const noClaims = call(1, {});
    expect(findingsOf(await runEvents([noClaims], { only: [ID], config: CONFIG }), ID)).toHaveLength(0);
    const otherServer = call(2, { aud: 'https://api.other.example' }, { server: { name: 'unconfigured-mcp' } });
    expect(findingsOf(await runEvents([otherServer], { only: [ID], config: CONFIG }), ID)).toHaveLength(0);
  });

  it('near miss: a wrong-audience token the server rejected (401) is the server doing its job, unless includeRejected', async () => {
    const rejected = mcpEvent({
      event: 'mcp.auth',
      time: 0,
      server: { name: 'files-mcp' },
      client: { ip: '203.0.113.7' },
      principal: { tokenPresent: true, tokenFp: '9c1e0a7b33d2e4f1', aud: 'https://api.other.example' },
      auth: { outcome: 'failure', reason: 'invalid_token' },
      http: { status: 401 },
    });
    expect(findingsOf(await runEvents([rejected], { only: [ID], config: CONFIG }), ID)).toHaveLength(0);
    const config = { ...CONFIG, detectors: { [ID]: { includeRejected: true } } };
    const findings = findingsOf(await runEvents([rejected], { only: [ID], config }), ID);
    expect(findings.map((f) => [f.severity, f.subject, f.evidence?.rejected])).toEqual([['critical', 'aud=https://api.other.example', true]]);
  });

  it('a very long audience is hashed in the subject', async () => {
    const longAud = `https://api.other.example/${'x'.repeat(500)}`;
    const findings = findingsOf(await runEvents([call(0, { aud: longAud })], { only: [ID], config: CONFIG }), ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.subject).toMatch(/^aud=#[0-9a-f]{16}$/);
  });
});
