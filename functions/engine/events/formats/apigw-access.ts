/**
 * `apigw-access`: Amazon API Gateway access logs in JSON (REST and HTTP APIs), for MCP servers
 * behind API Gateway. The access log knows the HTTP exchange, not the MCP message: 401 → mcp.auth
 * failure and 403 → mcp.auth denied (token presence unknown, so `principal.tokenPresent` is
 * omitted), 429 → mcp.ratelimit, any other request → an `mcp.call` with the HTTP facts and the
 * latency but no `rpc.method` (unknown). CORS preflights (OPTIONS) carry no event.
 * docs/log-format.md lists every field read.
 */
import { asHttpStatus, asNumber, asObject, asString, type JsonObject } from '../fields.js';
import type { ConvertResult, LineContext } from '../line-context.js';
import { isJsonObjectValue, type SourceFormatModule } from './format.js';
import { parseClfTime, timeOf, type EventTime } from '../time.js';

/**
 * Recogniser: a `requestId` with a status, HTTP method or route key — and not a logger line (a
 * `level` and a `message`: Lambda's JSON log format also has a requestId).
 */
export function isApiGatewayAccessObject(obj: JsonObject): boolean {
  return (
    obj.requestId !== undefined &&
    (obj.status !== undefined || obj.httpMethod !== undefined || obj.routeKey !== undefined) &&
    (obj.level === undefined || obj.message === undefined)
  );
}

/** API Gateway writes `-` for values it does not have. */
function field(value: unknown, max?: number): string | undefined {
  const s = asString(value, max);
  return s === '-' ? undefined : s;
}

function timeOfAccessLog(obj: JsonObject): EventTime | undefined {
  const epoch = asNumber(obj.requestTimeEpoch);
  if (epoch !== undefined) return timeOf(epoch);
  const requestTime = field(obj.requestTime);
  return requestTime !== undefined ? (parseClfTime(requestTime) ?? timeOf(requestTime)) : undefined;
}

export function convertApiGatewayAccess(obj: JsonObject, ctx: LineContext): ConvertResult {
  const status = asHttpStatus(obj.status);
  if (status === undefined) return 'API Gateway access log without a status';
  const routeKey = field(obj.routeKey);
  const space = routeKey !== undefined ? routeKey.indexOf(' ') : -1;
  const httpMethod = field(obj.httpMethod) ?? (space > 0 ? routeKey?.slice(0, space) : undefined);
  if (httpMethod === 'OPTIONS') return undefined;
  const time = timeOfAccessLog(obj) ?? ctx.fallbackTime();
  if (!time) return 'API Gateway access log without a time';

  const kind = status === 401 || status === 403 ? 'mcp.auth' : status === 429 ? 'mcp.ratelimit' : 'mcp.call';
  const event: JsonObject = { v: 1, event: kind, time: time.iso };
  const serverName = ctx.defaultServerName() ?? field(obj.apiId);
  if (serverName !== undefined) event.server = { name: serverName };
  const identity = asObject(obj.identity);
  const client: JsonObject = {};
  const ip = field(obj.ip) ?? field(obj.sourceIp) ?? field(identity?.sourceIp);
  if (ip !== undefined) client.ip = ip;
  const userAgent = field(obj.userAgent) ?? field(identity?.userAgent);
  if (userAgent !== undefined) client.userAgent = userAgent;
  if (ip !== undefined || userAgent !== undefined) event.client = client;
  const principalId = field(obj.principalId) ?? field(asObject(obj.authorizer)?.principalId);
  if (principalId !== undefined) event.principal = { sub: principalId };
  const http: JsonObject = {};
  if (httpMethod !== undefined) http.method = httpMethod;
  const path =
    field(obj.path, 2048) ??
    field(obj.resourcePath, 2048) ??
    (space > 0 ? routeKey?.slice(space + 1) : undefined);
  if (path !== undefined) http.path = path;
  http.status = status;
  const host = field(obj.domainName);
  if (host !== undefined) http.host = host;
  event.http = http;
  const latency = asNumber(obj.responseLatency) ?? asNumber(obj.integrationLatency) ?? asNumber(obj.latency);
  if (latency !== undefined && latency >= 0) event.durationMs = latency;
  if (kind === 'mcp.auth') {
    const reason = field(obj.errorMessage, 256) ?? field(obj.authorizerError, 256) ?? `http_${status}`;
    event.auth = { outcome: status === 401 ? 'failure' : 'denied', reason };
  }
  // Kept (an unknown field) so an alert leads back to the API Gateway request.
  const requestId = field(obj.requestId);
  if (requestId !== undefined) event.requestId = requestId;
  ctx.emit(event, time.ts);
  return undefined;
}

export const apigwAccessFormat: SourceFormatModule = {
  name: 'apigw-access',
  detect: (value) => isJsonObjectValue(value) && isApiGatewayAccessObject(value),
  normalize: (value, ctx) => convertApiGatewayAccess(value as JsonObject, ctx),
};
