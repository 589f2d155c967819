/**
 * Runs the inline `tests:` of compiled rules. A detection rule's test passes when the rule matches
 * the event (or one of the events) exactly when `match` says; a correlation's test feeds its
 * events in order through the rule set with fresh in-memory state and checks whether the
 * correlation fired. Missing `v`, `time`, `server` (and `event`: mcp.call) are filled in;
 * events are then checked against the v1 schema so a test cannot pass on an impossible event.
 */
import type { Finding } from '../detectors/detector.js';
import type { EngineEvent } from '../events/engine-event.js';
import { McpEventSchema, type McpEvent } from '../events/schema.js';
import { MemoryStateStore } from '../state/memory-store.js';
import type { CompiledRule, RuleSet } from './rule-set.js';
import type { RuleError, RuleTestCase } from './types.js';

export const TEST_EPOCH_MS = Date.parse('2026-01-01T00:00:00.000Z');
export const TEST_SERVER = 'rules-test';

export interface TestFailure {
  readonly file: string;
  readonly rule: string;
  readonly test: string;
  readonly why: string;
}

export interface InlineTestReport {
  readonly rules: number;
  readonly rulesWithoutTests: readonly string[];
  readonly tests: number;
  readonly passed: number;
  readonly failures: readonly TestFailure[];
  /** Tests whose events are not valid v1 events: an invalid rule file (exit 2). */
  readonly invalid: readonly RuleError[];
}

/** Fills the defaults of the i-th event of a test and validates it. */
export function testEvent(raw: Readonly<Record<string, unknown>>, i: number): { event?: McpEvent; ts: number; error?: string } {
  const time = typeof raw.time === 'string' ? raw.time : new Date(TEST_EPOCH_MS + i * 1000).toISOString();
  const filled = { v: 1, event: 'mcp.call', server: { name: TEST_SERVER }, ...raw, time };
  const parsed = McpEventSchema.safeParse(filled);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ts: 0, error: `${issue?.path.map(String).join('.') || '(event)'}: ${issue?.message ?? 'invalid'}` };
  }
  return { event: parsed.data, ts: Date.parse(time) };
}

export async function runInlineTests(ruleSet: RuleSet): Promise<InlineTestReport> {
  const failures: TestFailure[] = [];
  const invalid: RuleError[] = [];
  const rulesWithoutTests: string[] = [];
  let tests = 0;
  let passed = 0;
  for (const rule of ruleSet.rules) {
    const cases = rule.doc.tests ?? [];
    if (cases.length === 0) rulesWithoutTests.push(rule.id);
    for (const [ti, test] of cases.entries()) {
      tests++;
      const raws = test.events ?? (test.event !== undefined ? [test.event] : []);
      const events: EngineEvent[] = [];
      let bad = false;
      raws.forEach((raw, i) => {
        const made = testEvent(raw, i);
        if (made.event === undefined) {
          const where = test.events !== undefined ? `tests[${ti}].events[${i}]` : `tests[${ti}].event`;
          invalid.push({ file: rule.file, rule: rule.id, key: where, message: `not a v1 event: ${made.error ?? ''}` });
          bad = true;
        } else events.push({ event: made.event, ts: made.ts, origin: { format: 'canonical', id: `${rule.file}:${test.name}:${i}` } });
      });
      if (bad) continue;
      const fired = rule.correlation !== undefined ? await correlationFires(ruleSet, rule, events) : events.some((ev) => ruleSet.match(ev.event).includes(rule.index));
      if (fired === test.match) {
        passed++;
        continue;
      }
      failures.push({ file: rule.file, rule: rule.id, test: test.name, why: why(ruleSet, rule, test, events) });
    }
  }
  return { rules: ruleSet.rules.length, rulesWithoutTests, tests, passed, failures, invalid };
}

async function correlationFires(ruleSet: RuleSet, rule: CompiledRule, events: readonly EngineEvent[]): Promise<boolean> {
  const store = new MemoryStateStore();
  const now = events.reduce((m, e) => Math.max(m, e.ts), 0);
  const txn = await store.begin(`rules-test:${rule.id}`, now);
  let fired = false;
  const report = (r: CompiledRule, _finding: Finding): void => {
    if (r.index === rule.index) fired = true;
  };
  for (const ev of events) ruleSet.evaluate(ev, txn.view, report, () => undefined);
  return fired;
}

function why(ruleSet: RuleSet, rule: CompiledRule, test: RuleTestCase, events: readonly EngineEvent[]): string {
  if (rule.correlation !== undefined) {
    const steps = events.map((ev) => ruleSet.match(ev.event).filter((i) => rule.correlation?.steps.includes(i)).map((i) => ruleSet.rules[i]?.id));
    const perEvent = steps.map((ids, i) => `event ${i + 1}: ${ids.length > 0 ? ids.join(', ') : 'no referenced rule'}`).join('; ');
    return `expected the correlation ${test.match ? 'to fire' : 'not to fire'}, it ${test.match ? 'did not' : 'did'} (${perEvent})`;
  }
  const detail = events
    .map((ev, i) => {
      const parts = ruleSet.explain(rule.index, ev.event).map((s) => `${s.name} ${s.holds ? 'holds' : 'does not hold'}`);
      return `${events.length > 1 ? `event ${i + 1}: ` : ''}${parts.join(', ')}`;
    })
    .join('; ');
  const condition = rule.doc && 'detection' in rule.doc ? String(rule.doc.detection.condition) : '';
  return `expected ${test.match ? 'a match' : 'no match'}, got ${test.match ? 'none' : 'one'}: ${detail} (condition: ${condition})`;
}
