import { describe, expect, it } from 'vitest';
import { findingsOf, mcpEvent, runEvents, type EventInput } from '../../../helpers/engine-harness.js';

const ID = 'API-RATE';

function call(time: number, overrides: Partial<EventInput> = {}) {
  return mcpEvent({
    event: 'mcp.call',
    time,
    server: { name: 'app-mcp' },
    session: 'sess-1',
    rpc: { id: 1, method: 'tools/call' },
    tool: 'search',
    ...overrides,
  });
}

/** `count` calls evenly spread over the minute starting at `minute` (seconds from base). */
function minuteOf(minute: number, count: number, overrides: Partial<EventInput> = {}) {
  return Array.from({ length: count }, (_, i) => call(minute * 60 + (i * 59) / count, overrides));
}

function ratelimit(time: number, overrides: Partial<EventInput> = {}) {
  return mcpEvent({
    event: 'mcp.ratelimit',
    time,
    server: { name: 'app-mcp' },
    client: { ip: '198.51.100.4' },
    http: { status: 429 },
    ...overrides,
  });
}

describe('API-RATE', () => {
  it('fires once when a session crosses 120 calls per minute', async () => {
    const result = await runEvents(minuteOf(0, 150), { only: [ID] });
    const findings = findingsOf(result, ID);
    expect(
      findings.map((f) => [f.severity, f.subject, f.evidence?.reasons, f.evidence?.callsPerMinute]),
    ).toEqual([['medium', 'session=sess-1', ['ceiling'], 121]]);
  });

  it('counts per principal across sessions', async () => {
    const events = Array.from({ length: 125 }, (_, i) =>
      call(i * 0.4, { session: `s-${i}`, principal: { sub: 'user-42' } }),
    );
    const findings = findingsOf(await runEvents(events, { only: [ID] }), ID);
    expect(findings.map((f) => f.subject)).toEqual(['principal=user-42']);
  });

  it('near miss: 120 calls a minute, sustained, stays under the ceiling', async () => {
    const events = [0, 1, 2].flatMap((m) => minuteOf(m, 120));
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toEqual([]);
  });

  it('fires when the rate goes above 3× its own learned baseline (and the absolute floor)', async () => {
    const history = Array.from({ length: 12 }, (_, m) => minuteOf(m, 20)).flat();
    const burst = minuteOf(13, 70);
    const result = await runEvents([...history, ...burst], { only: [ID], batchSize: 50 });
    const findings = findingsOf(result, ID);
    expect(findings.map((f) => [f.subject, f.evidence?.reasons, f.evidence?.callsPerMinute])).toEqual([
      ['session=sess-1', ['baseline'], 61],
    ]);
    expect(findings[0]?.evidence).toMatchObject({
      baselinePerMinute: 20,
      baselineMinutes: 12,
      multiplier: 3,
    });
  });

  it('near miss: a quiet principal going from 1 to 4 calls, or a busy one going 2.5× higher, does not fire', async () => {
    const quiet = [...Array.from({ length: 12 }, (_, m) => minuteOf(m, 1)).flat(), ...minuteOf(13, 4)];
    expect(findingsOf(await runEvents(quiet, { only: [ID] }), ID)).toEqual([]);
    const busy = [...Array.from({ length: 12 }, (_, m) => minuteOf(m, 40)).flat(), ...minuteOf(13, 100)];
    expect(findingsOf(await runEvents(busy, { only: [ID] }), ID)).toEqual([]);
  });

  it('near miss: too little history for a baseline', async () => {
    const events = [...Array.from({ length: 5 }, (_, m) => minuteOf(m, 10)).flat(), ...minuteOf(6, 90)];
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toEqual([]);
  });

  it('rate-limit refusals: 10 per IP in 5 minutes → medium; 9 do not', async () => {
    const ten = Array.from({ length: 10 }, (_, i) => ratelimit(i * 25));
    const findings = findingsOf(await runEvents(ten, { only: [ID] }), ID);
    expect(findings.map((f) => [f.severity, f.subject, f.evidence?.refusals])).toEqual([
      ['medium', 'ip=198.51.100.4 kind=rate-limited', 10],
    ]);
    expect(findingsOf(await runEvents(ten.slice(0, 9), { only: [ID] }), ID)).toEqual([]);
    const spread = Array.from({ length: 10 }, (_, i) => ratelimit(i * 40));
    expect(findingsOf(await runEvents(spread, { only: [ID] }), ID)).toEqual([]);
  });

  it('thresholds are configurable', async () => {
    const events = minuteOf(0, 40);
    const result = await runEvents(events, {
      only: [ID],
      config: { detectors: { [ID]: { ceilingPerMinute: 30 } } },
    });
    expect(findingsOf(result, ID).map((f) => f.evidence?.callsPerMinute)).toEqual([31]);
  });
});
