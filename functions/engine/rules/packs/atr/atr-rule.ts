/**
 * The parts of an ATR rule (agent-threat-rules, spec/atr-schema.yaml) the pack reads. Rules arrive
 * as parsed YAML, so every field is checked before use (`readAtrRule`): a malformed rule becomes a
 * disabled entry with a reason, never an exception.
 */

export type AtrSeverity = 'critical' | 'high' | 'medium' | 'low' | 'informational';

export interface AtrCondition {
  readonly field: string;
  readonly operator: string;
  readonly value: string;
  readonly description?: string;
}

/** One ATR test case: `input` (string or object) and/or explicit channel fields. */
export type AtrTestCase = Readonly<Record<string, unknown>>;

export interface AtrRule {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly author?: string;
  readonly status: string;
  readonly maturity?: string;
  readonly severity: AtrSeverity;
  readonly category: string;
  readonly subcategory?: string;
  readonly confidence?: string;
  readonly method: string;
  /** `semantic` rules run their pattern conditions when `fallback_method: pattern` (as ATR's sync engine does). */
  readonly semanticFallback?: string;
  readonly conditions: readonly AtrCondition[];
  readonly condition: 'any' | 'all';
  readonly falsePositives: readonly string[];
  readonly truePositives: readonly AtrTestCase[];
  readonly trueNegatives: readonly AtrTestCase[];
}

const SEVERITIES: readonly AtrSeverity[] = ['critical', 'high', 'medium', 'low', 'informational'];

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function list(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Reads a parsed ATR YAML document; returns the problem instead when it is not a usable rule. */
export function readAtrRule(doc: unknown): { rule: AtrRule } | { problem: string; id?: string } {
  const d = obj(doc);
  if (!d) return { problem: 'not a YAML mapping' };
  const id = str(d['id']);
  if (!id) return { problem: 'no id' };
  const title = str(d['title']) ?? id;
  const severity = str(d['severity']) as AtrSeverity | undefined;
  if (!severity || !SEVERITIES.includes(severity)) return { problem: `severity ${String(d['severity'])}`, id };
  const detection = obj(d['detection']);
  if (!detection) return { problem: 'no detection', id };
  const rawConditions = detection['conditions'];
  if (!Array.isArray(rawConditions)) return { problem: 'detection.conditions is not a list', id };
  const conditions: AtrCondition[] = [];
  for (const c of rawConditions) {
    const o = obj(c);
    const field = str(o?.['field']);
    const operator = str(o?.['operator']);
    const value = str(o?.['value']);
    if (!o || !field || !operator || value === undefined) return { problem: 'a condition without field/operator/value', id };
    conditions.push({ field, operator, value, ...(str(o['description']) ? { description: str(o['description'])! } : {}) });
  }
  const cond = String(detection['condition'] ?? 'any').trim().toLowerCase();
  if (cond !== 'any' && cond !== 'or' && cond !== 'all' && cond !== 'and') return { problem: `condition "${cond}"`, id };
  const tags = obj(d['tags']) ?? {};
  const tests = obj(d['test_cases']) ?? {};
  const asCases = (v: unknown): AtrTestCase[] => list(v).filter((t): t is AtrTestCase => obj(t) !== undefined);
  const semantic = obj(detection['semantic']);
  return {
    rule: {
      id,
      title,
      description: (str(d['description']) ?? '').trim(),
      ...(str(d['author']) ? { author: str(d['author'])! } : {}),
      status: str(d['status']) ?? 'experimental',
      ...(str(d['maturity']) ? { maturity: str(d['maturity'])! } : {}),
      severity,
      category: str(tags['category']) ?? 'uncategorized',
      ...(str(tags['subcategory']) ? { subcategory: str(tags['subcategory'])! } : {}),
      ...(str(tags['confidence']) ? { confidence: str(tags['confidence'])! } : {}),
      method: str(detection['method']) ?? 'pattern',
      ...(str(semantic?.['fallback_method']) ? { semanticFallback: str(semantic?.['fallback_method'])! } : {}),
      conditions,
      condition: cond === 'all' || cond === 'and' ? 'all' : 'any',
      falsePositives: list(detection['false_positives']).filter((x): x is string => typeof x === 'string'),
      truePositives: asCases(tests['true_positives']),
      trueNegatives: asCases(tests['true_negatives']),
    },
  };
}
