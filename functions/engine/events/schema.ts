/**
 * The canonical MCP security event, v1 (see docs/log-format.md). This zod schema is the contract:
 * normalizers produce it, detectors read it, and `docs/mcp-event.schema.json` is generated from it.
 * Objects are loose: unknown fields are kept and passed to detectors untouched.
 */
import * as z from 'zod';

export const EVENT_KINDS = [
  'mcp.call',
  'mcp.notification',
  'mcp.tools',
  'mcp.auth',
  'mcp.session',
  'mcp.change',
  'mcp.usage',
  'mcp.ratelimit',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

const ServerSchema = z.looseObject({
  name: z.string().optional(),
  version: z.string().optional(),
  instance: z.string().optional(),
});

const ClientSchema = z.looseObject({
  name: z.string().optional(),
  version: z.string().optional(),
  ip: z.string().optional(),
  userAgent: z.string().optional(),
});

const PrincipalSchema = z.looseObject({
  sub: z.string().optional(),
  clientId: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  tokenPresent: z.boolean().optional(),
  /** First 16 hex chars of the token's SHA-256; never the token itself. */
  tokenFp: z.string().optional(),
  iss: z.string().optional(),
  aud: z.union([z.string(), z.array(z.string())]).optional(),
});

const HttpSchema = z.looseObject({
  method: z.string().optional(),
  path: z.string().optional(),
  status: z.number().int().optional(),
  origin: z.string().optional(),
  host: z.string().optional(),
});

const RpcSchema = z.looseObject({
  id: z.union([z.string(), z.number(), z.null()]).optional(),
  method: z.string().optional(),
  /** Set when a normalizer derived `method` from a response's shape (its request was not seen). */
  inferred: z.boolean().optional(),
});

const ResultSchema = z.looseObject({
  isError: z.boolean().optional(),
  text: z.string().optional(),
  bytes: z.number().nonnegative().optional(),
  /** `text` is a prefix of the result's text (cut at the producer's size limit). */
  truncated: z.boolean().optional(),
  /** Multi round-trip results (`input_required`) pass these through for AGT-ELICITATION-FLOOD. */
  resultType: z.string().optional(),
  inputRequests: z.unknown().optional(),
});

const ErrorSchema = z.looseObject({
  code: z.number().optional(),
  message: z.string().optional(),
});

export const ToolDefinitionSchema = z.looseObject({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: z.unknown().optional(),
  outputSchema: z.unknown().optional(),
  annotations: z.record(z.string(), z.unknown()).optional(),
});

const AuthSchema = z.looseObject({
  /** `success`, `failure` (authentication failed) or `denied` (authenticated but not authorized). */
  outcome: z.string(),
  reason: z.string().optional(),
});

const PolicySchema = z.looseObject({
  /** `allow` or `deny`. */
  decision: z.string(),
  rule: z.string().optional(),
});

const ChangeSchema = z.looseObject({
  target: z.string().optional(),
  key: z.string().optional(),
  actor: z.string().optional(),
  action: z.string().optional(),
  resource: z.string().optional(),
  source: z.string().optional(),
});

const UsageSchema = z.looseObject({
  cpuPct: z.number().optional(),
  memUsedMb: z.number().optional(),
  memLimitMb: z.number().optional(),
  diskPct: z.number().optional(),
  netOutBytes: z.number().optional(),
});

export const McpEventSchema = z.looseObject({
  v: z.literal(1),
  event: z.enum(EVENT_KINDS),
  /** When it happened, ISO-8601. */
  time: z.iso.datetime({ offset: true }),
  server: ServerSchema.optional(),
  transport: z.string().optional(),
  protocolVersion: z.string().optional(),
  session: z.string().optional(),
  trace: z.string().optional(),
  client: ClientSchema.optional(),
  principal: PrincipalSchema.optional(),
  http: HttpSchema.optional(),
  rpc: RpcSchema.optional(),
  tool: z.string().optional(),
  uri: z.string().optional(),
  arguments: z.unknown().optional(),
  result: ResultSchema.optional(),
  error: ErrorSchema.optional(),
  durationMs: z.number().nonnegative().optional(),
  tools: z.array(ToolDefinitionSchema).optional(),
  /** `mcp.tools`: the request's `params.cursor` (this listing is a later page). */
  cursor: z.string().optional(),
  /** `mcp.tools`: the result's `nextCursor` (more pages follow). */
  nextCursor: z.string().optional(),
  /** `mcp.tools`: the listing is one page, not the whole tool set (set by the instrumentation). */
  partial: z.boolean().optional(),
  /** `mcp.call`: the request was cancelled with `notifications/cancelled` before it was answered. */
  cancelled: z.boolean().optional(),
  /** Who sent the request when not client→server, e.g. `server-to-client` (sampling, elicitation). */
  direction: z.string().optional(),
  auth: AuthSchema.optional(),
  policy: PolicySchema.optional(),
  change: ChangeSchema.optional(),
  usage: UsageSchema.optional(),
});

export type McpEvent = z.infer<typeof McpEventSchema>;
export type ToolDefinition = z.infer<typeof ToolDefinitionSchema>;
export type Principal = z.infer<typeof PrincipalSchema>;
