/**
 * Property-based fuzzing (fast-check, fixed seeds, bounded runs): every source format's normalizer
 * and the ingest handler (in-memory state) take any input — naughty strings, lone surrogates,
 * broken JSON, deep nesting, wrong types in every field — without throwing, count every line, and
 * still raise the alert of a canary attack hidden among the garbage.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeRecords, SOURCE_FORMATS } from '../../functions/engine/events/normalize.js';
import { canonicalLine, subscriptionEvent } from '../helpers/cloudwatch-payloads.js';
import { captureStdout } from '../helpers/capture-stdout.js';
import { CollectingSink } from '../helpers/engine-harness.js';
import { inMemoryIngestHandler } from './support/ingest.js';

const SEED = 20261207;
const WELL_FORMED = /^(?:[^\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;

const naughty = fc.constantFrom('\ud800', '\udc00', '\u0000', '\u202e', '\ufeff', '𝕏', '"', '\\', '{', '[', '}', ']', '__proto__', 'constructor', 'NaN', '-0', '1e309', 'null', '\n', '\r\n', '\t');
const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), naughty, fc.array(naughty, { maxLength: 6 }).map((a) => a.join('')));
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(text, fc.constantFrom('v', 'event', 'time', 'server', 'tool', 'session', 'principal', 'jsonrpc', 'id', 'method', 'params', 'result', 'requestId', 'ip', 'status', 'message', 'level')), tie('value'), { maxKeys: 6 }),
})).value;

/** Lines shaped like each source format, with any field replaced by anything. */
const formatLine = fc.oneof(
  fc.record({ v: fc.oneof(fc.constant(1), jsonValue), event: fc.oneof(fc.constantFrom('mcp.call', 'mcp.auth', 'mcp.tools.list', 'mcp.session'), jsonValue), time: fc.oneof(fc.constant('2026-11-24T10:00:00Z'), jsonValue), server: jsonValue, tool: jsonValue, arguments: jsonValue, result: jsonValue, principal: jsonValue }, { requiredKeys: ['v', 'event', 'time'] }).map((o) => JSON.stringify(o)),
  fc.record({ jsonrpc: fc.constant('2.0'), id: jsonValue, method: fc.oneof(fc.constantFrom('tools/call', 'tools/list', 'initialize'), jsonValue), params: jsonValue, result: jsonValue }, { requiredKeys: ['jsonrpc'] }).map((o) => JSON.stringify(o)),
  fc.tuple(text, text).map(([a, b]) => `2026-11-24T10:00:00.000Z\t${a}\tINFO\t${b}`),
  fc.tuple(text).map(([a]) => `REPORT RequestId: ${a}\tDuration: 1.00 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB`),
  fc.record({ requestId: jsonValue, ip: jsonValue, requestTime: jsonValue, httpMethod: jsonValue, status: jsonValue, path: jsonValue }).map((o) => JSON.stringify(o)),
  fc.record({ level: jsonValue, message: jsonValue, timestamp: jsonValue }).map((o) => JSON.stringify(o)),
  jsonValue.map((v) => JSON.stringify(v) ?? 'undefined'),
  text,
  fc.integer({ min: 100, max: 3000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
);

describe('fuzzing the normalizers', () => {
  for (const format of ['auto', ...SOURCE_FORMATS] as const) {
    it(`${format}: never throws, counts every line, emits only valid events`, () => {
      fc.assert(
        fc.property(fc.array(formatLine, { maxLength: 12 }), (lines) => {
          const { events, stats } = normalizeRecords(lines.map((message, i) => ({ message, id: `f:${i}`, timestamp: 1_795_000_000_000 + i })), { format });
          expect(stats.lines).toBe(lines.length);
          expect(stats.unparsed + Object.values(stats.byFormat).reduce((n, x) => n + (x ?? 0), 0)).toBe(lines.length);
          for (const e of events) expect(Number.isFinite(e.ts)).toBe(true);
          for (const s of stats.unparsedSamples) expect(s.length).toBeLessThanOrEqual(200);
        }),
        { seed: SEED, numRuns: 150 },
      );
    });
  }
});

describe('fuzzing the ingest handler (in-memory state)', () => {
  it('garbage around a canary brute force: the canary still alerts, every output string is well-formed', async () => {
    const sink = new CollectingSink();
    const { handler } = inMemoryIngestHandler({ sink, only: ['AUTH-BRUTE-FORCE', 'API-SECRET-LEAK', 'AGT-CREDENTIAL-ACCESS'] });
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(formatLine, { maxLength: 10 }), async (garbage) => {
        round++;
        const base = round * 3600;
        const ip = `198.51.100.${round % 250}`;
        const canary = [0, 10, 20, 30, 40, 50].map((t) =>
          canonicalLine(base + t, { event: 'mcp.auth', server: { name: 'canary-mcp' }, client: { ip }, principal: { sub: `canary-${round}`, tokenPresent: true }, auth: { outcome: 'failure', reason: 'invalid_token' }, http: { status: 401 } }),
        );
        const noise = garbage.map((message, i) => ({ timestamp: Date.parse('2026-11-24T10:00:00Z') + (base + i) * 1000, message }));
        const mixed = [...noise.slice(0, 5), ...canary, ...noise.slice(5)];
        const before = sink.alerts.length;
        const { result } = await captureStdout(() => handler(subscriptionEvent(mixed)));
        expect(result).toMatchObject({ status: 'processed' });
        const raised = sink.alerts.slice(before);
        expect(raised.some((a) => a.detector === 'AUTH-BRUTE-FORCE' && a.title.includes(ip))).toBe(true);
        for (const a of raised) expect(JSON.stringify(a)).toMatch(WELL_FORMED);
      }),
      { seed: SEED, numRuns: 40 },
    );
  }, 120_000);
});
