/**
 * Rule files (Sigma YAML, several documents separated by `---`) → validated rule documents.
 * Kept apart from the compiler so the YAML parser stays out of the Lambda bundle: the CDK app
 * parses rule files at synth time and embeds the documents as JSON.
 */
import { parseAllDocuments } from 'yaml';
import { validateRuleDocument } from './rule-schema.js';
import type { LoadedRule, RuleError, RuleParseResult } from './types.js';

/** Parses and validates every document of a rule file. Errors name the file, the rule and the key. */
export function parseRuleFile(text: string, fileName: string): RuleParseResult {
  const rules: LoadedRule[] = [];
  const errors: RuleError[] = [];
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  let index = 0;
  for (const doc of list) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const pos = e.linePos?.[0];
        errors.push({ file: pos ? `${fileName}:${pos.line}:${pos.col}` : fileName, rule: `#${index + 1}`, message: e.message.split('\n')[0] ?? 'YAML error' });
      }
      index++;
      continue;
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    // An empty document (a trailing `---`) is not a rule.
    if (value === null || value === undefined) continue;
    const result = validateRuleDocument(value, fileName, index);
    if (result.rule) rules.push(result.rule);
    errors.push(...result.errors);
    index++;
  }
  return errors.length > 0 ? { ok: false, errors, rules } : { ok: true, rules };
}
