/**
 * `jsonrpc`: raw MCP messages as servers and proxies log them, bare (`{"jsonrpc":"2.0",...}`, or a
 * batch array of them) or wrapped as `{"direction":"in"|"out","time","session","server","message"}`.
 *
 * A line without a session (bare messages; a wrapper without one whose transport is not HTTP) gets
 * the session derived from its stream (ctx.derivedSession: one log stream or file = one
 * connection), so session-keyed detectors work on stdio captures.
 *
 * Requests wait for their response and the pair becomes one `mcp.call` (`mcp.session` for
 * initialize; plus `mcp.tools` for tools/list). Pairing key: the session (else the log stream),
 * the server, the request's direction and its id. Notifications become `mcp.notification` at once,
 * except a `notifications/cancelled` that ends a waiting request (→ its `mcp.call`, `cancelled`).
 * Responses without a request become an `mcp.call` with what they tell. Requests still waiting at
 * the end of a batch (`flush`), or pushed out of the bounded buffer, become calls without a result.
 * The clientInfo and protocol version of an initialize, and the server version it answers with,
 * are remembered per session and added to that session's later events.
 */
import type { EventOrigin } from '../engine-event.js';
import { asObject, asString, MAX_NAME_CHARS, type JsonObject } from '../fields.js';
import type { ConvertResult, EmitEvent, LineContext } from '../line-context.js';
import { isJsonObjectValue, type SourceFormatModule } from './format.js';
import { errorFoldedIntoToolResult, rpcError, summarizeResult, toolDefinitions } from '../rpc-result.js';
import { timeOf, type EventTime } from '../time.js';

/** Requests waiting for a response; past this the oldest is emitted unanswered. */
export const MAX_PENDING_REQUESTS = 10_000;
/** Characters of the log lines held by waiting requests; bounds memory when arguments are huge. */
export const MAX_PENDING_CHARS = 64 * 1024 * 1024;
/** Sessions whose initialize facts are remembered. */
export const MAX_SESSIONS = 10_000;
/** Messages read from one batch array. */
const MAX_BATCH_MESSAGES = 100;
const MAX_URI_CHARS = 4096;

type Direction = 'in' | 'out' | '';
type RequestId = string | number;

/** Who and where, from the wrapper (or the log group): copied onto every event of the line. */
interface Envelope {
  readonly server?: JsonObject;
  readonly transport?: string;
  readonly protocolVersion?: string;
  readonly session?: string;
  readonly trace?: string;
  readonly client?: JsonObject;
  readonly principal?: JsonObject;
  readonly http?: JsonObject;
}

interface PendingRequest {
  readonly key: string;
  readonly scope: string;
  readonly id: RequestId;
  readonly method: string;
  readonly params: JsonObject | undefined;
  readonly time: EventTime;
  readonly envelope: Envelope;
  readonly direction: Direction;
  readonly origin: EventOrigin;
  readonly chars: number;
}

interface SessionFacts {
  clientName?: string;
  clientVersion?: string;
  protocolVersion?: string;
  serverVersion?: string;
  /** The client and server objects of the session's events, built once (per server name). */
  client?: JsonObject;
  server?: JsonObject;
  serverBase?: JsonObject;
}

export type Emit = EmitEvent;

function isMessage(value: unknown): boolean {
  return asObject(value)?.jsonrpc === '2.0';
}

function isBatch(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length > 0 && isMessage(value[0]);
}

/** Recogniser: a bare message, or a wrapper whose `message` is one (or a batch of them). */
export function isJsonRpcObject(obj: JsonObject): boolean {
  return obj.jsonrpc === '2.0' || isMessage(obj.message) || isBatch(obj.message);
}

/** Recogniser for a line that is a JSON array: a JSON-RPC batch. */
export function isJsonRpcBatch(value: unknown[]): boolean {
  return isBatch(value);
}

function isHttpTransport(transport: string): boolean {
  return transport === 'streamable-http' || transport === 'sse' || transport.startsWith('http');
}

function idKey(id: RequestId): string {
  return typeof id === 'number' ? `n${id}` : `s${id}`;
}

function opposite(direction: Direction): Direction {
  return direction === 'in' ? 'out' : direction === 'out' ? 'in' : '';
}

function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

export class JsonRpcPairing {
  private readonly pending = new Map<string, PendingRequest>();
  private pendingChars = 0;
  private readonly sessions = new Map<string, SessionFacts>();
  /** One `{name}` object per server name, shared by that server's events (events are read-only). */
  private readonly servers = new Map<string, JsonObject>();

  constructor(private readonly emit: Emit) {}

  /** One line: a bare message, a batch array, or a wrapper. */
  handle(value: JsonObject | unknown[], ctx: LineContext): ConvertResult {
    const wrapper = Array.isArray(value) || value.jsonrpc === '2.0' ? undefined : value;
    const message: unknown = wrapper ? wrapper.message : value;
    const time = wrapper
      ? (timeOf(wrapper.time) ?? timeOf(wrapper.timestamp) ?? ctx.fallbackTime())
      : ctx.fallbackTime();
    if (!time) return 'JSON-RPC message without a time';
    const direction: Direction =
      wrapper?.direction === 'in' ? 'in' : wrapper?.direction === 'out' ? 'out' : '';
    const envelope = this.envelopeOf(wrapper, ctx);
    const serverName = typeof envelope.server?.name === 'string' ? envelope.server.name : '';
    const scope =
      envelope.session !== undefined
        ? `s\u0000${serverName}\u0000${envelope.session}`
        : `l\u0000${ctx.record.logGroup ?? ''}\u0000${ctx.record.logStream ?? ''}\u0000${serverName}`;
    if (!Array.isArray(message)) {
      return this.message(message, direction, time, envelope, scope, ctx)
        ? undefined
        : 'not a JSON-RPC request, response or notification';
    }
    let handled = 0;
    const n = Math.min(message.length, MAX_BATCH_MESSAGES);
    for (let i = 0; i < n; i++)
      if (this.message(message[i], direction, time, envelope, scope, ctx)) handled++;
    return handled > 0 ? undefined : 'JSON-RPC batch without a request, response or notification';
  }

  private server(name: string | undefined): JsonObject | undefined {
    if (name === undefined) return undefined;
    let server = this.servers.get(name);
    if (!server) {
      if (this.servers.size >= MAX_SESSIONS) this.servers.clear();
      server = { name };
      this.servers.set(name, server);
    }
    return server;
  }

  private envelopeOf(wrapper: JsonObject | undefined, ctx: LineContext): Envelope {
    if (!wrapper) {
      const derived = ctx.derivedSession();
      const server = this.server(ctx.defaultServerName());
      return derived !== undefined ? { server, session: derived } : { server };
    }
    const server = wrapper.server;
    const serverName = asString(server);
    const transport = asString(wrapper.transport);
    return {
      server:
        serverName !== undefined
          ? this.server(serverName)
          : (asObject(server) ?? this.server(ctx.defaultServerName())),
      transport,
      protocolVersion: asString(wrapper.protocolVersion),
      session:
        asString(wrapper.session) ??
        asString(wrapper.sessionId) ??
        // An HTTP log stream may carry many clients: no session is derived for it.
        (transport === undefined || !isHttpTransport(transport) ? ctx.derivedSession() : undefined),
      trace: asString(wrapper.trace),
      client: asObject(wrapper.client),
      principal: asObject(wrapper.principal),
      http: asObject(wrapper.http),
    };
  }

  /** End of a batch: every waiting request becomes a call without a result. */
  flush(): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    this.pendingChars = 0;
    for (const request of waiting) this.unanswered(request);
  }

  private message(
    value: unknown,
    direction: Direction,
    time: EventTime,
    envelope: Envelope,
    scope: string,
    ctx: LineContext,
  ): boolean {
    const msg = asObject(value);
    if (!msg) return false;
    const method = asString(msg.method, MAX_NAME_CHARS);
    const id = msg.id;
    const hasId = typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));
    if (method !== undefined) {
      if (hasId) this.request(id, method, asObject(msg.params), direction, time, envelope, scope, ctx);
      else this.notification(method, asObject(msg.params), direction, time, envelope, scope, ctx);
      return true;
    }
    if ((hasId || id === null) && (msg.result !== undefined || msg.error !== undefined)) {
      this.response(hasId ? id : null, msg, direction, time, envelope, scope, ctx);
      return true;
    }
    return false;
  }

  private request(
    id: RequestId,
    method: string,
    params: JsonObject | undefined,
    direction: Direction,
    time: EventTime,
    envelope: Envelope,
    scope: string,
    ctx: LineContext,
  ): void {
    const key = `${scope}\u0000${direction}\u0000${idKey(id)}`;
    const previous = this.pending.get(key);
    if (previous) {
      // A reused id: the earlier request will never be matched.
      this.forget(previous);
      this.unanswered(previous);
    }
    if (method === 'initialize' && direction !== 'out') this.learnClient(scope, params);
    const chars = ctx.record.message.length;
    this.pending.set(key, {
      key,
      scope,
      id,
      method,
      params,
      time,
      envelope,
      direction,
      origin: ctx.origin(),
      chars,
    });
    this.pendingChars += chars;
    while (this.pending.size > MAX_PENDING_REQUESTS || this.pendingChars > MAX_PENDING_CHARS) {
      const oldest = this.pending.values().next().value;
      if (!oldest) break;
      this.forget(oldest);
      this.unanswered(oldest);
    }
  }

  private forget(request: PendingRequest): void {
    this.pending.delete(request.key);
    this.pendingChars -= request.chars;
  }

  private notification(
    method: string,
    params: JsonObject | undefined,
    direction: Direction,
    time: EventTime,
    envelope: Envelope,
    scope: string,
    ctx: LineContext,
  ): void {
    if (method === 'notifications/cancelled') {
      const requestId = params?.requestId;
      // The requester cancels: the notification travels the way its request did.
      const cancelled =
        typeof requestId === 'string' || typeof requestId === 'number'
          ? this.pending.get(`${scope}\u0000${direction}\u0000${idKey(requestId)}`)
          : undefined;
      if (cancelled) {
        this.forget(cancelled);
        const event = this.requestEvent(cancelled);
        event.cancelled = true;
        event.durationMs = Math.max(0, round3(time.ts - cancelled.time.ts));
        this.emit(event, cancelled.time.ts, cancelled.origin);
        return;
      }
    }
    const event = this.baseEvent('mcp.notification', time, envelope, scope);
    event.rpc = { method };
    this.emit(event, time.ts, ctx.origin());
  }

  private response(
    id: RequestId | null,
    msg: JsonObject,
    direction: Direction,
    time: EventTime,
    envelope: Envelope,
    scope: string,
    ctx: LineContext,
  ): void {
    const request =
      id === null ? undefined : this.pending.get(`${scope}\u0000${opposite(direction)}\u0000${idKey(id)}`);
    if (!request) {
      this.unpairedResponse(id, msg, direction, time, envelope, scope, ctx);
      return;
    }
    this.forget(request);
    const error = rpcError(msg.error);
    const result = msg.result;
    const event = this.requestEvent(request);
    if (request.method === 'initialize') {
      if (!error) this.learnServer(request.scope, result);
      this.applySession(event, request.envelope, request.scope);
    } else if (!error && result !== undefined) this.describeResult(event, request.method, result);
    if (error) event.error = error;
    // The response's wrapper may know the HTTP status the request's did not.
    const responseHttp = envelope.http;
    if (responseHttp !== undefined) {
      const requestHttp = asObject(event.http);
      if (!requestHttp) event.http = responseHttp;
      else if (requestHttp.status === undefined && responseHttp.status !== undefined)
        event.http = { ...requestHttp, status: responseHttp.status };
    }
    event.durationMs = Math.max(0, round3(time.ts - request.time.ts));
    this.emit(event, request.time.ts, request.origin);
    if (request.method === 'tools/list' && !error) {
      this.emitTools(
        request.time,
        request.envelope,
        request.scope,
        { id: request.id, method: 'tools/list' },
        result,
        request.params,
        request.origin,
      );
    }
  }

  /** A response whose request was not seen: what the response itself tells, the method inferred from the result's shape. */
  private unpairedResponse(
    id: RequestId | null,
    msg: JsonObject,
    direction: Direction,
    time: EventTime,
    envelope: Envelope,
    scope: string,
    ctx: LineContext,
  ): void {
    const error = rpcError(msg.error);
    const result = error ? undefined : msg.result;
    const method = inferMethod(result);
    if (method === 'initialize') this.learnServer(scope, result);
    const event = this.baseEvent(method === 'initialize' ? 'mcp.session' : 'mcp.call', time, envelope, scope);
    event.rpc = method !== undefined ? { id, method, inferred: true } : { id };
    if (direction === 'in') event.direction = 'server-to-client';
    if (method !== undefined && result !== undefined && method !== 'initialize')
      this.describeResult(event, method, result);
    else if (method === undefined && result !== undefined) {
      const summary = summarizeResult(result);
      if (summary) event.result = summary;
    }
    if (error) event.error = error;
    this.emit(event, time.ts, ctx.origin());
    if (method === 'tools/list')
      this.emitTools(time, envelope, scope, { id, method, inferred: true }, result, undefined, ctx.origin());
  }

  private unanswered(request: PendingRequest): void {
    this.emit(this.requestEvent(request), request.time.ts, request.origin);
  }

  private baseEvent(kind: string, time: EventTime, envelope: Envelope, scope: string): JsonObject {
    const event: JsonObject = { v: 1, event: kind, time: time.iso };
    if (envelope.server !== undefined) event.server = envelope.server;
    if (envelope.transport !== undefined) event.transport = envelope.transport;
    if (envelope.protocolVersion !== undefined) event.protocolVersion = envelope.protocolVersion;
    if (envelope.session !== undefined) event.session = envelope.session;
    if (envelope.trace !== undefined) event.trace = envelope.trace;
    if (envelope.client !== undefined) event.client = envelope.client;
    if (envelope.principal !== undefined) event.principal = envelope.principal;
    if (envelope.http !== undefined) event.http = envelope.http;
    this.applySession(event, envelope, scope);
    return event;
  }

  /** The event of a request, before its response is known: what was asked. */
  private requestEvent(request: PendingRequest): JsonObject {
    const event = this.baseEvent(
      request.method === 'initialize' ? 'mcp.session' : 'mcp.call',
      request.time,
      request.envelope,
      request.scope,
    );
    event.rpc = { id: request.id, method: request.method };
    if (request.direction === 'out') event.direction = 'server-to-client';
    const params = request.params;
    if (params) {
      if (request.method === 'tools/call' || request.method === 'prompts/get') {
        const name = asString(params.name, MAX_NAME_CHARS);
        if (name !== undefined) event.tool = name;
        if (params.arguments !== undefined) event.arguments = params.arguments;
      }
      const uri = asString(params.uri, MAX_URI_CHARS);
      if (uri !== undefined) event.uri = uri;
    }
    return event;
  }

  private describeResult(event: JsonObject, method: string, result: unknown): void {
    const summary = summarizeResult(result);
    if (summary) event.result = summary;
    if (method === 'tools/call') {
      const folded = errorFoldedIntoToolResult(result);
      if (folded) event.error = folded;
    }
  }

  private emitTools(
    time: EventTime,
    envelope: Envelope,
    scope: string,
    rpc: JsonObject,
    result: unknown,
    params: JsonObject | undefined,
    origin: EventOrigin,
  ): void {
    const tools = toolDefinitions(result);
    if (!tools) return;
    const event = this.baseEvent('mcp.tools', time, envelope, scope);
    event.rpc = rpc;
    event.tools = tools;
    // A page of a paginated list is not the server's whole tool set (detectors check these).
    const cursor = asString(params?.cursor);
    if (cursor !== undefined) event.cursor = cursor;
    const nextCursor = asString(asObject(result)?.nextCursor);
    if (nextCursor !== undefined) event.nextCursor = nextCursor;
    this.emit(event, time.ts, origin);
  }

  private facts(scope: string): SessionFacts {
    let facts = this.sessions.get(scope);
    if (!facts) {
      if (this.sessions.size >= MAX_SESSIONS) {
        const oldest = this.sessions.keys().next().value;
        if (oldest !== undefined) this.sessions.delete(oldest);
      }
      facts = {};
      this.sessions.set(scope, facts);
    }
    return facts;
  }

  private learnClient(scope: string, params: JsonObject | undefined): void {
    const info = asObject(params?.clientInfo);
    const facts = this.facts(scope);
    const name = asString(info?.name, MAX_NAME_CHARS);
    const version = asString(info?.version, MAX_NAME_CHARS);
    if (name !== undefined) facts.clientName = name;
    if (version !== undefined) facts.clientVersion = version;
    facts.client = undefined;
    const protocolVersion = asString(params?.protocolVersion, MAX_NAME_CHARS);
    if (protocolVersion !== undefined) facts.protocolVersion = protocolVersion;
  }

  private learnServer(scope: string, result: unknown): void {
    const initialized = asObject(result);
    if (!initialized) return;
    const facts = this.facts(scope);
    const protocolVersion = asString(initialized.protocolVersion, MAX_NAME_CHARS);
    if (protocolVersion !== undefined) facts.protocolVersion = protocolVersion;
    const version = asString(asObject(initialized.serverInfo)?.version, MAX_NAME_CHARS);
    if (version !== undefined) facts.serverVersion = version;
    facts.server = undefined;
  }

  /** Adds what the session's initialize told (client name/version, protocol and server version) where the line is silent. */
  private applySession(event: JsonObject, envelope: Envelope, scope: string): void {
    if (this.sessions.size === 0) return;
    const facts = this.sessions.get(scope);
    if (!facts) return;
    if (facts.protocolVersion !== undefined && envelope.protocolVersion === undefined)
      event.protocolVersion = facts.protocolVersion;
    const client = envelope.client;
    if (
      (facts.clientName !== undefined && client?.name === undefined) ||
      (facts.clientVersion !== undefined && client?.version === undefined)
    ) {
      if (client) event.client = { ...clientFacts(facts), ...client };
      else event.client = facts.client ??= clientFacts(facts);
    }
    const server = envelope.server;
    if (facts.serverVersion !== undefined && server?.version === undefined) {
      // Built once per session and server object (named servers are shared objects, see server()).
      if (facts.server === undefined || facts.serverBase !== server) {
        facts.server = server
          ? { ...server, version: facts.serverVersion }
          : { version: facts.serverVersion };
        facts.serverBase = server;
      }
      event.server = facts.server;
    }
  }
}

function clientFacts(facts: SessionFacts): JsonObject {
  const client: JsonObject = {};
  if (facts.clientName !== undefined) client.name = facts.clientName;
  if (facts.clientVersion !== undefined) client.version = facts.clientVersion;
  return client;
}

/** The method a response answers, from its result's shape; `undefined` when the shape is ambiguous. */
export function inferMethod(result: unknown): string | undefined {
  const r = asObject(result);
  if (!r) return undefined;
  if (Array.isArray(r.tools)) return 'tools/list';
  if (typeof r.protocolVersion === 'string' && asObject(r.capabilities)) return 'initialize';
  if (Array.isArray(r.content)) return 'tools/call';
  if (Array.isArray(r.contents)) return 'resources/read';
  if (Array.isArray(r.messages)) return 'prompts/get';
  if (Array.isArray(r.resources)) return 'resources/list';
  if (Array.isArray(r.prompts)) return 'prompts/list';
  return undefined;
}

export const jsonrpcFormat: SourceFormatModule<JsonRpcPairing> = {
  name: 'jsonrpc',
  detect: (value) =>
    typeof value !== 'string' && (isJsonObjectValue(value) ? isJsonRpcObject(value) : isBatch(value)),
  normalize: (value, ctx, pairing) => pairing.handle(value as JsonObject | unknown[], ctx),
  createState: (emit) => new JsonRpcPairing(emit),
  flush: (pairing) => pairing.flush(),
};
