/**
 * `agentgateway`: the request log of agentgateway (https://agentgateway.dev) in JSON format, one
 * record per HTTP request, OTel-aligned dotted keys — flat (`"mcp.method.name":"tools/call"`, as
 * agentgateway writes them) or nested (`{"mcp":{"method":{"name":...}}}`, as OTel exporters may).
 * Both the current names (`mcp.method.name`, `mcp.resource.type`, `gen_ai.tool.name`) and the
 * earlier ones (`mcp.method`, `mcp.resource`, `mcp.resource.name`) are read.
 *
 * 401 → mcp.auth failure, 403 → mcp.auth denied, 429 → mcp.ratelimit, an MCP method → mcp.call
 * (mcp.session for initialize), DELETE of a session → mcp.session, another 5xx → mcp.call with the
 * HTTP status; other requests without an MCP method (SSE GETs, LLM routes) carry no event.
 * docs/log-format.md lists every field read.
 */
import { sha256Hex16 } from '../../text/tool-definition.js';
import {
  asHttpStatus,
  asNumber,
  asObject,
  asString,
  MAX_MESSAGE_CHARS,
  stripPort,
  type JsonObject,
} from '../fields.js';
import type { ConvertResult, LineContext } from '../line-context.js';
import { isJsonObjectValue, type SourceFormatModule } from './format.js';
import { parseDurationMs, timeOf } from '../time.js';

/** A dotted key, read flat (`obj["a.b"]`) or nested (`obj.a.b`). */
interface Key {
  readonly flat: string;
  readonly path: readonly string[];
}

function key(flat: string): Key {
  return { flat, path: flat.split('.') };
}

function pick(obj: JsonObject, k: Key): unknown {
  const flat = obj[k.flat];
  if (flat !== undefined || k.path.length === 1) return flat;
  let node: unknown = obj;
  for (const part of k.path) {
    const o = asObject(node);
    if (!o) return undefined;
    node = o[part];
  }
  return node;
}

const K = {
  methodName: key('mcp.method.name'),
  methodOld: key('mcp.method'),
  toolName: key('gen_ai.tool.name'),
  promptName: key('gen_ai.prompt.name'),
  resourceType: key('mcp.resource.type'),
  resourceOld: key('mcp.resource'),
  resourceName: key('mcp.resource.name'),
  resourceUri: key('mcp.resource.uri'),
  target: key('mcp.target'),
  session: key('mcp.session.id'),
  protocolVersion: key('mcp.protocol.version'),
  requestId: key('jsonrpc.request.id'),
  httpStatus: key('http.status'),
  httpMethod: key('http.method'),
  httpPath: key('http.path'),
  httpHost: key('http.host'),
  srcAddr: key('src.addr'),
  clientAddress: key('client.address'),
  userAgent: key('user_agent.original'),
  jwtSub: key('jwt.sub'),
  userId: key('user.id'),
  traceId: key('trace.id'),
  headers: key('rq.headers.all'),
  durationMs: key('duration_ms'),
} as const;

/** Recogniser: an MCP method, a tool name or an HTTP status under agentgateway's keys. */
export function isAgentgatewayObject(obj: JsonObject): boolean {
  if (
    obj['mcp.method.name'] !== undefined ||
    obj['mcp.method'] !== undefined ||
    obj['gen_ai.tool.name'] !== undefined ||
    obj['http.status'] !== undefined
  ) {
    return true;
  }
  const mcp = asObject(obj.mcp);
  if (mcp) return mcp.method !== undefined || mcp.session !== undefined || mcp.target !== undefined;
  const http = asObject(obj.http);
  return (
    http !== undefined &&
    http.status !== undefined &&
    (asObject(obj.src) !== undefined || obj.scope === 'request')
  );
}

/** Principal facts: the JWT subject, and the bearer token's presence and fingerprint when headers were logged. */
function principalOf(obj: JsonObject, headers: JsonObject | undefined): JsonObject | undefined {
  const principal: JsonObject = {};
  const sub = asString(pick(obj, K.jwtSub)) ?? asString(pick(obj, K.userId));
  if (sub !== undefined) {
    principal.sub = sub;
    // A verified JWT subject means a token was presented.
    principal.tokenPresent = true;
  }
  const authorization = asString(headers?.authorization, 16_384);
  if (authorization !== undefined) {
    principal.tokenPresent = true;
    const token =
      authorization.startsWith('Bearer ') || authorization.startsWith('bearer ')
        ? authorization.slice(7).trim()
        : authorization;
    if (token.length > 0) principal.tokenFp = sha256Hex16(token);
  }
  return sub !== undefined || authorization !== undefined ? principal : undefined;
}

function clientOf(obj: JsonObject, headers: JsonObject | undefined): JsonObject | undefined {
  const client: JsonObject = {};
  const address = asString(pick(obj, K.clientAddress)) ?? asString(pick(obj, K.srcAddr));
  if (address !== undefined) client.ip = stripPort(address);
  const userAgent = asString(pick(obj, K.userAgent)) ?? asString(headers?.['user-agent']);
  if (userAgent !== undefined) client.userAgent = userAgent;
  return address !== undefined || userAgent !== undefined ? client : undefined;
}

function httpOf(
  obj: JsonObject,
  status: number | undefined,
  headers: JsonObject | undefined,
): JsonObject | undefined {
  const http: JsonObject = {};
  const method = asString(pick(obj, K.httpMethod));
  if (method !== undefined) http.method = method;
  const path = asString(pick(obj, K.httpPath), 2048);
  if (path !== undefined) http.path = path;
  if (status !== undefined) http.status = status;
  const origin = asString(headers?.origin);
  if (origin !== undefined) http.origin = origin;
  const host = asString(pick(obj, K.httpHost));
  if (host !== undefined) http.host = host;
  return method !== undefined || path !== undefined || status !== undefined || host !== undefined
    ? http
    : undefined;
}

export function convertAgentgateway(obj: JsonObject, ctx: LineContext): ConvertResult {
  const status = asHttpStatus(pick(obj, K.httpStatus));
  const method = asString(pick(obj, K.methodName)) ?? asString(pick(obj, K.methodOld));
  const headers = asObject(pick(obj, K.headers));
  const session = asString(pick(obj, K.session)) ?? asString(headers?.['mcp-session-id']);
  const httpMethod = asString(pick(obj, K.httpMethod));

  let kind: string;
  if (status === 401 || status === 403) kind = 'mcp.auth';
  else if (status === 429) kind = 'mcp.ratelimit';
  else if (method === 'initialize') kind = 'mcp.session';
  else if (method !== undefined) kind = 'mcp.call';
  else if (httpMethod === 'DELETE' && session !== undefined) kind = 'mcp.session';
  else if (status !== undefined && status >= 500) kind = 'mcp.call';
  else return undefined; // SSE streams, LLM routes, health checks: nothing to detect on.

  const time = timeOf(obj.time) ?? timeOf(obj.timestamp) ?? ctx.fallbackTime();
  if (!time) return 'agentgateway record without a time';
  const event: JsonObject = { v: 1, event: kind, time: time.iso };
  const serverName = asString(pick(obj, K.target)) ?? ctx.defaultServerName();
  if (serverName !== undefined) event.server = { name: serverName };
  const protocolVersion =
    asString(pick(obj, K.protocolVersion)) ?? asString(headers?.['mcp-protocol-version']);
  if (protocolVersion !== undefined) event.protocolVersion = protocolVersion;
  if (session !== undefined) event.session = session;
  const trace = asString(pick(obj, K.traceId));
  if (trace !== undefined) event.trace = trace;
  const client = clientOf(obj, headers);
  if (client) event.client = client;
  const principal = principalOf(obj, headers);
  if (principal) event.principal = principal;
  const http = httpOf(obj, status, headers);
  if (http) event.http = http;

  if (method !== undefined) {
    const rpc: JsonObject = { method };
    const requestId = pick(obj, K.requestId);
    if (typeof requestId === 'string' || (typeof requestId === 'number' && Number.isFinite(requestId)))
      rpc.id = requestId;
    event.rpc = rpc;
  } else if (kind === 'mcp.session') event.rpc = { method: 'DELETE' };
  const oldResource = pick(obj, K.resourceOld);
  const resourceType = asString(pick(obj, K.resourceType)) ?? asString(oldResource);
  const resourceName = asString(pick(obj, K.resourceName));
  const tool =
    asString(pick(obj, K.toolName)) ??
    asString(pick(obj, K.promptName)) ??
    (resourceType === 'tool' || resourceType === 'prompt' ? resourceName : undefined);
  if (tool !== undefined) event.tool = tool;
  const uri =
    asString(pick(obj, K.resourceUri), 4096) ?? (resourceType === 'resource' ? resourceName : undefined);
  if (uri !== undefined) event.uri = uri;

  const durationMs = parseDurationMs(obj.duration) ?? parseDurationMs(asNumber(pick(obj, K.durationMs)));
  if (durationMs !== undefined) event.durationMs = durationMs;
  const error =
    asString(obj.error, MAX_MESSAGE_CHARS) ?? asString(asObject(obj.error)?.message, MAX_MESSAGE_CHARS);
  if (kind === 'mcp.auth') {
    event.auth = {
      outcome: status === 401 ? 'failure' : 'denied',
      reason: error ?? asString(obj.reason) ?? `http_${status}`,
    };
  } else if (error !== undefined) event.error = { message: error };
  ctx.emit(event, time.ts);
  return undefined;
}

export const agentgatewayFormat: SourceFormatModule = {
  name: 'agentgateway',
  detect: (value) => isJsonObjectValue(value) && isAgentgatewayObject(value),
  normalize: (value, ctx) => convertAgentgateway(value as JsonObject, ctx),
};
