import { describe, expect, it } from 'vitest';
import { findingsOf, mcpEvent, runEvents, type EventInput } from '../../../helpers/engine-harness.js';

const ID = 'AGT-ELICITATION-FLOOD';

function event(time: number, overrides: Partial<EventInput> = {}) {
  return mcpEvent({
    event: 'mcp.call',
    time,
    server: { name: 'forms-mcp' },
    session: 'sess-1',
    principal: { sub: 'user-42' },
    rpc: { id: time, method: 'elicitation/create' },
    ...overrides,
  });
}

function inputRequired(time: number, inputRequests: unknown, overrides: Partial<EventInput> = {}) {
  return event(time, {
    rpc: { id: time, method: 'tools/call' },
    tool: 'book_trip',
    result: { resultType: 'input_required', inputRequests } as EventInput['result'],
    ...overrides,
  });
}

describe('AGT-ELICITATION-FLOOD', () => {
  it('fires medium at the 10th elicitation in a session within an hour', async () => {
    const events = Array.from({ length: 10 }, (_, i) => event(i * 300));
    const result = await runEvents(events, { only: [ID] });
    const findings = findingsOf(result, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'medium',
      subject: 'session=sess-1',
      session: 'sess-1',
      evidence: { roundTrips: 10, threshold: 10, windowSeconds: 3600, lastKind: 'elicitation/create' },
    });
    expect(result.alerts.map((a) => [a.detector, a.severity])).toEqual([[ID, 'medium']]);
  });

  it('sampling requests and input-required results count too, each asking entry once', async () => {
    const events = [
      ...Array.from({ length: 4 }, (_, i) => event(i, { rpc: { id: i, method: 'sampling/createMessage' } })),
      inputRequired(10, {
        a: { method: 'elicitation/create', params: {} },
        b: { method: 'elicitation/create', params: {} },
        c: { method: 'sampling/createMessage', params: {} },
        r: { method: 'roots/list' },
      }),
      inputRequired(20, { q: { params: { message: 'confirm?' } } }),
      inputRequired(30, { r: { method: 'roots/list' } }),
      event(40),
    ];
    const findings = findingsOf(await runEvents(events, { only: [ID] }), ID);
    // 4 sampling + 3 + 1 + 0 = 8, then the elicitation makes 9: one short.
    expect(findings).toHaveLength(0);
    const more = findingsOf(await runEvents([...events, event(50)], { only: [ID] }), ID);
    expect(more.map((f) => [f.evidence?.roundTrips, f.evidence?.lastKind])).toEqual([[10, 'elicitation/create']]);
  });

  it('one input-required result packing many elicitations counts each, capped at 20', async () => {
    const packed = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, { method: 'elicitation/create' }]));
    const findings = findingsOf(await runEvents([inputRequired(0, packed)], { only: [ID] }), ID);
    expect(findings.map((f) => [f.evidence?.roundTrips, f.evidence?.lastKind])).toEqual([[20, 'input_required']]);
  });

  it('near miss: 9 elicitations, or 10 spread over more than an hour, do not fire', async () => {
    const nine = Array.from({ length: 9 }, (_, i) => event(i * 60));
    expect(findingsOf(await runEvents(nine, { only: [ID] }), ID)).toHaveLength(0);
    const spread = Array.from({ length: 10 }, (_, i) => event(i * 420));
    expect(findingsOf(await runEvents(spread, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('near miss: sessions are counted apart; completion notifications, tools/call and tasks polling do not count', async () => {
    const events = [
      ...Array.from({ length: 6 }, (_, i) => event(i, { session: 'a' })),
      ...Array.from({ length: 6 }, (_, i) => event(i, { session: 'b' })),
      ...Array.from({ length: 20 }, (_, i) => event(100 + i, { session: 'a', rpc: { id: i, method: 'tools/call' }, tool: 'get_form' })),
      ...Array.from({ length: 20 }, (_, i) =>
        event(200 + i, { session: 'a', rpc: { id: i, method: 'tasks/get' }, result: { status: 'input_required' } as EventInput['result'] }),
      ),
    ];
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('without a session, counts per caller; counts carry across batches', async () => {
    const events = Array.from({ length: 10 }, (_, i) => event(i * 10, { session: undefined }));
    const findings = findingsOf(await runEvents(events, { only: [ID], batchSize: 3 }), ID);
    expect(findings.map((f) => f.subject)).toEqual(['principal:user-42']);
  });

  it('threshold is configurable', async () => {
    const events = Array.from({ length: 3 }, (_, i) => event(i));
    const findings = findingsOf(await runEvents(events, { only: [ID], config: { detectors: { [ID]: { threshold: 3 } } } }), ID);
    expect(findings).toHaveLength(1);
  });
});
