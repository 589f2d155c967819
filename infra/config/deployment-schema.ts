/**
 * The `deployment:` section of watchtower.config.yaml: everything the CDK app needs that the
 * detection engine does not (where logs come from, who gets alerts, encryption, retention).
 * Documented field by field in docs/deploy.md ("Configuration reference").
 */
import * as z from 'zod';
import { SEVERITIES } from '../../functions/engine/alerts/severity.js';

/** Retention values CloudWatch Logs accepts (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const SeverityFloor = z.enum(SEVERITIES);

// CloudWatch Logs group names: 1-512 chars of [.-_/#A-Za-z0-9].
const LogGroupName = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[.\-_/#A-Za-z0-9]+$/, 'log group names use only letters, digits and . - _ / #');

const Arn = (service: string) =>
  z
    .string()
    .regex(new RegExp(`^arn:aws[a-z-]*:${service}:[a-z0-9-]+:\\d{12}:\\S+$`), `expected an ${service} ARN`);

const ServerName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._-]+$/, 'server names use only letters, digits and . _ - (they become alarm names)');

const SourcesSchema = z
  .object({
    logGroups: z.array(LogGroupName).default([]).describe('Log groups subscribed by name.'),
    logGroupPrefixes: z
      .array(LogGroupName)
      .default([])
      .describe('Log group name prefixes; switches to one account-level subscription filter policy.'),
  })
  .strict()
  .refine((s) => s.logGroups.length + s.logGroupPrefixes.length > 0, {
    message: 'give at least one log group or log group prefix',
  });

const DirectIngestionSchema = z.object({ mode: z.literal('direct') }).strict();

const KinesisIngestionSchema = z
  .object({
    mode: z.literal('kinesis'),
    shardCount: z
      .number()
      .int()
      .min(1)
      .max(500)
      .optional()
      .describe('Provisioned shards; omit for on-demand.'),
    batchSize: z.number().int().min(1).max(10_000).default(1000),
    parallelizationFactor: z.number().int().min(1).max(10).default(2),
    maxBatchingWindowSeconds: z.number().int().min(0).max(300).default(1),
    retentionHours: z.number().int().min(24).max(8760).default(24),
  })
  .strict();

const EmailSubscriber = z.object({ address: z.email(), minSeverity: SeverityFloor.optional() }).strict();
const HttpsSubscriber = z
  .object({
    url: z.url({ protocol: /^https$/, error: 'HTTPS endpoints must use https://' }),
    minSeverity: SeverityFloor.optional(),
  })
  .strict();
const SqsSubscriber = z.object({ queueArn: Arn('sqs'), minSeverity: SeverityFloor.optional() }).strict();
const LambdaSubscriber = z
  .object({ functionArn: Arn('lambda'), minSeverity: SeverityFloor.optional() })
  .strict();

const AlertsSchema = z
  .object({
    emails: z.array(EmailSubscriber).default([]),
    httpsEndpoints: z.array(HttpsSubscriber).default([]),
    sqsQueues: z.array(SqsSubscriber).default([]),
    lambdaFunctions: z.array(LambdaSubscriber).default([]),
  })
  .strict();

const EncryptionSchema = z
  .object({ kmsKeyArn: Arn('kms').optional().describe('Customer managed key for every data store.') })
  .strict();

const MonitoredResourcesSchema = z
  .object({
    lambdaFunctionNames: z.array(z.string().min(1).max(140)).default([]),
    ecsClusterNames: z.array(z.string().min(1).max(255)).default([]),
    ecsTaskDefinitionFamilies: z.array(z.string().min(1).max(255)).default([]),
    iamRoleNames: z.array(z.string().min(1).max(64)).default([]),
    ssmParameterPrefixes: z.array(z.string().min(1).max(2048)).default([]),
    agentCoreGatewayIds: z.array(z.string().min(1).max(256)).default([]),
  })
  .strict();

const AlarmsSchema = z
  .object({
    anomalyStdDevs: z.number().positive().max(10).default(3),
    periodMinutes: z.union([z.literal(1), z.literal(5), z.literal(15), z.literal(60)]).default(5),
  })
  .strict();

const SecretName = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[A-Za-z0-9/_+=.@-]+$/, 'a Secrets Manager secret name (letters, digits and /_+=.@-)');

/** Where alerts go besides the topic (docs/deploy.md, one section per destination). */
const IntegrationsSchema = z
  .object({
    securityHub: z
      .object({ enabled: z.boolean().default(false).describe('Import findings (ASFF) into Security Hub, default product.') })
      .strict()
      .default({ enabled: false }),
    chat: z
      .object({ enabled: z.boolean().default(false).describe('A chat topic with Amazon Q Developer custom notifications.') })
      .strict()
      .default({ enabled: false }),
    pagerDuty: z
      .object({
        routingKeySecretName: SecretName.optional().describe('Secrets Manager secret holding the Events v2 routing key; set to enable.'),
        minSeverity: SeverityFloor.default('high').describe('Lowest severity sent to PagerDuty.'),
      })
      .strict()
      .default({ minSeverity: 'high' }),
  })
  .strict();

const EnvSchema = z
  .object({
    account: z.string().regex(/^\d{12}$/, 'account is 12 digits'),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'region like us-east-1'),
  })
  .strict();

export const DeploymentSchema = z
  .object({
    stackName: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9-]{0,99}$/, 'stack names start with a letter; letters, digits, hyphens')
      .default('McpWatchtower'),
    env: EnvSchema.optional().describe('Pin account and region; omit for an environment-agnostic stack.'),
    sources: SourcesSchema,
    ingestion: z
      .discriminatedUnion('mode', [DirectIngestionSchema, KinesisIngestionSchema])
      .default({ mode: 'direct' }),
    alerts: AlertsSchema.default({ emails: [], httpsEndpoints: [], sqsQueues: [], lambdaFunctions: [] }),
    encryption: EncryptionSchema.default({}),
    logRetentionDays: z
      .number()
      .int()
      .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
        message: `logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
      })
      .default(30),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
    removalPolicy: z.enum(['retain', 'destroy']).default('retain'),
    ingestMemoryMb: z.number().int().min(128).max(10_240).default(1024),
    ingestReservedConcurrency: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .nullable()
      .default(20)
      .describe(
        'Concurrency reserved for (and capping) the ingest function, so a log flood cannot starve the account; null reserves none. Kinesis mode: at least shards × parallelizationFactor.',
      ),
    monitoredResources: MonitoredResourcesSchema.default({
      lambdaFunctionNames: [],
      ecsClusterNames: [],
      ecsTaskDefinitionFamilies: [],
      iamRoleNames: [],
      ssmParameterPrefixes: [],
      agentCoreGatewayIds: [],
    }),
    servers: z.array(ServerName).default([]),
    alarms: AlarmsSchema.default({ anomalyStdDevs: 3, periodMinutes: 5 }),
    integrations: IntegrationsSchema.default({ securityHub: { enabled: false }, chat: { enabled: false }, pagerDuty: { minSeverity: 'high' } }),
  })
  .strict();

type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** The validated `deployment:` section, defaults applied. */
export type DeploymentConfig = DeepReadonly<z.output<typeof DeploymentSchema>>;
export type DeploymentInput = z.input<typeof DeploymentSchema>;
export type SeverityFloor = z.output<typeof SeverityFloor>;
export type KinesisIngestionConfig = DeepReadonly<z.output<typeof KinesisIngestionSchema>>;
