import { describe, expect, it } from 'vitest';
import { findingsOf, mcpEvent, runEvents, type EventInput } from '../../../helpers/engine-harness.js';

const ID = 'RES-ERROR-RATE';

function call(time: number, failed: 'ok' | 'rpc-error' | 'tool-error', overrides: Partial<EventInput> = {}) {
  return mcpEvent({
    event: 'mcp.call',
    time,
    server: { name: 'db-mcp' },
    session: 's-1',
    principal: { sub: 'user-42' },
    rpc: { id: time, method: 'tools/call' },
    tool: 'query',
    ...(failed === 'rpc-error' ? { error: { code: -32602, message: 'Invalid params: missing "sql"' } } : {}),
    result: { isError: failed === 'tool-error' },
    ...overrides,
  });
}

/** `total` calls 5 s apart; those whose index is in `failing` fail with `kind`. */
function traffic(
  total: number,
  failing: (i: number) => boolean,
  kind: 'rpc-error' | 'tool-error' = 'tool-error',
) {
  return Array.from({ length: total }, (_, i) => call(i * 5, failing(i) ? kind : 'ok'));
}

describe('RES-ERROR-RATE', () => {
  it('more than 5 % failed calls over at least 20 calls → medium', async () => {
    // The 20th call fails: 2/20 = 10 % → medium (not above 10 %).
    const result = await runEvents(
      traffic(30, (i) => i === 3 || i === 19),
      { only: [ID] },
    );
    const findings = findingsOf(result, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'medium',
      subject: 'tools/call',
      server: 'db-mcp',
      ts: traffic(20, () => false)[19]?.ts,
      evidence: { errors: 2, calls: 20, errorPct: 10, limitPct: 5, windowSeconds: 300 },
    });
    // About the server, not the caller of the 20th call.
    expect(findings[0]?.principal).toBeUndefined();
    expect(result.alerts.map((a) => [a.detector, a.severity])).toEqual([[ID, 'medium']]);
  });

  it('a ratio reached by successes piling up is judged at the next minute bucket', async () => {
    // Failures at calls 4 and 8 (below 20 calls); from then on only successes. Calls are 5 s apart,
    // so the first call of the third minute (t = 120 s, the 25th call) judges 2/25 = 8 %.
    const findings = findingsOf(
      await runEvents(
        traffic(30, (i) => i === 3 || i === 7),
        { only: [ID] },
      ),
      ID,
    );
    expect(
      findings.map((f) => [f.severity, f.evidence?.errors, f.evidence?.calls, f.evidence?.errorPct]),
    ).toEqual([['medium', 2, 25, 8]]);
  });

  it('more than 10 % → high; JSON-RPC errors and isError results both count', async () => {
    // 3 of 20 = 15 %: one rpc error, two tool errors.
    const events = traffic(20, (i) => i === 1 || i === 2 || i === 19);
    events[1] = call(5, 'rpc-error');
    const findings = findingsOf(await runEvents(events, { only: [ID] }), ID);
    expect(
      findings.map((f) => [f.severity, f.evidence?.errors, f.evidence?.calls, f.evidence?.lastErrorCode]),
    ).toEqual([['high', 3, 20, undefined]]);
    events[19] = call(95, 'rpc-error');
    const rpc = findingsOf(await runEvents(events, { only: [ID] }), ID);
    expect(rpc.map((f) => [f.severity, f.evidence?.lastErrorCode, f.evidence?.lastError])).toEqual([
      ['high', -32602, 'Invalid params: missing "sql"'],
    ]);
  });

  it('near miss: 1 error in 10 calls is below the 20-call minimum', async () => {
    expect(
      findingsOf(
        await runEvents(
          traffic(10, (i) => i === 4),
          { only: [ID] },
        ),
        ID,
      ),
    ).toHaveLength(0);
  });

  it('near miss: exactly 5 % (1 in 20, 2 in 40) is not above 5 %', async () => {
    expect(
      findingsOf(
        await runEvents(
          traffic(20, (i) => i === 19),
          { only: [ID] },
        ),
        ID,
      ),
    ).toHaveLength(0);
    expect(
      findingsOf(
        await runEvents(
          traffic(40, (i) => i === 19 || i === 39),
          { only: [ID] },
        ),
        ID,
      ),
    ).toHaveLength(0);
  });

  it('near miss: errors of other methods and other servers do not count', async () => {
    const events = [
      ...traffic(20, () => false),
      ...Array.from({ length: 5 }, (_, i) =>
        call(100 + i, 'rpc-error', { rpc: { id: i, method: 'resources/read' }, tool: undefined }),
      ),
      ...Array.from({ length: 5 }, (_, i) => call(110 + i, 'tool-error', { server: { name: 'other-mcp' } })),
    ];
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('near miss: failures older than the 5-minute window have left the ratio', async () => {
    // 3 failures at t=0..10, then 20 good calls from t=400 s: ratio in the window 0/20.
    const events = [
      call(0, 'tool-error'),
      call(5, 'tool-error'),
      call(10, 'tool-error'),
      ...traffic(20, () => false).map((ev, i) => call(400 + i * 5, 'ok')),
    ];
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('reports a sustained failure once per window and again after recovery', async () => {
    // Every 4th call fails (25 %) for 100 calls (t = 0–495 s), then 100 good calls, then every 4th fails again.
    const bad = (start: number) =>
      Array.from({ length: 100 }, (_, i) => call(start + i * 5, i % 4 === 0 ? 'tool-error' : 'ok'));
    const good = Array.from({ length: 100 }, (_, i) => call(500 + i * 5, 'ok'));
    const events = [...bad(0), ...good, ...bad(1000)];
    const findings = findingsOf(await runEvents(events, { only: [ID], batchSize: 50 }), ID);
    expect(findings.map((f) => [f.severity, (f.ts - events[0]!.ts) / 1000])).toEqual([
      ['high', 100], // the 21st call is a failure: 6/21, judged at once
      ['high', 400], // still failing one window later
      ['medium', 720], // good calls since 500 s; the window still holds the tail of the bad period (first call of a minute)
      ['medium', 1060], // second bad period: 4 errors in 64 calls (> 5 %)
      ['high', 1120], // worsens: > 10 %
      ['high', 1420], // one window later
    ]);
  });
});
