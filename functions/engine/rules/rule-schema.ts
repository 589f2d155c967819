/**
 * The structure of a rule document (zod), for validation with errors by key and for the JSON
 * Schema editors use (docs/sigma-rule.schema.json). What the structure cannot say (modifiers,
 * conditions, references between rules) is checked when the rule set is compiled.
 */
import * as z from 'zod';
import { CORRELATION_TYPES, RULE_LEVELS, RULE_STATUSES, type LoadedRule, type RuleDocument, type RuleError } from './types.js';

const text = z.string().min(1);
const stringList = z.array(text);
const eventObject = z.record(z.string(), z.unknown());

export const RuleTestSchema = z
  .strictObject({
    name: text.describe('What the test shows, e.g. "benign README mentioning the phrase".'),
    match: z.boolean().describe('Whether the rule must fire.'),
    event: eventObject.optional().describe('One v1 event (`v`, `time`, `server` default when missing).'),
    events: z.array(eventObject).min(1).optional().describe('Several v1 events in order (correlations).'),
  })
  .refine((t) => (t.event === undefined) !== (t.events === undefined), { message: 'a test needs exactly one of `event` or `events`' });

const common = {
  title: text.describe('Short title: the alert title.'),
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'an id is 1-128 letters, digits, `.`, `_`, `:` or `-` (a UUID or e.g. MCP-RULE-EXFIL-URL)')
    .describe('Stable id: the alert detector, the key under ruleSettings.'),
  name: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/).optional().describe('Short name correlations may reference.'),
  status: z.enum(RULE_STATUSES).optional(),
  description: z.string().optional(),
  references: stringList.optional(),
  author: z.string().optional(),
  date: z.string().optional(),
  modified: z.string().optional(),
  tags: stringList.optional().describe('Sigma tags; `mcp.category.<auth|api|resource|config|agent|compliance>` sets the alert category, `mcp.content` keeps trusted callers from suppressing it.'),
  level: z.enum(RULE_LEVELS).optional().describe('Alert severity (informational → info). @default medium'),
  falsepositives: z.union([text, stringList]).optional(),
  fields: stringList.optional().describe('Event fields that identify the incident (the alert subject).'),
  tests: z.array(RuleTestSchema).optional().describe('Inline tests run by `mcp-watchtower rules test`.'),
};

const LogsourceSchema = z.looseObject({
  product: z.literal('mcp').optional().describe('Always `mcp`.'),
  category: z.string().optional().describe('Event kind: call, notification, tools, auth, session, change, usage, ratelimit (or mcp.call …).'),
  service: z.string().optional().describe('Only events of this server name.'),
  definition: z.string().optional(),
});

const DetectionSchema = z
  .looseObject({
    condition: z.union([text, z.array(text).min(1)]).describe('e.g. `selection and not filter`, `1 of selection_*`.'),
  })
  .describe('Search identifiers (maps of `field|modifier: value`, lists of maps, keyword lists) and the condition.');

const CorrelationConditionSchema = z.strictObject({
  gt: z.number().optional(),
  gte: z.number().optional(),
  lt: z.number().optional(),
  lte: z.number().optional(),
  eq: z.number().optional(),
  field: text.optional().describe('value_count: the field whose distinct values are counted.'),
});

const CorrelationSchema = z.strictObject({
  type: z.enum(CORRELATION_TYPES),
  rules: z.array(text).min(1).describe('Ids or names of the detection rules correlated.'),
  'group-by': stringList.optional().describe('Event fields the correlation is kept per (e.g. principal.sub).'),
  timespan: z.string().regex(/^[1-9][0-9]{0,6}[smhd]$/, 'a timespan is a number and s, m, h or d (e.g. 5m)'),
  condition: CorrelationConditionSchema.optional(),
  generate: z.boolean().optional().describe('The referenced rules also raise their own alerts. @default false'),
});

export const DetectionRuleSchema = z.looseObject({ ...common, logsource: LogsourceSchema.optional(), detection: DetectionSchema });
export const CorrelationRuleSchema = z.looseObject({ ...common, correlation: CorrelationSchema });

/** Documents whose shape (not content) is wrong: errors by key. */
export function validateRuleDocument(raw: unknown, file: string, index: number): { rule?: LoadedRule; errors: RuleError[] } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { errors: [{ file, rule: `#${index + 1}`, message: 'a rule document must be a YAML mapping' }] };
  }
  const record = raw as Record<string, unknown>;
  const label = ruleLabel(record, index);
  const isCorrelation = 'correlation' in record;
  const schema = isCorrelation ? CorrelationRuleSchema : DetectionRuleSchema;
  const parsed = schema.safeParse(record, { jitless: true });
  if (!parsed.success) {
    return {
      errors: parsed.error.issues.map((issue) => ({ file, rule: label, key: issue.path.map(String).join('.') || undefined, message: issue.message }) as RuleError),
    };
  }
  // The document as written (zod's copy would drop nothing but would reorder nothing either; keep the original).
  return { rule: { file, index, doc: record as unknown as RuleDocument }, errors: [] };
}

/** How messages name a rule: its id, else its title, else its position in the file. */
export function ruleLabel(record: Readonly<Record<string, unknown>>, index: number): string {
  if (typeof record.id === 'string' && record.id !== '') return record.id;
  if (typeof record.title === 'string' && record.title !== '') return `"${record.title}"`;
  return `#${index + 1}`;
}
