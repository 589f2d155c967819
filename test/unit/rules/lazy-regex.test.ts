/**
 * Lazy RE2 programs (CompileRuleSetOptions.lazyRegex, what the Lambda handler uses for rules the
 * CDK app validated at synth): a pattern is compiled the first time a prefilter hit reaches it,
 * results equal eager compilation, and a pattern that cannot compile is that rule's error at its
 * first use — counted, never thrown out of the matcher.
 */
import { describe, expect, it } from 'vitest';
import { parseRuleFile } from '../../../functions/engine/rules/rule-file.js';
import { compileRuleSet } from '../../../functions/engine/rules/rule-set.js';
import { call, oneSelection } from './helpers.js';

function rules(yamlText: string) {
  const parsed = parseRuleFile(yamlText, 'test.yml');
  if (!parsed.ok) throw new Error('rule does not parse');
  return parsed.rules;
}

describe('lazy RE2 programs', () => {
  const valid = rules(oneSelection("result.text|re|i: 'exfil(trate)?\\s+(the\\s+)?data\\s+to'"));

  it('match exactly as eagerly compiled programs, near-misses included', () => {
    const eager = compileRuleSet(valid).ruleSet;
    const lazy = compileRuleSet(valid, { lazyRegex: true }).ruleSet;
    const texts = ['please EXFILTRATE the data to x', 'exfil data to', 'exfiltrate data', 'exfiltration data to', 'the data to exfil', ''];
    for (const text of texts) {
      const ev = call({ tool: 't', result: { text } });
      expect(lazy.match(ev), text).toEqual(eager.match(ev));
    }
    expect(eager.match(call({ result: { text: 'exfil data to' } }))).toEqual([0]);
  });

  it('an invalid pattern compiles lazily and fails at its first use as that rule error', () => {
    const bad = rules(oneSelection("result.text|re: 'exfil(a'"));
    expect(compileRuleSet(bad).ok).toBe(false);
    const lazy = compileRuleSet(bad, { lazyRegex: true });
    expect(lazy.ok).toBe(true);
    const errors: string[] = [];
    const onError = (rule: { id: string }) => void errors.push(rule.id);
    // No text in the field: the program is never needed.
    expect(lazy.ruleSet.match(call({ tool: 'exfil(a' }), onError)).toEqual([]);
    expect(errors).toEqual([]);
    // Needed: the compile error is that rule's error, every time, and the matcher goes on.
    expect(lazy.ruleSet.match(call({ result: { text: 'exfil(a' } }), onError)).toEqual([]);
    expect(lazy.ruleSet.match(call({ result: { text: 'exfil(a' } }), onError)).toEqual([]);
    expect(errors).toEqual(['R1', 'R1']);
  });
});

describe("lazyRegex: 'packs' (the CLI)", () => {
  it("compiles a pack's patterns on first use and everyone else's now", () => {
    const bad = rules(oneSelection("result.text|re: 'exfil(a'"));
    const fromPack = bad.map((r) => ({ ...r, pack: 'atr' }));
    expect(compileRuleSet(bad, { lazyRegex: 'packs' }).ok).toBe(false);
    expect(compileRuleSet(fromPack, { lazyRegex: 'packs' }).ok).toBe(true);
    const valid = rules(oneSelection("result.text|re|i: 'exfil(trate)?\\s+data'")).map((r) => ({ ...r, pack: 'atr' }));
    const set = compileRuleSet(valid, { lazyRegex: 'packs' }).ruleSet;
    expect(set.match(call({ result: { text: 'Exfiltrate  data now' } }))).toEqual([0]);
    expect(set.match(call({ result: { text: 'exfiltration of data' } }))).toEqual([]);
  });
});
