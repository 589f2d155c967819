/**
 * @mcp-watchtower/instrument (re-exported as mcp-watchtower/instrument) — make an MCP server (TypeScript SDK) write the v1 canonical security
 * events (log-format.md) that mcp-watchtower detects on. Two lines:
 *
 *   import { instrument } from 'mcp-watchtower/instrument';
 *   instrument(server);            // an McpServer or a low-level Server, before connect()
 *
 * Where it hooks in, and why: the transport. `instrument` wraps the server's `connect()` so every
 * transport it is given has its `send` and (when started) its `onmessage`/`onclose` observed. The
 * alternative, wrapping request handlers, misses what never reaches a handler: "method not found"
 * and other errors the SDK answers itself, initialize, notifications (tools/list_changed), the
 * requests the server sends to the client (sampling, elicitation) and cancellations. It is also
 * fragile for McpServer, which registers tools/* and resources/* handlers lazily — possibly after
 * connect(). At the transport, a request and its response are paired by JSON-RPC id, the SDK's
 * per-message `extra` (authInfo, HTTP headers) is at hand, and the same code serves McpServer and
 * Server, stdio and Streamable HTTP. It relies only on the public Transport interface plus the
 * server's `connect`; the server name is read from the server's implementation info.
 *
 * It never throws into the server: every observation is guarded, a failing writer is counted in
 * `stats.writeFailures` and otherwise ignored.
 */
import { randomUUID } from 'node:crypto';
import { ConnectionObserver, type ObserverContext } from './connection.js';
import { createEmitter, type EmitterStats, type LineWriter, type ServerInfo } from './event.js';
import { createRedactor } from './redact.js';
import { detectTransportKind, type TransportKind } from './transport-kind.js';

export type { CanonicalEvent, EmitterStats, EventKind, LineWriter } from './event.js';
export type { TransportKind } from './transport-kind.js';
export { mcpHttpLogger, originGuard, withMcpHttpLogging } from './http.js';
export type { HttpLoggerOptions, OriginGuardOptions } from './http.js';
export { redactSecretsInText } from './redact.js';
export { observeMessages } from './observe.js';
export type { MessageObserver, MessageObserverOptions } from './observe.js';
export type { PrincipalInfo } from './event.js';
export { tokenFingerprint } from './principal.js';

export interface InstrumentOptions {
  /** Receives each event as one JSON line. Default: process.stderr (stdout is the stdio protocol channel). */
  write?: LineWriter;
  /** Overrides the server name from the server's implementation info. */
  serverName?: string;
  /** Overrides the server version from the server's implementation info. */
  serverVersion?: string;
  /** Identifies this replica (task id, instance id) in `server.instance`. */
  instance?: string;
  /** Byte limit for `result.text` and each string in `arguments` (default 4096). */
  maxTextBytes?: number;
  /** Additional argument key names whose values are always redacted (matched case- and separator-insensitively, as a suffix). */
  redact?: readonly string[];
  /** Clock in epoch milliseconds (tests); when given it also times `durationMs`. */
  now?: () => number;
  /** The transport name when it cannot be detected (custom transports). */
  transport?: TransportKind;
  /** Take `client.ip` from the first X-Forwarded-For hop when no HTTP middleware supplied it. */
  trustProxy?: boolean;
}

export interface Instrumentation {
  /** Live counters: events written, writer failures, exchanges that could not be described. */
  readonly stats: EmitterStats;
}

/** Anything with the SDK's `connect(transport)`: an McpServer or a (low-level) Server. */
export interface InstrumentableServer {
  connect(transport: never): Promise<unknown>;
}

interface TransportLike {
  start(): Promise<void>;
  send(message: unknown, options?: unknown): Promise<void>;
  onmessage?: ((message: unknown, extra?: unknown) => void) | undefined;
  onclose?: (() => void) | undefined;
  sessionId?: string | undefined;
}

interface ProtocolLike {
  connect(transport: TransportLike): Promise<void>;
  transport?: TransportLike | undefined;
  _serverInfo?: unknown;
  _requestHandlers?: unknown;
}

const INSTRUMENTED = Symbol.for('mcp-watchtower.instrument.handle');
const ATTACHED = Symbol.for('mcp-watchtower.instrument.attached');
const DEFAULT_MAX_TEXT_BYTES = 4096;

let stdioProcessSession: string | undefined;

function asRecord(value: unknown): Record<string | symbol, unknown> | undefined {
  return value !== null && typeof value === 'object'
    ? (value as Record<string | symbol, unknown>)
    : undefined;
}

function isProtocol(value: unknown): value is ProtocolLike {
  return typeof asRecord(value)?.connect === 'function';
}

/** The SDK object that owns the transport: McpServer delegates to its `.server`. */
function protocolOf(server: unknown): { protocol: ProtocolLike; isMcpServer: boolean } | undefined {
  const inner = asRecord(server)?.server;
  if (isProtocol(inner) && isProtocol(server)) return { protocol: inner, isMcpServer: true };
  if (isProtocol(server)) return { protocol: server, isMcpServer: false };
  return undefined;
}

function declaredServerInfo(protocol: ProtocolLike): ServerInfo | undefined {
  const info = asRecord(protocol._serverInfo);
  if (!info) return undefined;
  return {
    name: typeof info.name === 'string' ? info.name : undefined,
    version: typeof info.version === 'string' ? info.version : undefined,
  };
}

/**
 * McpServer's own tools/list handler is a pure function of its registered tools, so calling it
 * gives the current definitions. A low-level Server's handler is user code (it may depend on the
 * caller), so no snapshot is taken there; the client's next tools/list is recorded instead.
 */
function mcpServerToolsSnapshot(protocol: ProtocolLike): () => Promise<unknown> {
  return () => {
    const handlers = protocol._requestHandlers;
    const handler = handlers instanceof Map ? (handlers.get('tools/list') as unknown) : undefined;
    if (typeof handler !== 'function') return Promise.resolve(undefined);
    const extra = { signal: new AbortController().signal, requestId: 'mcp-watchtower-snapshot' };
    return Promise.resolve(
      (handler as (request: unknown, extra: unknown) => unknown)({ method: 'tools/list', params: {} }, extra),
    );
  };
}

export function instrument(server: InstrumentableServer, options: InstrumentOptions = {}): Instrumentation {
  const owner = protocolOf(server);
  if (!owner)
    throw new TypeError('instrument(server): expected an McpServer or Server from @modelcontextprotocol/sdk');
  const { protocol, isMcpServer } = owner;
  const previous = asRecord(protocol)?.[INSTRUMENTED] as Instrumentation | undefined;
  if (previous) return previous;

  const emitter = createEmitter({ write: options.write, now: options.now });
  const maxTextBytes =
    options.maxTextBytes && options.maxTextBytes > 0
      ? Math.floor(options.maxTextBytes)
      : DEFAULT_MAX_TEXT_BYTES;
  const redactor = createRedactor({ maxStringBytes: maxTextBytes, extraKeyNames: options.redact });

  let serverInfo: ServerInfo | undefined;
  const refreshServerInfo = (learned?: ServerInfo): void => {
    const declared = declaredServerInfo(protocol) ?? learned;
    const name = options.serverName ?? declared?.name;
    const version = options.serverVersion ?? declared?.version;
    serverInfo =
      name === undefined && version === undefined && options.instance === undefined
        ? undefined
        : { name, version, instance: options.instance };
  };
  refreshServerInfo();

  const context: ObserverContext = {
    emitter,
    redactor,
    maxTextBytes,
    trustProxy: options.trustProxy === true,
    serverInfo: () => serverInfo,
    learnServerInfo(info) {
      const record = asRecord(info);
      if (serverInfo?.name !== undefined || !record) return;
      refreshServerInfo({
        name: typeof record.name === 'string' ? record.name : undefined,
        version: typeof record.version === 'string' ? record.version : undefined,
      });
    },
    toolsSnapshot: isMcpServer ? mcpServerToolsSnapshot(protocol) : undefined,
  };

  const attach = (transport: TransportLike, alreadyStarted: boolean): void => {
    const marks = transport as unknown as Record<symbol, unknown>;
    if (marks[ATTACHED]) return;
    marks[ATTACHED] = true;
    const kind = options.transport ?? detectTransportKind(transport);
    // stdio has no session id: one process is one session. Unknown in-process transports get one
    // per connection; stateless HTTP has none and gets none (each request stands alone).
    const fallbackSession =
      kind === 'stdio'
        ? (stdioProcessSession ??= randomUUID())
        : kind === undefined
          ? randomUUID()
          : undefined;
    const observer = new ConnectionObserver(context, transport, kind, fallbackSession);

    const originalSend = transport.send;
    transport.send = function sendObserved(this: TransportLike, message: unknown, sendOptions?: unknown) {
      emitter.guard(() => observer.outgoing(message));
      return originalSend.call(this, message, sendOptions);
    };

    const observeInbound = (): void => {
      const dispatch = transport.onmessage;
      transport.onmessage = function onmessageObserved(this: unknown, message: unknown, extra?: unknown) {
        // Observe before dispatch: the SDK may answer synchronously (e.g. "method not found").
        emitter.guard(() => observer.incoming(message, extra));
        dispatch?.call(this, message, extra);
      };
      const onclose = transport.onclose;
      transport.onclose = function oncloseObserved(this: unknown) {
        emitter.guard(() => observer.closed());
        onclose?.call(this);
      };
    };

    if (alreadyStarted) {
      emitter.guard(observeInbound);
      return;
    }
    // connect() installs the SDK's callbacks and then calls start(); wrapping start lets us wrap
    // those callbacks before the first message can arrive (stdio and in-memory deliver inside start).
    const originalStart = transport.start;
    transport.start = function startObserved(this: TransportLike) {
      emitter.guard(observeInbound);
      return originalStart.call(this);
    };
  };

  const originalConnect = protocol.connect;
  protocol.connect = function connectObserved(this: ProtocolLike, transport: TransportLike) {
    if (asRecord(transport)) emitter.guard(() => attach(transport, false));
    return originalConnect.call(this, transport);
  };
  if (protocol.transport) emitter.guard(() => attach(protocol.transport as TransportLike, true));

  const handle: Instrumentation = { stats: emitter.stats };
  (protocol as unknown as Record<symbol, unknown>)[INSTRUMENTED] = handle;
  return handle;
}
