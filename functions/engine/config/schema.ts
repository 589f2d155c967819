/**
 * The engine config (the file users edit: watchtower.config.yaml). Global sections are typed here;
 * the `detectors` section is built from each detector's own settings schema (config/build.ts), so a
 * detector's thresholds are defined once, next to its logic.
 */
import * as z from 'zod';
import { SEVERITIES } from '../alerts/severity.js';
import { rulesConfigShape, type RuleDocumentEntry, type RulePacksConfig, type RuleSettingsConfig } from '../rules/config-schema.js';

export const SeveritySchema = z.enum(SEVERITIES);

/** Settings every detector has, whatever its own thresholds. */
export const CommonDetectorSettings = z.object({
  enabled: z.boolean().default(true).describe('Run this detector.'),
  mode: z
    .enum(['alert', 'shadow'])
    .default('alert')
    .describe('alert: publish alerts. shadow: evaluate and count findings, publish nothing (for tuning).'),
  severity: SeveritySchema.optional().describe('Force every alert of this detector to this severity.'),
  dedupSeconds: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Repeat alerts for the same incident within this many seconds are folded into one (default: alerts.dedupSeconds).'),
});
export type CommonDetectorSettings = z.output<typeof CommonDetectorSettings>;

const nonEmpty = z.string().min(1);

export const AlertsSchema = z
  .object({
    dedupSeconds: z.number().int().positive().default(3600).describe('Fold repeats of one incident within this window.'),
    stormCap: z
      .number()
      .int()
      .positive()
      .default(50)
      .describe('Most alerts per detector per hour; past it one summary alert stands for the rest.'),
    evidenceMaxBytes: z.number().int().min(256).max(65536).default(2048).describe('Evidence size bound per alert.'),
  })
  .strict();

export const AllowListsSchema = z
  .object({
    principals: z.array(nonEmpty).default([]).describe('Trusted principals (sub or clientId): their behaviour raises no alerts.'),
    cidrs: z.array(nonEmpty).default([]).describe('Trusted networks (CIDR): alerts whose client IP is inside are suppressed.'),
    tools: z.array(nonEmpty).default([]).describe('Tools permitted by policy (globs, `tool` or `server/tool`); empty = no tool policy.'),
    servers: z.array(nonEmpty).default([]).describe('MCP servers permitted by policy (globs); empty = no server policy.'),
  })
  .strict();

export const SuppressionSchema = z
  .object({
    detector: nonEmpty.optional(),
    server: nonEmpty.optional(),
    principal: nonEmpty.optional(),
    cidr: nonEmpty.optional(),
    tool: nonEmpty.optional(),
    session: nonEmpty.optional(),
    reason: nonEmpty.describe('Why this is suppressed (required: every suppression is explained).'),
    until: z.iso.datetime({ offset: true }).optional().describe('Suppression ends at this time (ISO-8601).'),
  })
  .strict();

export const ToolLabelsSchema = z
  .object({
    privateData: z.array(nonEmpty).default([]).describe('Tools that return private data (globs, `tool` or `server/tool`).'),
    publicSink: z.array(nonEmpty).default([]).describe('Tools that send data somewhere others can read it.'),
    destructive: z.array(nonEmpty).default([]).describe('Tools that delete, overwrite or execute.'),
    none: z.array(nonEmpty).default([]).describe('Tools that carry no label whatever their name or annotations say.'),
    inferFromNames: z.boolean().default(true).describe('Infer labels from tool names (read_*, send_*, delete_*, …).'),
    inferFromAnnotations: z
      .boolean()
      .default(true)
      .describe('Infer labels from MCP tool annotations (destructiveHint, openWorldHint, readOnlyHint).'),
  })
  .strict();

export const ServerExpectationSchema = z
  .object({
    authRequired: z.boolean().optional().describe('Calls must carry a token (AUTH-UNAUTHENTICATED).'),
    audiences: z.array(nonEmpty).optional().describe('Accepted token audiences: this server\'s resource URI(s).'),
    issuers: z.array(nonEmpty).optional().describe('Accepted token issuers.'),
    allowedOrigins: z.array(nonEmpty).optional().describe('Origins browsers may call from.'),
    minProtocolVersion: z.string().optional().describe('Oldest acceptable MCP protocol version (e.g. 2025-06-18).'),
  })
  .strict();

export const PolicySchema = z
  .object({
    principalTools: z
      .record(nonEmpty, z.array(nonEmpty))
      .default({})
      .describe('Per principal: the only tools it may call (globs).'),
    piiToSinks: z.boolean().default(true).describe('Flag PII (cards, national ids, bulk emails) sent to sink tools.'),
  })
  .strict();

export const ChangesSchema = z
  .object({
    allowedActors: z
      .array(nonEmpty)
      .default([])
      .describe('Actors (IAM ARNs or globs) allowed to change MCP servers: CI/CD roles.'),
  })
  .strict();

export function engineConfigShape<D extends z.ZodType>(detectors: D) {
  return {
    version: z.literal(1).default(1),
    alerts: AlertsSchema.prefault({}),
    allowLists: AllowListsSchema.prefault({}),
    suppressions: z.array(SuppressionSchema).default([]),
    toolLabels: ToolLabelsSchema.prefault({}),
    servers: z
      .record(nonEmpty, ServerExpectationSchema)
      .default({})
      .describe('Per server name (or "*" for all): what to expect.'),
    policy: PolicySchema.optional().describe('Compliance policy (CMP-POLICY is active only when this is set or allowLists.tools/servers are non-empty).'),
    changes: ChangesSchema.prefault({}),
    detectors,
    ...rulesConfigShape,
    /** Read by the CDK app (infra/), opaque to the engine. */
    deployment: z.unknown().optional(),
  };
}

export type ServerExpectation = z.output<typeof ServerExpectationSchema>;
export type Suppression = z.output<typeof SuppressionSchema>;

export interface EngineConfig {
  readonly version: 1;
  readonly alerts: z.output<typeof AlertsSchema>;
  readonly allowLists: z.output<typeof AllowListsSchema>;
  readonly suppressions: readonly Suppression[];
  readonly toolLabels: z.output<typeof ToolLabelsSchema>;
  readonly servers: Readonly<Record<string, ServerExpectation>>;
  readonly policy?: z.output<typeof PolicySchema>;
  readonly changes: z.output<typeof ChangesSchema>;
  /** Per detector id: common settings plus the detector's own (already defaulted). */
  readonly detectors: Readonly<Record<string, CommonDetectorSettings & Record<string, unknown>>>;
  /** Sigma rule files and folders (rules/config-schema.ts). */
  readonly rules: readonly string[];
  readonly ruleSettings: Readonly<Record<string, RuleSettingsConfig>>;
  readonly rulePacks: RulePacksConfig;
  readonly ruleDocuments?: readonly RuleDocumentEntry[];
  readonly deployment?: unknown;
}

/** The expectations for one server: its own entry over the "*" entry. */
export function serverExpectation(config: EngineConfig, server: string | undefined): ServerExpectation {
  const all = config.servers['*'] ?? {};
  const own = server !== undefined ? config.servers[server] : undefined;
  return own ? { ...all, ...own } : all;
}
