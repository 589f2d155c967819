/**
 * Observes the JSON-RPC traffic of one server↔transport connection and turns it into canonical
 * events: a client request is held until the server's response (or error, cancellation, close)
 * goes out, then written as one `mcp.call` / `mcp.session` (+ `mcp.tools` for tools/list).
 * Requests the server sends to the client (sampling, elicitation, roots) are paired the same way.
 */
import {
  durationBetween,
  isoTime,
  type CanonicalEvent,
  type ClientInfo,
  type Emitter,
  type EventKind,
  type HttpInfo,
  type PrincipalInfo,
  type ServerInfo,
} from './event.js';
import { firstForwardedFor, firstHeaderValue } from './headers.js';
import { principalFromAuthInfo, principalFromAuthorizationHeader } from './principal.js';
import type { Redactor } from './redact.js';
import { httpRequestContext } from './request-context.js';
import { errorFoldedIntoToolResult, summarizeResult, toolDefinitions } from './summarize.js';
import type { TransportKind } from './transport-kind.js';

type RequestId = string | number;

export interface ObserverContext {
  emitter: Emitter;
  redactor: Redactor;
  maxTextBytes: number;
  trustProxy: boolean;
  serverInfo(): ServerInfo | undefined;
  /** Learns the server's name/version from an initialize result when nothing better is known. */
  learnServerInfo(serverInfo: unknown): void;
  /** The server's current tools/list result, when it can be had cheaply (McpServer only). */
  toolsSnapshot: (() => Promise<unknown>) | undefined;
  /** Who is on the other end when the message carries no credentials (stdio: the OS user). */
  defaultPrincipal?: PrincipalInfo | undefined;
}

interface PendingRequest {
  id: RequestId;
  method: string;
  params: Record<string, unknown> | undefined;
  startWall: number;
  startMono: number;
  principal?: PrincipalInfo;
  client?: ClientInfo;
  http?: HttpInfo;
}

/** A peer that stops answering must not grow memory without bound. */
const MAX_PENDING = 10_000;
const MAX_NAME_CHARS = 512;
const MAX_ERROR_MESSAGE_CHARS = 1024;

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function isRequestId(value: unknown): value is RequestId {
  return typeof value === 'string' || typeof value === 'number';
}

export class ConnectionObserver {
  private readonly pendingInbound = new Map<RequestId, PendingRequest>();
  private readonly pendingOutbound = new Map<RequestId, PendingRequest>();
  private clientInfo: ClientInfo | undefined;
  private protocolVersion: string | undefined;
  private snapshotScheduled = false;

  constructor(
    private readonly context: ObserverContext,
    private readonly transport: { sessionId?: string | undefined },
    private readonly transportKind: TransportKind | undefined,
    private readonly fallbackSession: string | undefined,
  ) {}

  /** A message the server received (called before the SDK dispatches it). */
  incoming(message: unknown, extra: unknown): void {
    const rpc = asRecord(message);
    if (!rpc) return;
    const method = rpc.method;
    if (typeof method === 'string') {
      if (isRequestId(rpc.id)) this.trackInbound(rpc.id, method, asRecord(rpc.params), extra);
      else this.inboundNotification(method, asRecord(rpc.params));
      return;
    }
    if (isRequestId(rpc.id) && ('result' in rpc || 'error' in rpc)) {
      const pending = this.pendingOutbound.get(rpc.id);
      if (pending) {
        this.pendingOutbound.delete(rpc.id);
        this.completeOutbound(pending, rpc);
      }
    }
  }

  /** A message the server is about to send. */
  outgoing(message: unknown): void {
    const rpc = asRecord(message);
    if (!rpc) return;
    const method = rpc.method;
    if (typeof method === 'string') {
      if (isRequestId(rpc.id)) this.trackOutbound(rpc.id, method, asRecord(rpc.params));
      else this.outboundNotification(method);
      return;
    }
    if (isRequestId(rpc.id) && ('result' in rpc || 'error' in rpc)) {
      const pending = this.pendingInbound.get(rpc.id);
      if (pending) {
        this.pendingInbound.delete(rpc.id);
        this.completeInbound(pending, rpc);
      }
    }
  }

  /** The transport closed: requests still open are written as requests without a response. */
  closed(): void {
    for (const pending of this.pendingInbound.values()) this.emitUnanswered(pending);
    this.pendingInbound.clear();
    for (const pending of this.pendingOutbound.values()) this.emitUnanswered(pending, 'server-to-client');
    this.pendingOutbound.clear();
  }

  private trackInbound(
    id: RequestId,
    method: string,
    params: Record<string, unknown> | undefined,
    extra: unknown,
  ): void {
    const pending: PendingRequest = {
      id,
      method,
      params,
      startWall: this.context.emitter.wallClock(),
      startMono: this.context.emitter.monotonic(),
    };
    this.describeRequester(pending, extra);
    if (method === 'initialize') this.learnClient(params);
    this.remember(this.pendingInbound, pending);
  }

  private trackOutbound(id: RequestId, method: string, params: Record<string, unknown> | undefined): void {
    const pending: PendingRequest = {
      id,
      method,
      params,
      startWall: this.context.emitter.wallClock(),
      startMono: this.context.emitter.monotonic(),
    };
    this.remember(this.pendingOutbound, pending, 'server-to-client');
  }

  private remember(map: Map<RequestId, PendingRequest>, pending: PendingRequest, direction?: string): void {
    if (map.size >= MAX_PENDING) {
      const oldest = map.entries().next().value;
      if (oldest) {
        map.delete(oldest[0]);
        this.emitUnanswered(oldest[1], direction);
      }
    }
    map.set(pending.id, pending);
  }

  /** Principal, source and HTTP facts of the request that carried this message. */
  private describeRequester(pending: PendingRequest, extra: unknown): void {
    const extraRecord = asRecord(extra);
    const authInfo = asRecord(extraRecord?.authInfo);
    const requestInfo = asRecord(extraRecord?.requestInfo);
    const headers = asRecord(requestInfo?.headers);
    if (authInfo) pending.principal = principalFromAuthInfo(authInfo);
    else if (headers) pending.principal = principalFromAuthorizationHeader(headers.authorization);
    else if (this.context.defaultPrincipal) pending.principal = this.context.defaultPrincipal;

    const fromMiddleware = httpRequestContext.getStore();
    if (fromMiddleware) {
      pending.client = fromMiddleware.client;
      pending.http = fromMiddleware.http;
    } else if (headers) {
      const ip = this.context.trustProxy ? firstForwardedFor(headers['x-forwarded-for']) : undefined;
      const userAgent = firstHeaderValue(headers['user-agent']);
      if (ip !== undefined || userAgent !== undefined) pending.client = { ip, userAgent };
      const url = requestInfo?.url;
      pending.http = {
        method: 'POST',
        path: url instanceof URL ? url.pathname : undefined,
        origin: firstHeaderValue(headers.origin),
      };
    }
  }

  private learnClient(params: Record<string, unknown> | undefined): void {
    const info = asRecord(params?.clientInfo);
    if (info) {
      this.clientInfo = {
        name: typeof info.name === 'string' ? this.bounded(info.name) : undefined,
        version: typeof info.version === 'string' ? this.bounded(info.version) : undefined,
      };
    }
    if (typeof params?.protocolVersion === 'string')
      this.protocolVersion = this.bounded(params.protocolVersion);
  }

  private bounded(text: string): string {
    return this.context.redactor.redactText(
      text.length > MAX_NAME_CHARS ? text.slice(0, MAX_NAME_CHARS) : text,
    ).text;
  }

  private session(): string | undefined {
    const live = this.transport.sessionId;
    return typeof live === 'string' && live !== '' ? live : this.fallbackSession;
  }

  private base(event: EventKind, startWall: number, pending?: PendingRequest): CanonicalEvent {
    const client =
      this.clientInfo || pending?.client ? { ...this.clientInfo, ...pending?.client } : undefined;
    return {
      v: 1,
      event,
      time: isoTime(startWall),
      server: this.context.serverInfo(),
      transport: this.transportKind,
      protocolVersion: this.protocolVersion,
      session: this.session(),
      client,
      principal: pending?.principal,
      http: pending?.http,
    };
  }

  /** Fields that describe what was asked: the tool or prompt name, the resource URI, the arguments. */
  private describeRequest(event: CanonicalEvent, pending: PendingRequest): void {
    event.rpc = { id: pending.id, method: pending.method };
    const params = pending.params;
    if (!params) return;
    if (pending.method === 'tools/call' || pending.method === 'prompts/get') {
      if (typeof params.name === 'string') event.tool = this.bounded(params.name);
      if (params.arguments !== undefined)
        event.arguments = this.context.redactor.redactValue(params.arguments);
    }
    if (typeof params.uri === 'string') event.uri = this.context.redactor.redactText(params.uri).text;
  }

  private rpcError(error: unknown): CanonicalEvent['error'] {
    const record = asRecord(error);
    if (!record) return undefined;
    return {
      code: typeof record.code === 'number' ? record.code : undefined,
      message:
        typeof record.message === 'string'
          ? this.context.redactor.redactText(record.message.slice(0, MAX_ERROR_MESSAGE_CHARS)).text
          : undefined,
    };
  }

  private completeInbound(pending: PendingRequest, response: Record<string, unknown>): void {
    const { emitter } = this.context;
    const durationMs = durationBetween(pending.startMono, emitter.monotonic());
    const error = this.rpcError(response.error);
    const result = response.result;

    if (pending.method === 'initialize') {
      const initialized = asRecord(result);
      if (typeof initialized?.protocolVersion === 'string')
        this.protocolVersion = this.bounded(initialized.protocolVersion);
      this.context.learnServerInfo(initialized?.serverInfo);
      const event = this.base('mcp.session', pending.startWall, pending);
      event.rpc = { id: pending.id, method: pending.method };
      event.error = error;
      event.durationMs = durationMs;
      emitter.emit(event);
      return;
    }

    const event = this.base('mcp.call', pending.startWall, pending);
    this.describeRequest(event, pending);
    if (result !== undefined && !error) {
      if (
        pending.method === 'tools/call' ||
        pending.method === 'resources/read' ||
        pending.method === 'prompts/get'
      ) {
        event.result = summarizeResult(result, this.context.redactor, this.context.maxTextBytes);
      }
      if (pending.method === 'tools/call') {
        const folded = errorFoldedIntoToolResult(result);
        if (folded)
          event.error = { code: folded.code, message: this.context.redactor.redactText(folded.message).text };
      }
    }
    if (error) event.error = error;
    event.durationMs = durationMs;
    emitter.emit(event);

    if (pending.method === 'tools/list' && !error) {
      this.emitTools(pending.startWall, pending, result, {
        id: pending.id,
        method: pending.method,
        // A paginated list is one page of the server's tools, not all of them.
        partial:
          typeof pending.params?.cursor === 'string' || typeof asRecord(result)?.nextCursor === 'string',
      });
    }
  }

  private completeOutbound(pending: PendingRequest, response: Record<string, unknown>): void {
    const event = this.base('mcp.call', pending.startWall);
    event.rpc = { id: pending.id, method: pending.method };
    event.direction = 'server-to-client';
    const error = this.rpcError(response.error);
    if (error) event.error = error;
    else if (response.result !== undefined) {
      event.result = summarizeResult(response.result, this.context.redactor, this.context.maxTextBytes);
    }
    event.durationMs = durationBetween(pending.startMono, this.context.emitter.monotonic());
    this.context.emitter.emit(event);
  }

  private emitUnanswered(pending: PendingRequest, direction?: string): void {
    const event = this.base(
      pending.method === 'initialize' ? 'mcp.session' : 'mcp.call',
      pending.startWall,
      direction ? undefined : pending,
    );
    this.describeRequest(event, pending);
    if (direction) event.direction = direction;
    this.context.emitter.emit(event);
  }

  private emitTools(
    startWall: number,
    pending: PendingRequest | undefined,
    result: unknown,
    rpc: { id?: RequestId; method: string; partial?: boolean },
  ): void {
    const tools = toolDefinitions(result);
    if (!tools) return;
    const event = this.base('mcp.tools', startWall, pending);
    event.rpc = rpc.id === undefined ? { method: rpc.method } : { id: rpc.id, method: rpc.method };
    event.tools = tools;
    if (rpc.partial) event.partial = true;
    this.context.emitter.emit(event);
  }

  private inboundNotification(method: string, params: Record<string, unknown> | undefined): void {
    if (method === 'notifications/cancelled') {
      const requestId = params?.requestId;
      const pending = isRequestId(requestId) ? this.pendingInbound.get(requestId) : undefined;
      if (!pending) return;
      this.pendingInbound.delete(pending.id);
      const event = this.base('mcp.call', pending.startWall, pending);
      this.describeRequest(event, pending);
      event.cancelled = true;
      event.durationMs = durationBetween(pending.startMono, this.context.emitter.monotonic());
      this.context.emitter.emit(event);
      return;
    }
    if (method.endsWith('/list_changed')) this.emitNotification(method);
  }

  private outboundNotification(method: string): void {
    // Only list changes are security-relevant; progress and log notifications would be noise.
    if (!method.endsWith('/list_changed')) return;
    this.emitNotification(method);
    if (method === 'notifications/tools/list_changed') this.scheduleToolsSnapshot();
  }

  private emitNotification(method: string): void {
    const event = this.base('mcp.notification', this.context.emitter.wallClock());
    event.rpc = { method };
    this.context.emitter.emit(event);
  }

  /**
   * After tools/list_changed, record the new definitions right away instead of waiting for the
   * client to re-list (a rug pull is visible even if the client never asks). Several changes in one
   * tick (tools registered in a loop) produce one snapshot.
   */
  private scheduleToolsSnapshot(): void {
    const snapshot = this.context.toolsSnapshot;
    if (!snapshot || this.snapshotScheduled) return;
    this.snapshotScheduled = true;
    const { emitter } = this.context;
    setImmediate(() => {
      this.snapshotScheduled = false;
      emitter.guard(() => {
        const startWall = emitter.wallClock();
        snapshot().then(
          (result) =>
            emitter.guard(() =>
              this.emitTools(startWall, undefined, result, { method: 'notifications/tools/list_changed' }),
            ),
          () => {
            emitter.stats.internalErrors++;
          },
        );
      });
    });
  }
}
