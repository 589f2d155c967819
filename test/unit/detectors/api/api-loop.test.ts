import { describe, expect, it } from 'vitest';
import { argumentsHash, canonicalJson } from '../../../../functions/engine/detectors/api/api-loop.js';
import { findingsOf, mcpEvent, runEvents, type EventInput } from '../../../helpers/engine-harness.js';

const ID = 'API-LOOP';

function call(time: number, args: unknown, overrides: Partial<EventInput> = {}) {
  return mcpEvent({
    event: 'mcp.call',
    time,
    server: { name: 'app-mcp' },
    session: 'sess-1',
    principal: { sub: 'user-42' },
    rpc: { id: time, method: 'tools/call' },
    tool: 'search_issues',
    arguments: args,
    ...overrides,
  });
}

describe('API-LOOP', () => {
  it('fires once at the 10th identical call within 5 minutes', async () => {
    const events = Array.from({ length: 14 }, (_, i) => call(i * 20, { repo: 'a/b', q: 'is:open' }));
    const findings = findingsOf(await runEvents(events, { only: [ID] }), ID);
    const hash = argumentsHash({ repo: 'a/b', q: 'is:open' });
    expect(findings.map((f) => [f.severity, f.subject, f.evidence?.repeats])).toEqual([
      ['medium', `session=sess-1 tool=search_issues args=${hash}`, 10],
    ]);
  });

  it('argument order does not matter (canonical JSON)', async () => {
    const events = Array.from({ length: 10 }, (_, i) =>
      call(
        i,
        i % 2
          ? { q: 'x', repo: 'a/b', opts: { b: 1, a: [1, { d: 2, c: 3 }] } }
          : { repo: 'a/b', opts: { a: [1, { c: 3, d: 2 }], b: 1 }, q: 'x' },
      ),
    );
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toHaveLength(1);
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}',
    );
  });

  it('near miss: pagination changes the arguments', async () => {
    const events = Array.from({ length: 30 }, (_, i) => call(i * 5, { repo: 'a/b', page: i + 1 }));
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toEqual([]);
  });

  it('near miss: 9 identical calls, or 10 spread beyond the window, or 10 across sessions', async () => {
    const nine = Array.from({ length: 9 }, (_, i) => call(i * 20, { q: 'x' }));
    expect(findingsOf(await runEvents(nine, { only: [ID] }), ID)).toEqual([]);
    const slow = Array.from({ length: 10 }, (_, i) => call(i * 40, { q: 'x' }));
    expect(findingsOf(await runEvents(slow, { only: [ID] }), ID)).toEqual([]);
    const sessions = Array.from({ length: 10 }, (_, i) => call(i, { q: 'x' }, { session: `s-${i}` }));
    expect(findingsOf(await runEvents(sessions, { only: [ID] }), ID)).toEqual([]);
  });

  it('repeats that keep returning new content are progress by default; sameOutcomeOnly: false counts them', async () => {
    const events = Array.from({ length: 12 }, (_, i) =>
      call(i * 10, { folder: 'INBOX' }, { tool: 'read_inbox', result: { text: `${i + 1} new messages` } }),
    );
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toEqual([]);
    const strict = await runEvents(events, {
      only: [ID],
      config: { detectors: { [ID]: { sameOutcomeOnly: false } } },
    });
    expect(findingsOf(strict, ID).map((f) => f.evidence?.repeats)).toEqual([10]);
    // The same error again and again is the classic stuck agent.
    const retries = Array.from({ length: 10 }, (_, i) =>
      call(i * 10, { id: 7 }, { tool: 'deploy', error: { code: -32603, message: 'upstream timeout' } }),
    );
    expect(
      findingsOf(await runEvents(retries, { only: [ID] }), ID).map((f) => f.evidence?.lastIsError),
    ).toEqual([true]);
  });

  it('an identical call flapping between two outcomes: each outcome is counted apart (sameOutcomeOnly)', async () => {
    // Success, timeout, success, timeout … every 10 s with the same arguments.
    const flapping = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        i % 2 === 0
          ? call(i * 10, { id: 7 }, { tool: 'deploy', result: { isError: false, text: 'deployed v42' } })
          : call(i * 10, { id: 7 }, { tool: 'deploy', error: { code: -32603, message: 'upstream timeout' } }),
      );
    // 10 identical calls, 5 per outcome: no loop of 10 identical calls by default.
    expect(findingsOf(await runEvents(flapping(10), { only: [ID] }), ID)).toEqual([]);
    // The 19th call is the 10th success, the 20th the 10th timeout: each outcome crosses the
    // threshold once, both on the same incident (session, tool, arguments), so one alert.
    const twenty = await runEvents(flapping(20), { only: [ID] });
    const hash = argumentsHash({ id: 7 });
    expect(findingsOf(twenty, ID).map((f) => [f.severity, f.subject, f.ts, f.evidence?.repeats, f.evidence?.lastIsError])).toEqual([
      ['medium', `session=sess-1 tool=deploy args=${hash}`, Date.parse('2026-11-24T10:03:00.000Z'), 10, false],
      ['medium', `session=sess-1 tool=deploy args=${hash}`, Date.parse('2026-11-24T10:03:10.000Z'), 10, true],
    ]);
    expect(twenty.alerts.map((a) => [a.detector, a.severity, a.count])).toEqual([[ID, 'medium', 2]]);
    // Counting every identical call, the 10th call alerts whatever it returned.
    const strict = await runEvents(flapping(10), { only: [ID], config: { detectors: { [ID]: { sameOutcomeOnly: false } } } });
    expect(findingsOf(strict, ID).map((f) => [f.ts, f.evidence?.repeats, f.evidence?.lastIsError])).toEqual([
      [Date.parse('2026-11-24T10:01:30.000Z'), 10, true],
    ]);
  });

  it('a poller getting the same answer is a loop; ignoreTools exempts it', async () => {
    const events = Array.from({ length: 12 }, (_, i) =>
      call(i * 10, { jobId: 'j-1' }, { tool: 'get_status', result: { text: '{"state":"pending"}' } }),
    );
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID).map((f) => f.tool)).toEqual([
      'get_status',
    ]);
    const tuned = await runEvents(events, {
      only: [ID],
      config: { detectors: { [ID]: { ignoreTools: ['get_status'] } } },
    });
    expect(findingsOf(tuned, ID)).toEqual([]);
  });

  it('without a session the principal is the loop owner; state carries across batches', async () => {
    const events = Array.from({ length: 10 }, (_, i) => call(i * 3, { q: 'x' }, { session: undefined }));
    const findings = findingsOf(await runEvents(events, { only: [ID], batchSize: 3 }), ID);
    expect(findings.map((f) => f.subject.split(' ')[0])).toEqual(['principal=user-42']);
  });

  it('huge or deep arguments hash in bounded time', async () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 5_000; i++) deep = { [`k${i}`]: deep };
    const wide = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`key-${i}`, 'v'.repeat(10)]));
    const events = [call(0, deep), call(1, wide), call(2, { blob: 'x'.repeat(100_000) })];
    const result = await runEvents(events, { only: [ID] });
    expect(result.outcomes.flatMap((o) => Object.keys(o.detectorErrors))).toEqual([]);
    expect(canonicalJson(wide).length).toBeLessThan(100_000);
  });
});
