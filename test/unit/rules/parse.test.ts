/** Rule files: parsing, structural validation, and errors that name the file, the rule and the key. */
import { describe, expect, it } from 'vitest';
import { parseRuleFile } from '../../../functions/engine/rules/rule-file.js';
import { formatRuleError } from '../../../functions/engine/rules/types.js';
import { errorsOf } from './helpers.js';

describe('parseRuleFile', () => {
  it('reads several documents and keeps them as written (inline tests included)', () => {
    const parsed = parseRuleFile(
      `title: A\nid: A-1\ndetection: {sel: {tool: x}, condition: sel}\ntests:\n  - {name: n, match: true, event: {tool: x}}\n---\ntitle: B\nid: B-1\ncorrelation: {type: event_count, rules: [A-1], timespan: 5m, condition: {gte: 3}}\n---\n`,
      'f.yml',
    );
    expect(parsed.ok).toBe(true);
    expect(parsed.rules.map((r) => [r.file, r.index, r.doc.id])).toEqual([
      ['f.yml', 0, 'A-1'],
      ['f.yml', 1, 'B-1'],
    ]);
    expect(parsed.rules[0]?.doc.tests).toEqual([{ name: 'n', match: true, event: { tool: 'x' } }]);
  });

  it('reports YAML syntax errors with line and column', () => {
    const parsed = parseRuleFile('title: [unclosed\nid: x\n', 'bad.yml');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(formatRuleError(parsed.errors[0] as never)).toMatch(/^bad\.yml:\d+:\d+: rule #1: /);
  });

  it.each([
    ['missing detection', 'title: T\nid: X-1\n', 'test.yml: rule X-1: detection: '],
    ['missing condition', 'title: T\nid: X-1\ndetection: {sel: {tool: a}}\n', 'test.yml: rule X-1: detection.condition: '],
    ['bad level', 'title: T\nid: X-1\nlevel: severe\ndetection: {sel: {tool: a}, condition: sel}\n', 'test.yml: rule X-1: level: '],
    ['bad id', 'title: T\nid: "a b"\ndetection: {sel: {tool: a}, condition: sel}\n', 'test.yml: rule a b: id: '],
    ['test without event', 'title: T\nid: X-1\ndetection: {sel: {tool: a}, condition: sel}\ntests: [{name: n, match: true}]\n', 'test.yml: rule X-1: tests.0: a test needs exactly one'],
    ['bad timespan', 'title: T\nid: C-1\ncorrelation: {type: event_count, rules: [a], timespan: 5 minutes, condition: {gte: 2}}\n', 'test.yml: rule C-1: correlation.timespan: '],
    ['unknown correlation type', 'title: T\nid: C-1\ncorrelation: {type: count, rules: [a], timespan: 5m}\n', 'test.yml: rule C-1: correlation.type: '],
    ['other product', 'title: T\nid: X-1\nlogsource: {product: windows}\ndetection: {sel: {tool: a}, condition: sel}\n', 'test.yml: rule X-1: logsource.product: '],
  ])('%s: names file, rule and key', (_name, text, prefix) => {
    const errors = errorsOf(text);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toContain(prefix);
  });

  it.each([
    ['unknown modifier', 'tool|contans: a', 'detection.sel.tool|contans: unknown modifier "contans"'],
    ['unsupported modifier', 'tool|expand: a', 'detection.sel.tool|expand: modifier "expand" is not supported'],
    ['two placements', 'tool|contains|startswith: a', 'detection.sel.tool|contains|startswith: use one of'],
    ['number modifier on text', 'http.status|gt: many', 'detection.sel.http.status|gt: gt needs a number'],
    ['invalid regex', "tool|re: '(a'", 'detection.sel.tool|re: not a valid RE2 regular expression'],
    ['backreference', "tool|re: '(a)\\1'", 'detection.sel.tool|re: not a valid RE2 regular expression'],
    ['lookahead', "tool|re: 'a(?=b)'", 'detection.sel.tool|re: not a valid RE2 regular expression'],
    ['bad cidr', "client.ip|cidr: '10.0.0.0/33'", 'detection.sel.client.ip|cidr: "10.0.0.0/33" is not a CIDR'],
    ['exists with a string', 'tool|exists: yes please', 'detection.sel.tool|exists: `exists` takes true or false'],
    ['bad field path', "'arguments..path': a", 'detection.sel.arguments..path: "arguments..path" is not a field path'],
    ['value list item is a map', 'tool: [{a: b}]', 'detection.sel.tool: a value must be a string'],
  ])('compile error, %s: names the key', (_name, selection, message) => {
    const errors = errorsOf(`title: T\nid: X-1\ndetection:\n  sel:\n    ${selection}\n  condition: sel\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.startsWith(`test.yml: rule X-1: ${message}`), errors[0]).toBe(true);
  });

  it('rejects duplicate ids across files and unknown correlation references', () => {
    expect(errorsOf('title: A\nid: D\ndetection: {s: {tool: a}, condition: s}\n---\ntitle: B\nid: D\ndetection: {s: {tool: b}, condition: s}\n')).toEqual([
      'test.yml: rule D: id: duplicate rule id (also in test.yml)',
    ]);
    expect(errorsOf('title: C\nid: C-1\ncorrelation: {type: event_count, rules: [nope], timespan: 5m, condition: {gte: 2}}\n')).toEqual([
      'test.yml: rule C-1: correlation.rules[0]: unknown rule "nope"',
    ]);
  });

  it('rejects correlation conditions it cannot evaluate exactly', () => {
    const base = 'title: A\nid: A\ndetection: {s: {tool: a}, condition: s}\n---\ntitle: C\nid: C-1\ncorrelation: {type: event_count, rules: [A], timespan: 5m, ';
    expect(errorsOf(`${base}condition: {lt: 3}}\n`)[0]).toContain('correlation.condition.lt: lt/lte need evaluation at the end of a window');
    expect(errorsOf(`${base}condition: {gte: 3, gt: 4}}\n`)[0]).toContain('correlation.condition: give exactly one of');
    expect(errorsOf(`${base}condition: {gte: 3, field: tool}}\n`)[0]).toContain('correlation.condition.field: field is for value_count only');
  });
});
