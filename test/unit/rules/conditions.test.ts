/** Sigma conditions: and/or/not, N of / all of (globs, them), parentheses, precedence, errors. */
import { describe, expect, it } from 'vitest';
import { call, errorsOf, ruleSetOf } from './helpers.js';

const RULE = (condition: string): string => `title: t
id: C
detection:
  sel_a:
    tool: a
  sel_b:
    arguments.x: b
  sel_c:
    arguments.y: c
  _helper:
    arguments.z: z
  condition: ${condition}
`;

/** Which of the 8 combinations of (a, b, c) match. */
function truthTable(condition: string, z = false): string {
  const set = ruleSetOf(RULE(condition));
  const out: string[] = [];
  for (let bits = 0; bits < 8; bits++) {
    const a = (bits & 4) !== 0;
    const b = (bits & 2) !== 0;
    const c = (bits & 1) !== 0;
    const ev = call({ tool: a ? 'a' : 'n', arguments: { x: b ? 'b' : 'n', y: c ? 'c' : 'n', z: z ? 'z' : 'n' } });
    out.push(set.match(ev).length > 0 ? '1' : '0');
  }
  return out.join('');
}

describe('conditions', () => {
  it.each([
    ['sel_a', '00001111'],
    ['sel_a and sel_b', '00000011'],
    ['sel_a or sel_b', '00111111'],
    ['not sel_a', '11110000'],
    ['sel_a and not sel_b', '00001100'],
    // not > and > or
    ['sel_a or sel_b and sel_c', '00011111'],
    ['(sel_a or sel_b) and sel_c', '00010101'],
    ['not sel_a or sel_b', '11110011'],
    ['not (sel_a or sel_b)', '11000000'],
    ['1 of sel_*', '01111111'],
    ['all of sel_*', '00000001'],
    ['2 of sel_*', '00010111'],
    ['1 of them', '01111111'],
    ['all of them', '00000001'],
    ['sel_a AND NOT 1 of sel_b*', '00001100'],
  ])('%s', (condition, expected) => {
    expect(truthTable(condition)).toBe(expected);
  });

  it('them leaves out identifiers starting with _', () => {
    // _helper is false here; if `all of them` included it, nothing would match.
    expect(truthTable('all of them', false)).toBe('00000001');
    expect(truthTable('all of them and _helper', true)).toBe('00000001');
    expect(truthTable('all of them and _helper', false)).toBe('00000000');
  });

  it('a list of conditions means any of them', () => {
    const set = ruleSetOf('title: t\nid: L\ndetection:\n  a: {tool: a}\n  b: {tool: b}\n  condition: [a, b]\n');
    expect(set.match(call({ tool: 'b' }))).toEqual([0]);
    expect(set.match(call({ tool: 'c' }))).toEqual([]);
  });

  it.each([
    ['sel_a and nope', 'unknown search identifier "nope"'],
    ['sel_a and', 'unexpected end'],
    ['(sel_a', 'missing ")"'],
    ['sel_a sel_b', 'unexpected "sel_b"'],
    ['1 of zzz*', '"zzz*" names no search identifier'],
    ['sel_a | count() > 5', 'aggregations'],
  ])('error: %s', (condition, message) => {
    const errors = errorsOf(RULE(condition));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('test.yml: rule C: detection.condition: ');
    expect(errors[0]).toContain(message);
  });
});
