/**
 * Rule documents exactly as parsed from a Sigma YAML file (plain objects, nothing resolved yet).
 * A file holds one or more documents separated by `---`; each is a detection rule or a
 * correlation rule. See docs/rules.md and docs/sigma-rule.schema.json.
 */

/** Sigma levels. `informational` maps to the alert severity `info`. */
export const RULE_LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type RuleLevel = (typeof RULE_LEVELS)[number];

export const RULE_STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'] as const;

/** An inline test: one event (or a sequence, for correlations) and whether the rule must fire. */
export interface RuleTestCase {
  readonly name: string;
  readonly match: boolean;
  /** One v1 event; `v`, `time` and `server` are filled in when missing. */
  readonly event?: Readonly<Record<string, unknown>>;
  /** Several events in order (correlations); the rule must fire on some event of the list, or on none. */
  readonly events?: readonly Readonly<Record<string, unknown>>[];
}

/** Fields shared by detection and correlation rules. */
export interface RuleCommon {
  readonly title: string;
  /** Stable id: becomes the alert's `detector`, the key under `ruleSettings`, and suppressions' `detector`. */
  readonly id: string;
  /** Optional short name other rules (correlations) may reference instead of the id. */
  readonly name?: string;
  readonly status?: string;
  readonly description?: string;
  readonly references?: readonly string[];
  readonly author?: string;
  readonly date?: string;
  readonly modified?: string;
  readonly tags?: readonly string[];
  readonly level?: RuleLevel;
  readonly falsepositives?: readonly string[];
  /** Fields whose values identify the incident (alert subject); defaults to session/principal/ip and tool. */
  readonly fields?: readonly string[];
  readonly tests?: readonly RuleTestCase[];
}

export interface SigmaLogsource {
  /** Must be `mcp` when present. */
  readonly product?: string;
  /** An event kind without its `mcp.` prefix (`call`, `tools`, `auth`, …) or with it: the rule only sees those events. */
  readonly category?: string;
  /** A server name: the rule only sees that server's events. */
  readonly service?: string;
  readonly definition?: string;
}

/**
 * `detection`: search identifiers (selections, keyword lists) and `condition`. A selection is a
 * map `field|modifier|…: value | [values]`, a list of such maps (any of them), or a list of
 * keywords (searched in every string of the event).
 */
export interface SigmaDetection {
  readonly condition: string | readonly string[];
  readonly [identifier: string]: unknown;
}

export interface SigmaDetectionRule extends RuleCommon {
  readonly logsource?: SigmaLogsource;
  readonly detection: SigmaDetection;
}

export const CORRELATION_TYPES = ['event_count', 'value_count', 'temporal', 'temporal_ordered'] as const;
export type CorrelationType = (typeof CORRELATION_TYPES)[number];

export interface CorrelationCondition {
  readonly gt?: number;
  readonly gte?: number;
  readonly lt?: number;
  readonly lte?: number;
  readonly eq?: number;
  /** value_count: the field whose distinct values are counted. */
  readonly field?: string;
}

export interface SigmaCorrelation {
  readonly type: CorrelationType;
  /** Ids (or names) of the detection rules correlated. */
  readonly rules: readonly string[];
  readonly 'group-by'?: readonly string[];
  /** `30s`, `5m`, `1h`, `2d`. */
  readonly timespan: string;
  readonly condition?: CorrelationCondition;
  /** Whether the referenced rules also raise their own alerts. @default false */
  readonly generate?: boolean;
}

export interface SigmaCorrelationRule extends RuleCommon {
  readonly correlation: SigmaCorrelation;
}

export type RuleDocument = SigmaDetectionRule | SigmaCorrelationRule;

export function isCorrelation(doc: RuleDocument): doc is SigmaCorrelationRule {
  return (doc as SigmaCorrelationRule).correlation !== undefined;
}

/** A validated document and where it came from. */
export interface LoadedRule {
  /** The file (as given to parseRuleFile), for messages. */
  readonly file: string;
  /** Position of the document in its file (0-based). */
  readonly index: number;
  readonly doc: RuleDocument;
  /** The pack the rule comes from (`atr`), absent for project and user rules. */
  readonly pack?: string;
  /** Defaults under ruleSettings: a pack may ship rules disabled or in shadow mode. */
  readonly defaults?: { readonly enabled?: boolean; readonly mode?: 'alert' | 'shadow' };
}

/** A problem in a rule file: names the file, the rule (id or title when known) and the key. */
export interface RuleError {
  readonly file: string;
  readonly rule?: string;
  /** Dotted key path inside the document, e.g. `detection.selection.tool|contans`. */
  readonly key?: string;
  readonly message: string;
}

export function formatRuleError(error: RuleError): string {
  const where = [error.file, error.rule !== undefined ? `rule ${error.rule}` : undefined, error.key].filter((p) => p !== undefined && p !== '');
  return `${where.join(': ')}: ${error.message}`;
}

export type RuleParseResult =
  | { readonly ok: true; readonly rules: readonly LoadedRule[] }
  | { readonly ok: false; readonly errors: readonly RuleError[]; readonly rules: readonly LoadedRule[] };
