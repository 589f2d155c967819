/**
 * HTTP-level security events for Streamable HTTP (and SSE) MCP endpoints: what is decided before a
 * JSON-RPC message reaches the server — 401/403 from bearer auth (including the SDK's
 * requireBearerAuth), Origin/Host rejections (DNS rebinding), 429 from rate limiters, and the
 * transport's own 4xx JSON-RPC errors (unknown session, parse errors) — plus session deletion.
 * It also publishes the request's source IP, user agent and path to `instrument()` so mcp.call
 * events from HTTP servers carry them.
 *
 *   app.use('/mcp', mcpHttpLogger());               // first, before auth and body parsing
 *   app.use('/mcp', originGuard({ allowedOrigins, allowedHosts }));
 *   app.use('/mcp', requireBearerAuth({ verifier }));
 *
 * Plain node:http: `createServer(withMcpHttpLogging(handler))`. Shapes are node's own
 * IncomingMessage/ServerResponse, so it works with express 5, connect-style routers and bare node.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createEmitter,
  isoTime,
  type CanonicalEvent,
  type Emitter,
  type EventKind,
  type LineWriter,
  type PrincipalInfo,
  type ServerInfo,
} from './event.js';
import { principalFromAuthInfo, principalFromAuthorizationHeader } from './principal.js';
import { httpRequestContext, type HttpRequestContext } from './request-context.js';
import { firstForwardedFor, firstHeaderValue, normalizeIp } from './headers.js';
import { redactSecretsInText } from './redact.js';

export interface HttpLoggerOptions {
  /** Receives each event as one JSON line. Default: process.stderr. */
  write?: LineWriter;
  /** Clock in epoch milliseconds (tests). */
  now?: () => number;
  serverName?: string;
  serverVersion?: string;
  instance?: string;
  /** Take `client.ip` from the first X-Forwarded-For hop (behind ALB, API Gateway, CloudFront). */
  trustProxy?: boolean;
}

export interface OriginGuardOptions extends HttpLoggerOptions {
  /** Exact Origin values allowed (e.g. "https://app.example.com"). Unset: Origin is not checked. */
  allowedOrigins?: readonly string[];
  /** Host names (port-insensitive) or host:port values allowed. Unset: Host is not checked. */
  allowedHosts?: readonly string[];
  /** Requests without an Origin header (non-browser clients) pass. Default true. */
  allowMissingOrigin?: boolean;
}

type Request = IncomingMessage & { originalUrl?: string; auth?: unknown };
type Next = (error?: unknown) => unknown;
export type HttpMiddleware = (req: IncomingMessage, res: ServerResponse, next: Next) => unknown;

interface RequestState {
  context: HttpRequestContext;
  startWall: number;
  /** Set by originGuard when it rejected the request (so the logger reports the reason). */
  rejection?: string;
  /** The first bytes of an error response body, to read JSON-RPC / OAuth error codes. */
  body?: string;
  /** WWW-Authenticate passed straight to writeHead (node does not expose it via getHeader then). */
  challenge?: string;
  finished: boolean;
}

const STATE = Symbol.for('mcp-watchtower.instrument.http-state');
const SNIFF_LIMIT_BYTES = 1024;
/** Statuses whose bodies are worth a look: auth and transport-level JSON-RPC errors. */
const SNIFFED_STATUSES = new Set([400, 401, 403, 404, 406, 413, 415]);
/** Transport rejections reported as `mcp.call` with the JSON-RPC error the transport returned. */
const TRANSPORT_ERROR_STATUSES = new Set([400, 404, 406, 413, 415]);

function header(req: IncomingMessage, name: string): string | undefined {
  return firstHeaderValue(req.headers[name]);
}

function requestPath(req: Request): string | undefined {
  const url = req.originalUrl ?? req.url;
  if (typeof url !== 'string') return undefined;
  const query = url.indexOf('?');
  // The query string is dropped: it can carry tokens (?access_token=...).
  return query === -1 ? url : url.slice(0, query);
}

function describeRequest(req: Request, trustProxy: boolean): HttpRequestContext {
  const ip = normalizeIp(
    (trustProxy ? firstForwardedFor(req.headers['x-forwarded-for']) : undefined) ?? req.socket?.remoteAddress,
  );
  return {
    client: { ip, userAgent: header(req, 'user-agent') },
    http: {
      method: req.method,
      path: requestPath(req),
      origin: header(req, 'origin'),
      host: header(req, 'host'),
    },
  };
}

function serverInfoFrom(options: HttpLoggerOptions): ServerInfo | undefined {
  if (
    options.serverName === undefined &&
    options.serverVersion === undefined &&
    options.instance === undefined
  )
    return undefined;
  return { name: options.serverName, version: options.serverVersion, instance: options.instance };
}

function chunkText(chunk: unknown): string | undefined {
  if (typeof chunk === 'string') return chunk;
  if (chunk instanceof Uint8Array)
    return Buffer.from(
      chunk.buffer,
      chunk.byteOffset,
      Math.min(chunk.byteLength, SNIFF_LIMIT_BYTES),
    ).toString('utf8');
  return undefined;
}

/** Keeps the first bytes of error responses (cheap: one status check per write otherwise). */
function sniffBody(res: ServerResponse, state: RequestState): void {
  const capture = (chunk: unknown): void => {
    if (!SNIFFED_STATUSES.has(res.statusCode)) return;
    const have = state.body?.length ?? 0;
    if (have >= SNIFF_LIMIT_BYTES) return;
    const text = chunkText(chunk);
    if (text) state.body = ((state.body ?? '') + text).slice(0, SNIFF_LIMIT_BYTES);
  };
  const writeHead = res.writeHead;
  res.writeHead = function writeHeadObserved(this: ServerResponse, ...args: unknown[]) {
    try {
      const challenge = challengeInWriteHeadArgs(args);
      if (challenge !== undefined) state.challenge = challenge;
    } catch {
      // observation only
    }
    return (writeHead as (...args: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['writeHead'];
  const write = res.write;
  const end = res.end;
  res.write = function writeSniffed(this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    try {
      capture(chunk);
    } catch {
      // observation only
    }
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse['write'];
  res.end = function endSniffed(this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    try {
      if (typeof chunk !== 'function') capture(chunk);
    } catch {
      // observation only
    }
    return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse['end'];
}

interface BodyError {
  code?: number;
  message?: string;
  /** OAuth error code (RFC 6750 body), e.g. invalid_token. */
  oauthError?: string;
}

function parseBodyError(body: string | undefined): BodyError | undefined {
  if (!body) return undefined;
  try {
    const parsed = JSON.parse(body) as unknown;
    if (parsed === null || typeof parsed !== 'object') return undefined;
    const record = parsed as Record<string, unknown>;
    const error = record.error;
    if (typeof error === 'string') return { oauthError: error };
    if (error !== null && typeof error === 'object') {
      const rpc = error as Record<string, unknown>;
      return {
        code: typeof rpc.code === 'number' ? rpc.code : undefined,
        message: typeof rpc.message === 'string' ? rpc.message : undefined,
      };
    }
    return undefined;
  } catch {
    // A body cut at the sniff limit: read the fields directly (bounded, linear patterns).
    const code = /"code"\s*:\s*(-?\d{1,6})/.exec(body)?.[1];
    const message = /"message"\s*:\s*"((?:[^"\\]|\\.){0,300})"/.exec(body)?.[1];
    if (code === undefined && message === undefined) return undefined;
    return { code: code === undefined ? undefined : Number(code), message };
  }
}

/** writeHead(status, [message], headers): headers as an object, [name, value] pairs or a flat list. */
function challengeInWriteHeadArgs(args: unknown[]): string | undefined {
  const headers = args[args.length - 1];
  if (headers === null || typeof headers !== 'object') return undefined;
  if (Array.isArray(headers)) {
    const flat = headers.flat() as unknown[];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      if (String(flat[i]).toLowerCase() === 'www-authenticate') return String(flat[i + 1]);
    }
    return undefined;
  }
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'www-authenticate')
      return Array.isArray(value) ? value.join(', ') : String(value);
  }
  return undefined;
}

function wwwAuthenticateError(res: ServerResponse, state: RequestState): string | undefined {
  const value = res.getHeader('www-authenticate') ?? state.challenge;
  const text = Array.isArray(value) ? value.join(', ') : typeof value === 'string' ? value : undefined;
  if (!text) return undefined;
  return /\berror\s*=\s*"?([A-Za-z0-9_.-]{1,64})/.exec(text)?.[1];
}

/** Why a 403 happened: our guard's mark, the bearer challenge, or the SDK's Host/Origin check message. */
function forbiddenReason(res: ServerResponse, state: RequestState, bodyError: BodyError | undefined): string {
  if (state.rejection) return state.rejection;
  const challenge = wwwAuthenticateError(res, state);
  if (challenge) return challenge;
  if (bodyError?.oauthError) return bodyError.oauthError;
  const message = bodyError?.message ?? '';
  if (/^Invalid Origin/i.test(message)) return 'invalid_origin';
  if (/^(?:Invalid|Missing) Host/i.test(message)) return 'invalid_host';
  return 'forbidden';
}

function principalOf(req: Request): PrincipalInfo {
  const fromHeader = principalFromAuthorizationHeader(req.headers.authorization);
  const auth = req.auth;
  if (auth !== null && typeof auth === 'object') return { ...principalFromAuthInfo(auth), ...fromHeader };
  return fromHeader;
}

function buildEvent(
  kind: EventKind,
  req: Request,
  res: ServerResponse,
  state: RequestState,
  server: ServerInfo | undefined,
): CanonicalEvent {
  const session = header(req, 'mcp-session-id') ?? firstHeaderValue(res.getHeader('mcp-session-id'));
  return {
    v: 1,
    event: kind,
    time: isoTime(state.startWall),
    server,
    transport: 'streamable-http',
    session,
    client: state.context.client,
    principal: principalOf(req),
    http: { ...state.context.http, status: res.statusCode },
  };
}

/** The event (if any) a finished request stands for. */
function eventForResponse(
  req: Request,
  res: ServerResponse,
  state: RequestState,
  server: ServerInfo | undefined,
): CanonicalEvent | undefined {
  const status = res.statusCode;
  if (status === 401) {
    const bodyError = parseBodyError(state.body);
    const event = buildEvent('mcp.auth', req, res, state, server);
    event.auth = {
      outcome: 'failure',
      reason: wwwAuthenticateError(res, state) ?? bodyError?.oauthError ?? 'unauthorized',
    };
    return event;
  }
  if (status === 403) {
    const event = buildEvent('mcp.auth', req, res, state, server);
    event.auth = { outcome: 'denied', reason: forbiddenReason(res, state, parseBodyError(state.body)) };
    return event;
  }
  if (status === 429) return buildEvent('mcp.ratelimit', req, res, state, server);
  if (TRANSPORT_ERROR_STATUSES.has(status)) {
    const bodyError = parseBodyError(state.body);
    if (bodyError?.code === undefined) return undefined;
    const event = buildEvent('mcp.call', req, res, state, server);
    event.error = {
      code: bodyError.code,
      message:
        bodyError.message === undefined ? undefined : redactSecretsInText(bodyError.message.slice(0, 300)),
    };
    return event;
  }
  if (req.method === 'DELETE' && status >= 200 && status < 300 && header(req, 'mcp-session-id')) {
    const event = buildEvent('mcp.session', req, res, state, server);
    event.rpc = { method: 'DELETE' };
    return event;
  }
  return undefined;
}

function createLogger(options: HttpLoggerOptions): { emitter: Emitter; middleware: HttpMiddleware } {
  const emitter = createEmitter({ write: options.write, now: options.now });
  const server = serverInfoFrom(options);
  const trustProxy = options.trustProxy === true;

  const middleware: HttpMiddleware = (rawReq, res, next) => {
    const req = rawReq as Request;
    let state: RequestState | undefined;
    try {
      state = { context: describeRequest(req, trustProxy), startWall: emitter.wallClock(), finished: false };
      (req as unknown as Record<symbol, unknown>)[STATE] = state;
      sniffBody(res, state);
      const settled = state;
      const finish = (): void => {
        if (settled.finished) return;
        settled.finished = true;
        emitter.guard(() => {
          const event = eventForResponse(req, res, settled, server);
          if (event) emitter.emit(event);
        });
      };
      res.once('finish', finish);
      res.once('close', finish);
    } catch {
      emitter.stats.internalErrors++;
    }
    return state ? httpRequestContext.run(state.context, next) : next();
  };
  return { emitter, middleware };
}

/** Express / connect middleware writing mcp.auth, mcp.ratelimit, transport-error mcp.call and DELETE mcp.session events. Mount it first. */
export function mcpHttpLogger(options: HttpLoggerOptions = {}): HttpMiddleware {
  return createLogger(options).middleware;
}

/** The same for a plain node:http request handler. */
export function withMcpHttpLogging(
  handler: (req: IncomingMessage, res: ServerResponse) => unknown,
  options: HttpLoggerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => unknown {
  const { middleware } = createLogger(options);
  return (req, res) => middleware(req, res, () => handler(req, res));
}

function normalizeOrigin(origin: string): string {
  const lowered = origin.trim().toLowerCase();
  // A loop, not /\/+$/: that regex retries from every slash of a long run (quadratic on hostile input).
  let end = lowered.length;
  while (end > 0 && lowered.charCodeAt(end - 1) === 0x2f) end--;
  return lowered.slice(0, end);
}

function hostAllowed(hostHeader: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (!hostHeader) return false;
  const host = hostHeader.trim().toLowerCase();
  if (allowed.has(host)) return true;
  try {
    return allowed.has(new URL(`http://${host}`).hostname);
  } catch {
    return false;
  }
}

/**
 * DNS-rebinding protection: rejects requests whose Origin or Host is not allowed with 403 and a
 * JSON-RPC error, and records an `mcp.auth` denial with reason invalid_origin / invalid_host
 * (through mcpHttpLogger when it is mounted before, otherwise with its own writer).
 */
export function originGuard(options: OriginGuardOptions): HttpMiddleware {
  const origins = options.allowedOrigins ? new Set(options.allowedOrigins.map(normalizeOrigin)) : undefined;
  const hosts = options.allowedHosts
    ? new Set(options.allowedHosts.map((host) => host.trim().toLowerCase()))
    : undefined;
  const allowMissingOrigin = options.allowMissingOrigin !== false;
  let ownEmitter: Emitter | undefined;
  const server = serverInfoFrom(options);
  const trustProxy = options.trustProxy === true;

  return (rawReq, res, next) => {
    const req = rawReq as Request;
    let reason: string | undefined;
    if (hosts && !hostAllowed(header(req, 'host'), hosts)) reason = 'invalid_host';
    else if (origins) {
      const origin = header(req, 'origin');
      if (origin === undefined ? !allowMissingOrigin : !origins.has(normalizeOrigin(origin)))
        reason = 'invalid_origin';
    }
    if (reason === undefined) return next();

    const loggerState = (req as unknown as Record<symbol, unknown>)[STATE] as RequestState | undefined;
    res.statusCode = 403;
    res.setHeader('content-type', 'application/json');
    const message =
      reason === 'invalid_host' ? 'Forbidden: Host not allowed' : 'Forbidden: Origin not allowed';
    if (loggerState) {
      loggerState.rejection = reason;
    } else {
      ownEmitter ??= createEmitter({ write: options.write, now: options.now });
      const emitter = ownEmitter;
      emitter.guard(() => {
        const state: RequestState = {
          context: describeRequest(req, trustProxy),
          startWall: emitter.wallClock(),
          finished: true,
        };
        const event = buildEvent('mcp.auth', req, res, state, server);
        event.auth = { outcome: 'denied', reason };
        emitter.emit(event);
      });
    }
    res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
    return undefined;
  };
}
