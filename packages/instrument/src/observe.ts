/**
 * The same v1 events `instrument()` writes, for code that sees an MCP connection's JSON-RPC messages
 * but does not own the server: a stdio proxy (`mcp-watchtower wrap`), a gateway, a test harness.
 * Hand it every parsed message in each direction; it pairs requests with responses by id and
 * writes `mcp.call`, `mcp.session`, `mcp.tools` and `mcp.notification` lines exactly as the
 * in-process instrumentation does (same redaction, truncation and result summaries).
 *
 *   const observer = observeMessages({ transport: 'stdio', session: randomUUID() });
 *   observer.clientToServer(message);   // each message the client sent
 *   observer.serverToClient(message);   // each message the server sent
 *   observer.closed();                  // connection over: unanswered requests are written too
 *
 * Like `instrument()`, it never throws: a failing writer or an odd message is counted in `stats`.
 */
import { ConnectionObserver, type ObserverContext } from './connection.js';
import { createEmitter, type EmitterStats, type LineWriter, type PrincipalInfo, type ServerInfo } from './event.js';
import { createRedactor } from './redact.js';
import type { TransportKind } from './transport-kind.js';

export interface MessageObserverOptions {
  /** Receives each event as one JSON line. Default: process.stderr. */
  write?: LineWriter;
  /** The server name; by default learned from the server's `initialize` result (`serverInfo.name`). */
  serverName?: string;
  /** The server version; by default learned from the `initialize` result. */
  serverVersion?: string;
  /** Identifies this replica (task id, instance id) in `server.instance`. */
  instance?: string;
  /** The contract's `transport` field. */
  transport?: TransportKind;
  /** The session id written on every event (stdio has none on the wire: one process is one session). */
  session?: string;
  /** The principal of requests that carry no credentials (stdio: the OS user who runs the server). */
  principal?: PrincipalInfo;
  /** Byte limit for `result.text` and each string in `arguments` (default 4096). */
  maxTextBytes?: number;
  /** Additional argument key names whose values are always redacted. */
  redact?: readonly string[];
  /** Clock in epoch milliseconds (tests); when given it also times `durationMs`. */
  now?: () => number;
}

export interface MessageObserver {
  /** A JSON-RPC message (or batch array) the client sent to the server. */
  clientToServer(message: unknown): void;
  /** A JSON-RPC message (or batch array) the server sent to the client. */
  serverToClient(message: unknown): void;
  /** The connection ended: requests still open are written as requests without a response. */
  closed(): void;
  readonly stats: EmitterStats;
}

const DEFAULT_MAX_TEXT_BYTES = 4096;

export function observeMessages(options: MessageObserverOptions = {}): MessageObserver {
  const emitter = createEmitter({ write: options.write, now: options.now });
  const maxTextBytes =
    options.maxTextBytes && options.maxTextBytes > 0 ? Math.floor(options.maxTextBytes) : DEFAULT_MAX_TEXT_BYTES;
  const redactor = createRedactor({ maxStringBytes: maxTextBytes, extraKeyNames: options.redact });

  let serverInfo: ServerInfo | undefined =
    options.serverName === undefined && options.serverVersion === undefined && options.instance === undefined
      ? undefined
      : { name: options.serverName, version: options.serverVersion, instance: options.instance };

  const context: ObserverContext = {
    emitter,
    redactor,
    maxTextBytes,
    trustProxy: false,
    serverInfo: () => serverInfo,
    learnServerInfo(info) {
      if (info === null || typeof info !== 'object') return;
      const record = info as Record<string, unknown>;
      const learnedName = typeof record.name === 'string' ? redactor.redactText(record.name.slice(0, 512)).text : undefined;
      const learnedVersion =
        typeof record.version === 'string' ? redactor.redactText(record.version.slice(0, 512)).text : undefined;
      serverInfo = {
        name: options.serverName ?? learnedName,
        version: options.serverVersion ?? learnedVersion,
        instance: options.instance,
      };
    },
    // The observer cannot ask the server for its tools; the client's next tools/list is recorded.
    toolsSnapshot: undefined,
    defaultPrincipal: options.principal,
  };
  const observer = new ConnectionObserver(context, {}, options.transport, options.session);

  // JSON-RPC batches (protocol 2025-03-26) are arrays of messages.
  const each = (message: unknown, visit: (one: unknown) => void): void => {
    if (Array.isArray(message)) for (const one of message) emitter.guard(() => visit(one));
    else emitter.guard(() => visit(message));
  };

  return {
    stats: emitter.stats,
    clientToServer: (message) => each(message, (one) => observer.incoming(one, undefined)),
    serverToClient: (message) => each(message, (one) => observer.outgoing(one)),
    closed: () => emitter.guard(() => observer.closed()),
  };
}
