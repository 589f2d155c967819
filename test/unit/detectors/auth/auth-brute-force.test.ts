import { describe, expect, it } from 'vitest';
import { findingsOf, mcpEvent, runEvents, type EventInput } from '../../../helpers/engine-harness.js';

const ID = 'AUTH-BRUTE-FORCE';

function failure(time: number, overrides: Partial<EventInput> = {}) {
  return mcpEvent({
    event: 'mcp.auth',
    time,
    server: { name: 'files-mcp' },
    client: { ip: '203.0.113.7' },
    principal: { tokenPresent: true, tokenFp: '9c1e0a7b33d2e4f1' },
    auth: { outcome: 'failure', reason: 'invalid_token' },
    http: { status: 401 },
    ...overrides,
  });
}

describe('AUTH-BRUTE-FORCE', () => {
  it('fires at the 5th failure with a token from one IP within 5 minutes', async () => {
    const events = [0, 30, 60, 90, 120].map((t) => failure(t));
    const result = await runEvents(events, { only: [ID] });
    const findings = findingsOf(result, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'high', subject: 'ip=203.0.113.7', clientIp: '203.0.113.7' });
    expect(result.alerts).toHaveLength(1);
    expect(result.alerts[0]).toMatchObject({ detector: ID, category: 'auth', severity: 'high', server: 'files-mcp' });
  });

  it('counts per principal across IPs', async () => {
    const events = [0, 10, 20, 30, 40].map((t, i) =>
      failure(t, { client: { ip: `198.51.100.${i}` }, principal: { sub: 'user-42', tokenPresent: true } }),
    );
    const findings = findingsOf(await runEvents(events, { only: [ID] }), ID);
    expect(findings.map((f) => f.subject)).toEqual(['principal=user-42']);
  });

  it('keeps counting across batches (state carries over)', async () => {
    const events = [0, 30, 60, 90, 120].map((t) => failure(t));
    const result = await runEvents(events, { only: [ID], batchSize: 2 });
    expect(findingsOf(result, ID)).toHaveLength(1);
  });

  it('near miss: 4 failures do not fire', async () => {
    const events = [0, 30, 60, 90].map((t) => failure(t));
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('near miss: 5 failures spread over more than the window do not fire', async () => {
    const events = [0, 100, 200, 330, 460].map((t) => failure(t));
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('near miss: token-less 401s of OAuth discovery are not failures', async () => {
    const events = Array.from({ length: 12 }, (_, i) => failure(i * 5, { principal: { tokenPresent: false } }));
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('unknown token presence (API Gateway) needs the higher threshold', async () => {
    const events = Array.from({ length: 10 }, (_, i) => failure(i * 5, { principal: undefined }));
    const nine = await runEvents(events.slice(0, 9), { only: [ID] });
    expect(findingsOf(nine, ID)).toHaveLength(0);
    const ten = await runEvents(events, { only: [ID] });
    expect(findingsOf(ten, ID).map((f) => f.evidence?.tokenPresent)).toEqual(['unknown']);
  });

  it('successful and denied decisions are not failures', async () => {
    const events = [0, 1, 2, 3, 4, 5].map((t) => failure(t, { auth: { outcome: t % 2 ? 'success' : 'denied' } }));
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('threshold is configurable and the detector can be switched to shadow mode', async () => {
    const events = [0, 10, 20].map((t) => failure(t));
    const tuned = await runEvents(events, { only: [ID], config: { detectors: { [ID]: { threshold: 3 } } } });
    expect(findingsOf(tuned, ID)).toHaveLength(1);
    const shadow = await runEvents(events, { only: [ID], config: { detectors: { [ID]: { threshold: 3, mode: 'shadow' } } } });
    expect(shadow.alerts).toHaveLength(0);
    expect(shadow.outcomes[0]?.shadowFindings[ID]).toBe(1);
  });
});
