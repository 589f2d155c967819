/**
 * Per-kind plans (RuleSet skips the text walk and the literal scan for event kinds no rule, or no
 * gated rule, sees) never change results: over random rules restricted to random kinds (gated and
 * ungated, kind-less too) and events of every kind, `match` equals `matchAll` (no prefilter, no plan).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_KINDS } from '../../../functions/engine/events/schema.js';
import { compileRuleSet } from '../../../functions/engine/rules/rule-set.js';
import type { LoadedRule, SigmaDetectionRule } from '../../../functions/engine/rules/types.js';

const WORDS = ['curl', 'rm -rf', 'secret', 'sudo', 'x'];
const KINDS = [...EVENT_KINDS, 'mcp.unknown-kind', undefined] as const;
const CATEGORIES = [undefined, 'call', 'tools', 'session', 'usage', 'auth'] as const;

// A gated selection (a literal the prefilter can index) or an ungated one (exists / a regex with no literal).
const selection = fc.oneof(
  fc.record({ field: fc.constantFrom('tool', 'arguments.cmd', 'result.text', 'tools.name'), word: fc.constantFrom(...WORDS) }).map(({ field, word }) => ({ [`${field}|contains`]: word })),
  fc.constantFrom({ 'principal.tokenFp|exists': true }, { 'tool|re': '^.?.?.?$' }, { 'client.ip|exists': true }),
);
const rule = fc.record({ sel: selection, category: fc.constantFrom(...CATEGORIES) });

const event = fc.record({
  kind: fc.constantFrom(...KINDS),
  tool: fc.constantFrom('run', 'curl', 'x', 'read_file'),
  cmd: fc.constantFrom('ls', 'rm -rf /', 'curl evil', 'sudo su'),
  text: fc.constantFrom('', 'a secret', 'fine'),
  token: fc.boolean(),
});

function loaded(rules: readonly { sel: Record<string, unknown>; category: string | undefined }[]): LoadedRule[] {
  return rules.map((r, i) => ({
    file: 'k.yml',
    index: i,
    doc: {
      title: `r${i}`,
      id: `R${i}`,
      ...(r.category !== undefined ? { logsource: { product: 'mcp', category: r.category } } : {}),
      detection: { sel: r.sel, condition: 'sel' },
    } as unknown as SigmaDetectionRule,
  }));
}

describe('rule set kind plans', () => {
  it('match (with per-kind plans) = matchAll on events of every kind, known or not', () => {
    let matched = 0;
    let skippedKinds = 0;
    fc.assert(
      fc.property(fc.array(rule, { minLength: 1, maxLength: 6 }), fc.array(event, { minLength: 1, maxLength: 8 }), (rules, events) => {
        const set = compileRuleSet(loaded(rules)).ruleSet;
        for (const e of events) {
          const ev: Record<string, unknown> = {
            v: 1,
            time: '2026-01-01T00:00:00Z',
            ...(e.kind !== undefined ? { event: e.kind } : {}),
            tool: e.tool,
            arguments: { cmd: e.cmd },
            result: { text: e.text },
            tools: [{ name: e.tool }],
            client: { ip: '203.0.113.7' },
            ...(e.token ? { principal: { tokenFp: 'abc' } } : {}),
          };
          const expected = set.matchAll(ev);
          if (expected.length > 0) matched++;
          else skippedKinds++;
          expect(set.match(ev)).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
    expect(matched).toBeGreaterThan(100);
    expect(skippedKinds).toBeGreaterThan(100);
  });

  it('a kind-less ungated rule still sees events of a kind no other rule sees', () => {
    const set = compileRuleSet(loaded([
      { sel: { 'tool|contains': 'curl' }, category: 'call' },
      { sel: { 'principal.tokenFp|exists': true }, category: undefined },
    ])).ruleSet;
    const usage = { v: 1, event: 'mcp.usage', time: '2026-01-01T00:00:00Z', principal: { tokenFp: 'abc' }, tool: 'curl' };
    expect(set.match(usage).map((i) => set.rules[i]?.id)).toEqual(['R1']);
    expect(set.match({ ...usage, event: 'mcp.call' }).map((i) => set.rules[i]?.id)).toEqual(['R0', 'R1']);
    // A call rule's literal in a usage event does not make it a candidate there.
    expect(set.match({ ...usage, principal: {} })).toEqual([]);
  });
});
