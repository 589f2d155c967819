/**
 * How a rule document becomes detector metadata (alerts, docs): `level` → severity
 * (informational → info), the tag `mcp.category.<category>` → category (default `agent`), the tag
 * `mcp.content` → trusted callers do not suppress it (the rule is about content, not the caller).
 */
import type { Severity } from '../alerts/severity.js';
import { CATEGORIES, type Category, type DetectorMeta, type Reference } from '../detectors/detector.js';
import { isCorrelation, type RuleDocument, type RuleLevel } from './types.js';

export const CATEGORY_TAG = 'mcp.category.';
export const CONTENT_TAG = 'mcp.content';
export const DEFAULT_CATEGORY: Category = 'agent';

const LEVEL_SEVERITY: Record<RuleLevel, Severity> = {
  informational: 'info',
  low: 'low',
  medium: 'medium',
  high: 'high',
  critical: 'critical',
};

export function ruleSeverity(doc: RuleDocument): Severity {
  return LEVEL_SEVERITY[doc.level ?? 'medium'];
}

/** The category tag's value, or an error message when it names no category. */
export function ruleCategory(doc: RuleDocument): Category | { error: string } {
  const tag = doc.tags?.find((t) => t.startsWith(CATEGORY_TAG));
  if (tag === undefined) return DEFAULT_CATEGORY;
  const value = tag.slice(CATEGORY_TAG.length);
  return (CATEGORIES as readonly string[]).includes(value)
    ? (value as Category)
    : { error: `tag "${tag}": category must be one of ${CATEGORIES.join(', ')}` };
}

function references(doc: RuleDocument): Reference[] {
  return (doc.references ?? []).slice(0, 16).map((url, i) => ({ id: `REF-${i + 1}`, title: url, ...(/^https?:\/\//.test(url) ? { url } : {}) }));
}

export function ruleMeta(doc: RuleDocument, file: string, category: Category): DetectorMeta {
  const falsepositives = typeof doc.falsepositives === 'string' ? [doc.falsepositives] : (doc.falsepositives ?? []);
  const correlation = isCorrelation(doc);
  return {
    id: doc.id,
    category,
    title: doc.title,
    severity: ruleSeverity(doc),
    detects: doc.description ?? doc.title,
    why: `Sigma ${correlation ? 'correlation ' : ''}rule from ${file}${doc.status ? ` (status ${doc.status})` : ''}.`,
    tuning:
      falsepositives.length > 0
        ? `Known false positives: ${falsepositives.join('; ')}. Tune with ruleSettings.${doc.id} or a suppression.`
        : `Tune with ruleSettings.${doc.id} (enabled, mode, severity, dedupSeconds) or a suppression.`,
    runbook: doc.description ?? `Review the events that matched rule ${doc.id}.`,
    references: references(doc),
    state: correlation ? 'window' : 'none',
    ...(doc.tags?.includes(CONTENT_TAG) ? { ignoresTrustedCallers: true } : {}),
  };
}
