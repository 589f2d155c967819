/**
 * ATR rule → Sigma rule document (the in-memory shape of a parsed Sigma YAML file, so the pack goes
 * through the same parser and compiler as users' rules).
 *
 * - id and title are kept (alerts carry `detector: ATR-2026-00001`); `severity` → `level`;
 *   category, subcategory and maturity become tags (`atr.category.prompt-injection`, …).
 * - Each ATR condition becomes one selection `cN` listing its pattern once per v1 field it maps to
 *   (fields.ts); `condition: any` → `1 of c*`, `all` → `all of c*`. Patterns are RE2 (regex.ts)
 *   with `(?i)`: the ATR engine matches every pattern case-insensitively.
 * - The rule's test cases become Sigma inline `tests:` (test-events.ts).
 *
 * What cannot be imported is said, per rule: a rule is `disabled` with reasons when nothing of it
 * can run here (method trace/behavioral, status draft/deprecated, every pattern needs lookaround);
 * `partial` when some conditions were dropped (each listed with its reason) and the rest still run.
 * Whether a converted rule passes its own tests is decided later by running them (generate step).
 */
import type { AtrCondition, AtrRule, AtrTestCase } from './atr-rule.js';
import { eventFieldsFor } from './fields.js';
import { translateAtrRegex, type RegexRejection } from './regex.js';
import { testCaseEvent, type V1TestEvent } from './test-events.js';

export type DisableReason =
  | 'status'
  | 'method'
  | 'lookahead'
  | 'lookbehind'
  | 'backreference'
  | 'unsupported-syntax'
  | 'unmapped-field'
  | 'invalid';

export interface DroppedCondition {
  readonly index: number;
  readonly field: string;
  readonly reason: DisableReason;
  readonly detail: string;
}

export interface SigmaInlineTest {
  readonly name: string;
  readonly match: boolean;
  readonly event: V1TestEvent;
}

/** A Sigma rule document as parsed from YAML (plain data). */
export interface AtrSigmaDocument {
  readonly title: string;
  readonly id: string;
  readonly status: string;
  readonly description: string;
  readonly author?: string;
  readonly level: string;
  readonly tags: readonly string[];
  readonly logsource: { readonly product: 'mcp' };
  readonly detection: Readonly<Record<string, unknown>>;
  readonly falsepositives?: readonly string[];
  readonly tests: readonly SigmaInlineTest[];
}

export type ConvertedAtrRule =
  | {
      readonly id: string;
      readonly title: string;
      readonly state: 'imported' | 'partial';
      readonly doc: AtrSigmaDocument;
      readonly dropped: readonly DroppedCondition[];
    }
  | {
      readonly id: string;
      readonly title: string;
      readonly state: 'disabled';
      readonly reason: DisableReason;
      readonly detail: string;
      readonly dropped: readonly DroppedCondition[];
    };

/** Sigma levels have the same names as ATR severities. */
const LEVEL: Readonly<Record<string, string>> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  informational: 'informational',
};

/** ATR statuses map onto Sigma's (stable, test, experimental); draft/deprecated never reach here. */
function sigmaStatus(rule: AtrRule): string {
  if (rule.status === 'stable') return 'stable';
  if (rule.maturity === 'test' || rule.maturity === 'stable') return 'test';
  return 'experimental';
}

/**
 * The alert category of an ATR category (`mcp.category.*` tag): injected text is an API
 * concern, poisoned definitions and skills a configuration one, the rest agent behaviour.
 */
const ALERT_CATEGORY: Readonly<Record<string, string>> = {
  'prompt-injection': 'api',
  'data-poisoning': 'api',
  'model-abuse': 'api',
  'model-security': 'api',
  'tool-poisoning': 'config',
  'skill-compromise': 'config',
};

function tagPart(s: string): string {
  return trimDashes(s.toLowerCase().replace(/[^a-z0-9-]+/g, '-'));
}

/** Leading and trailing dashes off, by index (a `-+$` regex retries from every dash: quadratic). */
function trimDashes(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) === 45) start++;
  while (end > start && s.charCodeAt(end - 1) === 45) end--;
  return s.slice(start, end);
}

interface ConditionOutcome {
  readonly selection?: ReadonlyArray<Record<string, string>>;
  readonly fields?: readonly string[];
  readonly dropped?: DroppedCondition;
}

function convertCondition(c: AtrCondition, index: number): ConditionOutcome {
  const fields = eventFieldsFor(c.field);
  if (!fields) return { dropped: { index, field: c.field, reason: 'unmapped-field', detail: `no v1 field for "${c.field}"` } };
  let pattern: string;
  if (c.operator === 'regex') {
    const t = translateAtrRegex(c.value);
    if (!t.ok) return { dropped: { index, field: c.field, reason: t.reason satisfies RegexRejection, detail: t.detail } };
    pattern = t.source;
  } else if (c.operator === 'contains' || c.operator === 'starts_with' || c.operator === 'exact') {
    const escaped = c.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    pattern = c.operator === 'contains' ? escaped : c.operator === 'starts_with' ? `^${escaped}` : `^${escaped}$`;
  } else {
    return { dropped: { index, field: c.field, reason: 'unsupported-syntax', detail: `operator "${c.operator}"` } };
  }
  const re = `(?i)${pattern}`;
  return { selection: fields.map((f) => ({ [`${f}|re`]: re })), fields };
}

function disabled(rule: AtrRule, reason: DisableReason, detail: string, dropped: readonly DroppedCondition[] = []): ConvertedAtrRule {
  return { id: rule.id, title: rule.title, state: 'disabled', reason, detail, dropped };
}

export function convertAtrRule(rule: AtrRule): ConvertedAtrRule {
  if (rule.status === 'draft' || rule.status === 'deprecated') {
    return disabled(rule, 'status', `status ${rule.status}: ATR engines must not run it in production`);
  }
  const patternMethod = rule.method === 'pattern' || (rule.method === 'semantic' && rule.semanticFallback === 'pattern');
  if (!patternMethod) return disabled(rule, 'method', `detection.method ${rule.method} (needs ${rule.method === 'trace' ? 'agent execution traces' : rule.method === 'behavioral' ? 'a streaming metric evaluator' : 'an LLM judge'})`);

  const detection: Record<string, unknown> = {};
  const dropped: DroppedCondition[] = [];
  const channels = new Set<string>();
  rule.conditions.forEach((c, i) => {
    const outcome = convertCondition(c, i);
    if (outcome.dropped) {
      dropped.push(outcome.dropped);
      return;
    }
    detection[`c${i}`] = outcome.selection;
    for (const f of outcome.fields ?? []) channels.add(f);
  });
  const kept = Object.keys(detection).length;
  if (kept === 0) {
    const first = dropped[0];
    return disabled(rule, first?.reason ?? 'invalid', first ? `every condition dropped: ${first.detail}` : 'no conditions', dropped);
  }
  if (rule.condition === 'all' && dropped.length > 0) {
    // Dropping a conjunct would widen the rule: it could fire where ATR's rule does not.
    const first = dropped[0]!;
    return disabled(rule, first.reason, `condition "all" and a conjunct cannot run: ${first.detail}`, dropped);
  }
  detection['condition'] = rule.condition === 'all' ? 'all of c*' : '1 of c*';

  const tests: SigmaInlineTest[] = [];
  const add = (cases: readonly AtrTestCase[], match: boolean, prefix: string): void => {
    cases.forEach((tc, i) => {
      const description = typeof tc['description'] === 'string' ? `: ${tc['description']}` : '';
      tests.push({ name: `${prefix}-${i + 1}${description}`.slice(0, 160), match, event: testCaseEvent(tc, channels) });
    });
  };
  add(rule.truePositives, true, 'tp');
  add(rule.trueNegatives, false, 'tn');

  // mcp.content: a trusted caller's allow-listing does not hide what the text itself says.
  const tags = [`mcp.category.${ALERT_CATEGORY[rule.category] ?? 'agent'}`, 'mcp.content', `atr.category.${tagPart(rule.category)}`];
  if (rule.subcategory) tags.push(`atr.subcategory.${tagPart(rule.subcategory)}`);
  if (rule.maturity) tags.push(`atr.maturity.${tagPart(rule.maturity)}`);

  const doc: AtrSigmaDocument = {
    title: rule.title,
    id: rule.id,
    status: sigmaStatus(rule),
    description: rule.description || rule.title,
    ...(rule.author ? { author: rule.author } : {}),
    level: LEVEL[rule.severity] ?? 'medium',
    tags,
    logsource: { product: 'mcp' },
    detection,
    ...(rule.falsePositives.length > 0 ? { falsepositives: rule.falsePositives } : {}),
    tests,
  };
  return { id: rule.id, title: rule.title, state: dropped.length > 0 ? 'partial' : 'imported', doc, dropped };
}
