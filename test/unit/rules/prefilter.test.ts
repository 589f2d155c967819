/**
 * The prefilter never changes results: over random rules (literals, wildcards, regexes, modifiers,
 * conditions with not) and random events, the prefiltered matcher, the matcher without prefilter
 * and both automaton layouts agree. Texts mix case-folding traps (ſ, K, İ, Σ, surrogates).
 */
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { fold, foldUnit } from '../../../functions/engine/rules/fold.js';
import { LiteralAutomaton } from '../../../functions/engine/rules/prefilter.js';
import { regexGate } from '../../../functions/engine/rules/regex-literals.js';
import { compileRuleSet } from '../../../functions/engine/rules/rule-set.js';
import type { LoadedRule, SigmaDetectionRule } from '../../../functions/engine/rules/types.js';

const CHARS = ['a', 'b', 'c', 'A', 'B', 'k', 's', 'S', '.', ' ', '-', '/', 'ſ', '\u212a', 'İ', 'i', 'Σ', 'σ', 'ς', '😀', 'é', 'É'];
const text = fc.array(fc.constantFrom(...CHARS), { maxLength: 14 }).map((a) => a.join(''));
const literal = fc.array(fc.constantFrom(...CHARS.filter((c) => c !== '😀')), { minLength: 1, maxLength: 5 }).map((a) => a.join(''));

const regexAtom: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('a', 'b', 'c', 'A', 's', 'k', '\\.', '\\s', '\\d', '.', '[ab]', '[^c]', '\\x41', 'ſ', 'é'),
  fc.tuple(fc.constantFrom('a', 'b', 'ab', 'sa', 'kb'), fc.constantFrom('a', 'c', 'bc', 'S')).map(([x, y]) => `(${x}|${y})`),
  fc.constantFrom('(?:abc)', '(?i)', '(?P<n>ab)', '^', '$', '\\b'),
);
const regex = fc
  .array(fc.tuple(regexAtom, fc.constantFrom('', '', '', '*', '+', '?', '{2}', '{0,1}', '{1,}')), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.map(([a, q]) => (a === '^' || a === '$' || a === '\\b' || a === '(?i)' ? a : a + q)).join(''))
  .chain((r) => fc.constantFrom(r, `${r}|ab`, `x(${r})y`));

const MODIFIERS = ['', '|contains', '|startswith', '|endswith', '|contains|all', '|cased', '|contains|cased', '|windash|contains', '|base64offset|contains', '|re', '|re|i'];
const FIELDS = ['tool', 'arguments.a', 'arguments', 'result.text', 'tools.description'];

const item = fc.record({
  field: fc.constantFrom(...FIELDS),
  modifier: fc.constantFrom(...MODIFIERS),
  values: fc.array(fc.oneof(literal, literal.map((l) => `*${l}*`), literal.map((l) => `${l}?${l}`)), { minLength: 1, maxLength: 3 }),
  pattern: regex,
});

const selection = fc.oneof(
  fc.array(item, { minLength: 1, maxLength: 3 }).map((items) => {
    const map: Record<string, unknown> = {};
    for (const it of items) {
      const key = `${it.field}${it.modifier}`;
      map[key] = it.modifier.startsWith('|re') ? it.pattern : it.values;
    }
    return map as unknown;
  }),
  fc.array(literal, { minLength: 1, maxLength: 3 }),
);

const conditions = ['s0', 's0 and s1', 's0 or s1', 's0 and not s1', 'not s0', '1 of s*', 'all of s*', '(s0 or s1) and not s2', 's2 or (s0 and s1)'];

const rule = fc.record({ s0: selection, s1: selection, s2: selection, condition: fc.constantFrom(...conditions) });

function loaded(rules: readonly Record<string, unknown>[]): LoadedRule[] {
  return rules.map((detection, i) => ({ file: 'p.yml', index: i, doc: { title: `r${i}`, id: `R${i}`, detection } as unknown as SigmaDetectionRule }));
}

const event = fc.record({
  tool: text,
  arguments: fc.record({ a: text, b: fc.array(text, { maxLength: 3 }) }),
  result: fc.record({ text: fc.array(text, { maxLength: 4 }).map((a) => a.join(' ')) }),
  tools: fc.array(fc.record({ name: text, description: text }), { maxLength: 2 }),
});

describe('prefilter', () => {
  it('returns every candidate in rule order when one text holds many rules\' literals (long candidate lists)', () => {
    const words = Array.from({ length: 40 }, (_, i) => `lit${String(i).padStart(2, '0')}x`);
    const docs = loaded(words.map((w) => ({ selection: { 'result.text|contains': w }, condition: 'selection' })));
    const fast = compileRuleSet(docs);
    const brute = compileRuleSet(docs, { prefilter: false });
    // Literals appear in reverse rule order, so the automaton finds the candidates back to front.
    const ev = { v: 1, event: 'mcp.call', time: '2026-01-01T00:00:00Z', result: { text: [...words].reverse().join(' ') } };
    const expected = words.map((_, i) => `R${i}`);
    expect(brute.ruleSet.match(ev).map((i) => brute.ruleSet.rules[i]?.id)).toEqual(expected);
    expect(fast.ruleSet.match(ev).map((i) => fast.ruleSet.rules[i]?.id)).toEqual(expected);
  });

  it('never changes which rules match (prefiltered = brute force, dense = sparse automaton, lazy = eager RE2 programs)', () => {
    let checked = 0;
    let matched = 0;
    let gated = 0;
    fc.assert(
      fc.property(fc.array(rule, { minLength: 1, maxLength: 8 }), fc.array(event, { minLength: 1, maxLength: 6 }), (rules, events) => {
        const docs = loaded(rules);
        const fast = compileRuleSet(docs, { denseAutomaton: true });
        // Some random regexes are not valid RE2 (e.g. `a**`): those rules drop out of every variant alike.
        const sparse = compileRuleSet(docs, { denseAutomaton: false });
        const brute = compileRuleSet(docs, { prefilter: false });
        // Lazy RE2 programs (the Lambda handler's) keep invalid patterns until first use: compare when all compiled.
        const lazy = compileRuleSet(docs, { lazyRegex: true });
        for (const e of events) {
          const ev = { v: 1, event: 'mcp.call', time: '2026-01-01T00:00:00Z', ...e };
          const expected = brute.ruleSet.match(ev).map((i) => brute.ruleSet.rules[i]?.id);
          checked++;
          if (expected.length > 0) matched++;
          if (fast.ruleSet.literalCount > 0) gated++;
          expect(fast.ruleSet.match(ev).map((i) => fast.ruleSet.rules[i]?.id)).toEqual(expected);
          expect(sparse.ruleSet.match(ev).map((i) => sparse.ruleSet.rules[i]?.id)).toEqual(expected);
          expect(fast.ruleSet.matchAll(ev).map((i) => fast.ruleSet.rules[i]?.id)).toEqual(expected);
          if (fast.ok) expect(lazy.ruleSet.match(ev).map((i) => lazy.ruleSet.rules[i]?.id)).toEqual(expected);
        }
      }),
      { numRuns: 150 },
    );
    // The comparison means something only if rules do match and are gated.
    expect(matched / checked).toBeGreaterThan(0.1);
    expect(gated / checked).toBeGreaterThan(0.5);
  }, 180_000);

  it('rules gated by literals are actually skipped (the prefilter is on)', () => {
    const docs = loaded([{ s: { 'result.text|contains': 'ignore previous' }, condition: 's' }, { s: { 'result.text|re': 'exfil(trate)?\\s+data' }, condition: 's' }]);
    const set = compileRuleSet(docs).ruleSet;
    expect(set.literalCount).toBe(2);
    expect(set.ungatedCount).toBe(0);
  });

  it('regex gates: a literal of the gate occurs in every text the regex matches', () => {
    fc.assert(
      fc.property(regex, fc.array(text, { minLength: 1, maxLength: 8 }), (pattern, texts) => {
        let re: RE2JS;
        try {
          re = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
        } catch {
          return;
        }
        const gate = regexGate(pattern);
        if (gate === null) return;
        // Texts built from the gate's own literals too, so matches happen.
        for (const t of [...texts, ...gate.map((g) => `${texts[0] ?? ''}${g}`)]) {
          if (re.test(t)) expect(gate.some((g) => fold(t).includes(g)), `${pattern} on ${JSON.stringify(t)} gate ${JSON.stringify(gate)}`).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  }, 120_000);

  it('fold is per code unit and idempotent; only ſ and K fold into ASCII from outside it', () => {
    const intoAscii: number[] = [];
    const notIdempotent: number[] = [];
    for (let u = 0x80; u < 0x10000; u++) {
      const f = foldUnit(u);
      if (foldUnit(f) !== f) notIdempotent.push(u);
      if (f < 0x80) intoAscii.push(u);
    }
    expect(notIdempotent).toEqual([]);
    expect(intoAscii).toEqual([0x017f, 0x212a]);
    expect(fold('ΟΔΟΣ İ')).toHaveLength('ΟΔΟΣ İ'.length);
  }, 60_000);

  it('the automaton reports overlapping and nested literals', () => {
    const automaton = new LiteralAutomaton(['he', 'she', 'his', 'hers']);
    const found = new Set<number>();
    automaton.scan('uSHERS', (id) => found.add(id));
    expect([...found].sort()).toEqual([0, 1, 3]);
  });
});
