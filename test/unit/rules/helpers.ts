/** Small builders for rule tests: a rule set from YAML text, events with defaults. */
import { parseRuleFile } from '../../../functions/engine/rules/rule-file.js';
import { compileRuleSet, type CompileRuleSetOptions, type RuleSet } from '../../../functions/engine/rules/rule-set.js';
import { formatRuleError } from '../../../functions/engine/rules/types.js';

export function ruleSetOf(yamlText: string, options: CompileRuleSetOptions = {}): RuleSet {
  const parsed = parseRuleFile(yamlText, 'test.yml');
  if (!parsed.ok) throw new Error(parsed.errors.map(formatRuleError).join('\n'));
  const compiled = compileRuleSet(parsed.rules, options);
  if (!compiled.ok) throw new Error(compiled.errors.map(formatRuleError).join('\n'));
  return compiled.ruleSet;
}

/** Errors (formatted) of compiling `yamlText`, parse or compile. */
export function errorsOf(yamlText: string): string[] {
  const parsed = parseRuleFile(yamlText, 'test.yml');
  if (!parsed.ok) return parsed.errors.map(formatRuleError);
  return compileRuleSet(parsed.rules).errors.map(formatRuleError);
}

/** One detection rule with a single selection `field: value` (YAML-ish fragment) and condition `sel`. */
export function oneSelection(selection: string, logsource = ''): string {
  return `title: t\nid: R1\n${logsource}detection:\n  sel:\n${selection
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}\n  condition: sel\n`;
}

export function call(fields: Record<string, unknown>): Record<string, unknown> {
  return { v: 1, event: 'mcp.call', time: '2026-01-01T00:00:00Z', server: { name: 'srv' }, ...fields };
}

export function matches(set: RuleSet, event: Record<string, unknown>): boolean {
  return set.match(event).length > 0;
}
