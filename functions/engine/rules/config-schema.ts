/**
 * The config keys for rules: `rules` (files and folders), `ruleSettings` (per rule id),
 * `rulePacks` (the project's rules/ folder and the ATR pack) and `ruleDocuments` (written by the
 * CDK app: the parsed rule files, so the Lambda handler compiles them without reading YAML).
 */
import * as z from 'zod';
import { SEVERITIES } from '../alerts/severity.js';

const nonEmpty = z.string().min(1);
const mode = z.enum(['alert', 'shadow']);

export const RuleSettingsSchema = z.strictObject({
  enabled: z.boolean().optional().describe('Run this rule (default: on, or the pack\'s default).'),
  mode: mode.optional().describe('alert: publish alerts. shadow: count findings, publish nothing.'),
  severity: z.enum(SEVERITIES).optional().describe('Force this severity on the rule\'s alerts.'),
  dedupSeconds: z.number().int().positive().optional().describe('Fold repeats of one incident within this many seconds.'),
});

export const RulePackSchema = z.strictObject({
  enabled: z.boolean().optional().describe('Load this pack.'),
  mode: mode.optional().describe('Default mode of the pack\'s rules (ruleSettings override it per rule).'),
});

export const RulePacksSchema = z.strictObject({
  project: RulePackSchema.optional().describe('The Sigma rules in the project\'s rules/ folder (loaded unless enabled: false).'),
  atr: RulePackSchema.optional().describe('The agent-threat-rules community pack.'),
});

export const RuleDocumentEntrySchema = z.strictObject({
  file: nonEmpty,
  index: z.number().int().min(0).default(0),
  doc: z.record(z.string(), z.unknown()),
  pack: nonEmpty.optional(),
  defaults: RulePackSchema.optional(),
});

export const rulesConfigShape = {
  rules: z
    .array(nonEmpty)
    .default([])
    .describe('Sigma rule files or folders (relative to this file) loaded beside the project\'s rules/ folder.'),
  ruleSettings: z
    .record(nonEmpty, RuleSettingsSchema)
    .default({})
    .describe('Per rule id: enabled, mode (alert|shadow), severity, dedupSeconds.'),
  rulePacks: RulePacksSchema.prefault({}).describe('Rule packs: project (rules/ folder), atr (agent-threat-rules).'),
  ruleDocuments: z
    .array(RuleDocumentEntrySchema)
    .optional()
    .describe('Written by the CDK app at synth time (the parsed rule files); not written by hand.'),
};

export type RuleSettingsConfig = z.output<typeof RuleSettingsSchema>;
export type RulePacksConfig = z.output<typeof RulePacksSchema>;
export type RuleDocumentEntry = z.output<typeof RuleDocumentEntrySchema>;
