/**
 * `otlp`: OpenTelemetry data as the OTel Collector's file exporter writes it (OTLP/JSON, one
 * `ExportTraceServiceRequest` / `ExportLogsServiceRequest` per line: `{"resourceSpans":[…]}`,
 * `{"resourceLogs":[…]}`), mapped through the OpenTelemetry semantic conventions for MCP
 * (docs/gen-ai/mcp.md, model/mcp/*.yaml in open-telemetry/semantic-conventions; docs/log-format.md
 * lists every attribute read).
 *
 * - A span with `mcp.method.name` is one MCP exchange: `mcp.call` (`mcp.session` for initialize,
 *   `mcp.notification` for notifications/*), timed by its start, `durationMs` = end − start.
 *   Spans without `mcp.method.name` (HTTP, database, LLM spans of the same trace) carry no event.
 * - A log record with `mcp.method.name` maps the same way (no duration); otherwise its body, when
 *   it is JSON (a string or a kvlist), is read as one of the other formats (a server's stderr
 *   JSON-RPC or canonical lines collected by the filelog receiver), timed by the record.
 * - `resourceMetrics` lines are recognised and carry no event.
 *
 * One bad span or log record (not an object, no usable start time) is skipped and counted
 * (`itemsSkipped`); the rest of the line is read.
 */
import {
  asHttpStatus,
  asNumber,
  asObject,
  asString,
  MAX_MESSAGE_CHARS,
  stripPort,
  type JsonObject,
} from '../fields.js';
import { DERIVED_SESSION_PREFIX, type ConvertResult, type LineContext } from '../line-context.js';
import { decodeAnyValue, decodeAttributes, nanosToMs, unixNanos, type Attributes } from '../otlp-values.js';
import { errorFoldedIntoToolResult, summarizeResult } from '../rpc-result.js';
import { timeFromEpochMs, type EventTime } from '../time.js';
import { isJsonObjectValue, type SourceFormatModule } from './format.js';

/** Spans plus log records read from one line; the rest are skipped and counted. */
export const MAX_ITEMS_PER_LINE = 50_000;
/** Longest JSON text parsed out of an attribute (`gen_ai.tool.call.arguments` / `.result`). */
const MAX_EMBEDDED_JSON_CHARS = 1024 * 1024;
const MAX_URI_CHARS = 4096;

/** OTLP span kinds (opentelemetry-proto trace.proto), as integers or their enum names. */
const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;
/** Status code ERROR. */
const STATUS_ERROR = 2;

/** Requests the server sends to the client: their server-side span is a CLIENT span. */
const SERVER_TO_CLIENT_METHODS = new Set(['sampling/createMessage', 'elicitation/create', 'roots/list']);

function spanKind(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value === 'SPAN_KIND_SERVER') return SPAN_KIND_SERVER;
  if (value === 'SPAN_KIND_CLIENT') return SPAN_KIND_CLIENT;
  return undefined;
}

function text(attrs: Attributes, key: string, max?: number): string | undefined {
  return asString(attrs.get(key), max);
}

/** A JSON-RPC request id: OTel records it as a string; kept as logged. */
function requestId(attrs: Attributes): string | number | undefined {
  for (const key of ['jsonrpc.request.id', 'mcp.request.id', 'rpc.jsonrpc.request_id']) {
    const value = attrs.get(key);
    if (typeof value === 'string' && value.length > 0) return value.slice(0, 512);
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return undefined;
}

/** A value that may carry JSON text (an attribute of type `any` recorded as a string). */
function embeddedJson(value: unknown): unknown {
  if (typeof value !== 'string' || value.length > MAX_EMBEDDED_JSON_CHARS) return value;
  const c = value.charCodeAt(0);
  if (c !== 123 /* { */ && c !== 91 /* [ */) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** `gen_ai.tool.call.arguments`, else the older per-key `mcp.request.argument.<key>` attributes. */
function argumentsOf(attrs: Attributes): unknown {
  const value = attrs.get('gen_ai.tool.call.arguments');
  if (value !== undefined) return embeddedJson(value);
  let out: JsonObject | undefined;
  for (const [key, v] of attrs) {
    if (!key.startsWith('mcp.request.argument.')) continue;
    const name = key.slice('mcp.request.argument.'.length);
    if (name.length === 0 || name === '__proto__') continue;
    (out ??= {})[name] = v;
  }
  return out;
}

/** `gen_ai.tool.call.result`: an MCP result object (JSON text or kvlist), or bare text. */
function resultOf(attrs: Attributes): { summary?: JsonObject; raw?: unknown } {
  const value = attrs.get('gen_ai.tool.call.result');
  if (value === undefined) return {};
  const raw = embeddedJson(value);
  const summary = summarizeResult(raw);
  if (summary) return { summary: summary as JsonObject, raw };
  // Text, or a JSON value that is not an MCP result: summarised as one text block.
  const asText = typeof raw === 'string' ? raw : JSON.stringify(raw);
  const textSummary = summarizeResult({ content: [{ type: 'text', text: asText }] });
  if (textSummary) delete textSummary.isError;
  return textSummary ? { summary: textSummary as JsonObject, raw } : {};
}

function errorOf(attrs: Attributes, status: JsonObject | undefined, raw: unknown): JsonObject | undefined {
  const errorType = text(attrs, 'error.type', 256);
  const failed = errorType !== undefined || spanKindStatus(status) === STATUS_ERROR;
  if (!failed) return undefined;
  if (errorType === 'tool_error') {
    // A tool result with isError: the JSON-RPC call itself succeeded (log-format.md: the result tells).
    return errorFoldedIntoToolResult(raw);
  }
  const error: JsonObject = {};
  const code = asNumber(attrs.get('rpc.response.status_code')) ?? asNumber(errorType);
  if (code !== undefined && Number.isInteger(code)) error.code = code;
  const message = asString(status?.message, MAX_MESSAGE_CHARS) ?? errorType;
  if (message !== undefined) error.message = message;
  return error;
}

function spanKindStatus(status: JsonObject | undefined): number | undefined {
  const code = status?.code;
  if (code === 'STATUS_CODE_ERROR') return STATUS_ERROR;
  return typeof code === 'number' ? code : undefined;
}

function transportOf(attrs: Attributes): string | undefined {
  const transport = text(attrs, 'network.transport');
  if (transport === 'pipe') return 'stdio';
  const protocol = text(attrs, 'network.protocol.name');
  if ((transport === 'tcp' || transport === 'quic') && (protocol === undefined || protocol === 'http'))
    return 'streamable-http';
  return undefined;
}

/** Who reported the item: true when it is the MCP server (a SERVER span of a client request, a CLIENT span of a server request). */
function reportedByServer(kind: number | undefined, method: string): boolean {
  const serverInitiated = SERVER_TO_CLIENT_METHODS.has(method);
  if (kind === SPAN_KIND_SERVER) return !serverInitiated;
  if (kind === SPAN_KIND_CLIENT) return serverInitiated;
  // INTERNAL or unset: gateways and server SDKs; logs.
  return true;
}

interface Item {
  readonly attrs: Attributes;
  readonly resource: Attributes;
  readonly method: string;
  readonly time: EventTime;
  readonly kind: number | undefined;
  readonly durationMs?: number;
  readonly traceId?: string;
  readonly status?: JsonObject;
}

/** One MCP span or log record → one canonical event. */
function mcpEvent(item: Item, ctx: LineContext): JsonObject {
  const { attrs, resource, method } = item;
  const kind =
    method === 'initialize'
      ? 'mcp.session'
      : method.startsWith('notifications/')
        ? 'mcp.notification'
        : 'mcp.call';
  const event: JsonObject = { v: 1, event: kind, time: item.time.iso };
  const byServer = reportedByServer(item.kind, method);
  const serviceName = text(resource, 'service.name');
  const server: JsonObject = {};
  const serverName = byServer
    ? (serviceName ?? ctx.defaultServerName())
    : (text(attrs, 'server.address') ?? ctx.defaultServerName());
  if (serverName !== undefined) server.name = serverName;
  if (byServer) {
    const version = text(resource, 'service.version');
    if (version !== undefined) server.version = version;
    const instance = text(resource, 'service.instance.id');
    if (instance !== undefined) server.instance = instance;
  }
  if (Object.keys(server).length > 0) event.server = server;
  const transport = transportOf(attrs);
  if (transport !== undefined) event.transport = transport;
  const protocolVersion = text(attrs, 'mcp.protocol.version');
  if (protocolVersion !== undefined) event.protocolVersion = protocolVersion;
  // stdio has no MCP session: one server process is one connection, so the process is the session.
  const session =
    text(attrs, 'mcp.session.id') ?? (transport === 'stdio' ? processSession(resource) : undefined);
  if (session !== undefined) event.session = session;
  if (item.traceId !== undefined) event.trace = item.traceId;

  const client: JsonObject = {};
  if (!byServer) {
    if (serviceName !== undefined) client.name = serviceName;
    const version = text(resource, 'service.version');
    if (version !== undefined) client.version = version;
  }
  const address =
    text(attrs, 'client.address') ?? (byServer ? text(attrs, 'network.peer.address') : undefined);
  if (address !== undefined) client.ip = stripPort(address);
  const userAgent = text(attrs, 'user_agent.original');
  if (userAgent !== undefined) client.userAgent = userAgent;
  if (Object.keys(client).length > 0) event.client = client;

  const sub =
    text(attrs, 'user.id') ??
    text(attrs, 'enduser.id') ??
    text(resource, 'user.id') ??
    text(resource, 'enduser.id');
  if (sub !== undefined) event.principal = { sub };

  const http: JsonObject = {};
  const httpMethod = text(attrs, 'http.request.method');
  if (httpMethod !== undefined) http.method = httpMethod;
  const path = text(attrs, 'url.path', 2048);
  if (path !== undefined) http.path = path;
  const httpStatus = asHttpStatus(attrs.get('http.response.status_code'));
  if (httpStatus !== undefined) http.status = httpStatus;
  if (Object.keys(http).length > 0) event.http = http;

  const rpc: JsonObject = { method };
  const id = requestId(attrs);
  if (id !== undefined) rpc.id = id;
  event.rpc = rpc;
  if (SERVER_TO_CLIENT_METHODS.has(method)) event.direction = 'server-to-client';
  const tool =
    text(attrs, 'gen_ai.tool.name') ??
    text(attrs, 'gen_ai.prompt.name') ??
    text(attrs, 'mcp.tool.name') ??
    text(attrs, 'mcp.prompt.name') ??
    text(attrs, 'mcp.request.name');
  if (tool !== undefined) event.tool = tool;
  const uri = text(attrs, 'mcp.resource.uri', MAX_URI_CHARS);
  if (uri !== undefined) event.uri = uri;
  const args = argumentsOf(attrs);
  if (args !== undefined) event.arguments = args;
  const result = resultOf(attrs);
  if (result.summary) event.result = result.summary;
  const error = errorOf(attrs, item.status, result.raw);
  if (error) event.error = error;
  if (item.durationMs !== undefined) event.durationMs = item.durationMs;
  return event;
}

/**
 * A derived session for one process, from its resource: `derived:otel:<service.name>/<instance>`
 * where the instance is `service.instance.id`, else `host.name` and `process.pid`; `undefined`
 * when the resource does not single out a process.
 */
export function processSession(resource: Attributes): string | undefined {
  const service = text(resource, 'service.name') ?? '';
  const instance = text(resource, 'service.instance.id');
  const pid = resource.get('process.pid');
  const process =
    instance ??
    (typeof pid === 'number' || typeof pid === 'string'
      ? `${text(resource, 'host.name') ?? ''}:${pid}`
      : undefined);
  return process !== undefined ? asString(`${DERIVED_SESSION_PREFIX}otel:${service}/${process}`) : undefined;
}

function traceIdOf(value: unknown): string | undefined {
  const id = asString(value, 64);
  // An all-zero trace id is "no trace".
  return id !== undefined && !/^0+$/.test(id) ? id : undefined;
}

/** Walks `resourceX[].scopeX[].items[]`, calling `each` for every item until the line's budget is spent. */
class Walker {
  items = 0;
  skipped = 0;

  walk(
    resources: unknown,
    scopesKey: 'scopeSpans' | 'scopeLogs',
    itemsKey: 'spans' | 'logRecords',
    each: (item: unknown, resource: Attributes) => boolean,
  ): void {
    if (!Array.isArray(resources)) return;
    for (const r of resources) {
      const resourceGroup = asObject(r);
      if (!resourceGroup) {
        this.skipped++;
        continue;
      }
      const resource = decodeAttributes(asObject(resourceGroup.resource)?.attributes);
      const scopes = resourceGroup[scopesKey];
      if (!Array.isArray(scopes)) continue;
      for (const s of scopes) {
        const items = asObject(s)?.[itemsKey];
        if (!Array.isArray(items)) continue;
        for (const item of items) {
          if (this.items++ >= MAX_ITEMS_PER_LINE) {
            this.skipped++;
            continue;
          }
          if (!each(item, resource)) this.skipped++;
        }
      }
    }
  }
}

/** A span: false when it is broken (skipped and counted), true when read or not an MCP span. */
function readSpan(value: unknown, resource: Attributes, ctx: LineContext): boolean {
  const span = asObject(value);
  if (!span) return false;
  const attrs = decodeAttributes(span.attributes);
  const method = text(attrs, 'mcp.method.name');
  if (method === undefined) return true;
  const start = unixNanos(span.startTimeUnixNano);
  const time = start !== undefined ? timeFromEpochMs(nanosToMs(start)) : undefined;
  if (start === undefined || !time) return false;
  const end = unixNanos(span.endTimeUnixNano);
  const item: Item = {
    attrs,
    resource,
    method,
    time,
    kind: spanKind(span.kind),
    ...(end !== undefined && end >= start ? { durationMs: nanosToMs(end - start) } : {}),
    ...(traceIdOf(span.traceId) !== undefined ? { traceId: traceIdOf(span.traceId) } : {}),
    ...(asObject(span.status) ? { status: asObject(span.status) } : {}),
  };
  return ctx.emit(mcpEvent(item, ctx), time.ts);
}

/** A log record: MCP attributes map like a span; a JSON body is read as another format. */
function readLogRecord(value: unknown, resource: Attributes, ctx: LineContext): boolean {
  const record = asObject(value);
  if (!record) return false;
  const nanos = unixNanos(record.timeUnixNano) ?? unixNanos(record.observedTimeUnixNano);
  const time = nanos !== undefined ? timeFromEpochMs(nanosToMs(nanos)) : undefined;
  const attrs = decodeAttributes(record.attributes);
  const method = text(attrs, 'mcp.method.name');
  if (method !== undefined) {
    const when = time ?? ctx.fallbackTime();
    if (!when) return false;
    const traceId = traceIdOf(record.traceId);
    const item: Item = {
      attrs,
      resource,
      method,
      time: when,
      kind: undefined,
      ...(traceId !== undefined ? { traceId } : {}),
    };
    return ctx.emit(mcpEvent(item, ctx), when.ts);
  }
  const body = decodeAnyValue(record.body);
  let inner: JsonObject | string | undefined;
  if (typeof body === 'string') {
    const trimmed = body.trim();
    const c = trimmed.charCodeAt(0);
    if (c === 123 || c === 91) inner = trimmed;
  } else inner = asObject(body);
  // Application logs that are not MCP traffic carry no event (not an error).
  if (inner !== undefined)
    ctx.readInner(inner, {
      time,
      serverName: text(resource, 'service.name'),
      derivedSession: processSession(resource),
    });
  return true;
}

export function convertOtlp(obj: JsonObject, ctx: LineContext): ConvertResult {
  const walker = new Walker();
  if (Array.isArray(obj.resourceSpans))
    walker.walk(obj.resourceSpans, 'scopeSpans', 'spans', (span, resource) => readSpan(span, resource, ctx));
  if (Array.isArray(obj.resourceLogs))
    walker.walk(obj.resourceLogs, 'scopeLogs', 'logRecords', (record, resource) =>
      readLogRecord(record, resource, ctx),
    );
  if (walker.skipped > 0) ctx.skipItems(walker.skipped);
  return undefined;
}

/** Recogniser: an OTLP export request (traces, logs or metrics). */
export function isOtlpObject(obj: JsonObject): boolean {
  return (
    Array.isArray(obj.resourceSpans) || Array.isArray(obj.resourceLogs) || Array.isArray(obj.resourceMetrics)
  );
}

export const otlpFormat: SourceFormatModule = {
  name: 'otlp',
  // Log bodies hold lines of other formats.
  wrapper: true,
  detect: (value) => isJsonObjectValue(value) && isOtlpObject(value),
  normalize: (value, ctx) => convertOtlp(value as JsonObject, ctx),
};
