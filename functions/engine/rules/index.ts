/**
 * Rules as data (Sigma). The public API:
 *
 *   parseRuleFile(text, fileName)        YAML text → validated rule documents or errors (rule-file.ts; needs `yaml`)
 *   validateRuleDocument(raw, file, i)   one already-parsed document (JSON) → rule or errors
 *   compileRuleSet(rules, options)       documents → RuleSet (shared matcher + correlations)
 *   ruleSet.match(event)                 detection rules matching one event (stateless)
 *   ruleSet.evaluate(ev, view, report)   the engine's entry (correlations through the StateView)
 *
 * parseRuleFile is exported from './rule-file.js' only, so this index stays YAML-free for Lambda.
 */
export * from './types.js';
export { validateRuleDocument, ruleLabel } from './rule-schema.js';
export { compileRuleSet, resolveRuleSettings, RuleSet } from './rule-set.js';
export type { CompiledRule, CompileRuleSetOptions, CompileRuleSetResult, RuleSettings, RuleSettingsInput, ReportFinding } from './rule-set.js';
export { MODIFIERS } from './values.js';
export { CATEGORY_TAG, CONTENT_TAG, DEFAULT_CATEGORY, ruleSeverity } from './meta.js';
