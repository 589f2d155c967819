/**
 * No rule and no input makes matching super-linear: catastrophic-backtracking patterns run
 * through re2js (an automaton, linear in the input) on inputs built to trigger backtracking, and
 * every text scanned is bounded. A backtracking engine would not finish these in the lifetime of
 * the test run; here they complete with the right answer.
 */
import { describe, expect, it } from 'vitest';
import { MAX_EVENT_CHARS, MAX_EVENT_LEAVES } from '../../../functions/engine/rules/event-text.js';
import { call, ruleSetOf } from './helpers.js';

const CATASTROPHIC: readonly (readonly [pattern: string, input: string, matches: boolean])[] = [
  ['^(a+)+$', `${'a'.repeat(16_000)}!`, false],
  ['^(a|aa)+$', `${'a'.repeat(16_000)}!`, false],
  ['^(a|a?)+$', `${'a'.repeat(16_000)}!`, false],
  ['(.*a){25}', 'a'.repeat(16_000), true],
  ['(.*a){25}', `${'a'.repeat(24)}${'b'.repeat(16_000)}`, false],
  ['^(\\w+\\s?)*$', `${'word '.repeat(3200)}!`, false],
  ['(x+x+)+y', 'x'.repeat(16_000), false],
];

describe('ReDoS', () => {
  it.each(CATASTROPHIC)('%s on a hostile input of its kind finishes with the right answer', (pattern, input, matches) => {
    const set = ruleSetOf(`title: t\nid: R\ndetection:\n  s:\n    result.text|re: '${pattern.replace(/'/g, "''")}'\n  condition: s\n`);
    expect(set.match(call({ result: { text: input } })).length > 0).toBe(matches);
  });

  it('events are scanned within fixed bounds whatever their size', () => {
    const set = ruleSetOf('title: t\nid: K\ndetection:\n  kw: [needle]\n  condition: kw\n');
    const wide = { arguments: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i === 4999 ? 'needle' : 'hay'])) };
    expect(set.match(call(wide))).toEqual([]);
    expect(MAX_EVENT_LEAVES).toBeLessThan(5000);
    let deep: Record<string, unknown> = { x: 'needle' };
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    expect(set.match(call({ arguments: deep }))).toEqual([]);
    const huge = 'hay '.repeat(MAX_EVENT_CHARS);
    expect(set.match(call({ result: { text: `${huge}needle` } }))).toEqual([]);
    expect(set.match(call({ result: { text: `needle${huge}` } }))).toEqual([0]);
  });
});
