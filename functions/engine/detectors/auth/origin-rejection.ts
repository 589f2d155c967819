/**
 * Requests refused because of their Origin or Host header (DNS-rebinding protection, MCP
 * Streamable HTTP transport). One definition for AUTH-BAD-ORIGIN, which reports them, and
 * AUTH-PRIV-ESC, which must not count them as authorization denials.
 *
 * A refusal is recognised from:
 * - `auth.reason` `invalid_origin` / `invalid_host` (the project's instrumentation), status 403 or unknown;
 * - an error message of a 403 (or an `mcp.auth` event) naming the header: the MCP SDK's
 *   "Invalid Origin header: …", "Invalid Host header: …", "Invalid Host: …", "Missing Host header",
 *   the instrumentation's "Forbidden: Origin not allowed" / "Forbidden: Host not allowed";
 * - a 403 whose `http.origin` is not in the server's configured `allowedOrigins`, unless the
 *   event names another cause (e.g. `insufficient_scope`).
 */
import type { EngineConfig } from '../../config/schema.js';
import type { McpEvent } from '../../events/schema.js';
import { PerServer } from '../per-server.js';

export type OriginRejectionKind = 'origin' | 'host';

export interface OriginRejection {
  readonly kind: OriginRejectionKind;
  /** The refused Origin (or Host) value when the event carries it, normalised. */
  readonly value: string | undefined;
  /** What recognised it. */
  readonly by: 'reason' | 'message' | 'allowedOrigins';
}

const MESSAGE_SCAN_MAX = 300;
const VALUE_MAX = 256;
const ORIGIN_MESSAGE = /\binvalid origin\b|\borigin (?:header )?not allowed\b/i;
const HOST_MESSAGE = /\b(?:invalid|missing) host\b|\bhost (?:header )?not allowed\b/i;
/** The value the SDK puts after the header name: "Invalid Origin header: https://evil.example". */
const MESSAGE_VALUE = /\binvalid (?:origin|host)(?: header)?: ?([^\s,;]{1,256})/i;
/** Reasons that do not name another cause: a 403 with one of these may be an origin refusal. */
const UNSPECIFIC_REASONS = new Set(['forbidden', 'invalid_origin', 'invalid_host']);
/** A 403 message naming another cause (a scope denial) is not an origin refusal. */
const OTHER_CAUSE_MESSAGE = /\binsufficient[_ ]scope\b/i;

/** Lower-case, without surrounding space or trailing slashes, bounded. */
export function normalizeOrigin(origin: string): string {
  let text = origin.length > VALUE_MAX ? origin.slice(0, VALUE_MAX) : origin;
  text = text.trim().toLowerCase();
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 47 /* '/' */) end--;
  return text.slice(0, end);
}

/**
 * The normalised `allowedOrigins` of every server (undefined where none are configured: no
 * allow-list to check), built once from the config by the detectors' `prepare`.
 */
export function allowedOriginsByServer(config: EngineConfig): PerServer<ReadonlySet<string> | undefined> {
  return new PerServer(config, ({ allowedOrigins }) =>
    allowedOrigins === undefined || allowedOrigins.length === 0 ? undefined : new Set(allowedOrigins.map(normalizeOrigin)),
  );
}

function headerValue(e: McpEvent, kind: OriginRejectionKind, message: string | undefined): string | undefined {
  const fromEvent = kind === 'origin' ? e.http?.origin : e.http?.host;
  if (fromEvent !== undefined) return normalizeOrigin(fromEvent);
  if (message === undefined) return undefined;
  const match = MESSAGE_VALUE.exec(message);
  if (match === null || match[1] === undefined) return undefined;
  // The message names the kind it is about; only take the value when it is about this kind.
  if (!match[0].toLowerCase().includes(kind)) return undefined;
  return normalizeOrigin(match[1]);
}

/**
 * Whether (and why) the event is a request refused for its Origin/Host header. `allowedOrigins`:
 * the server's, from allowedOriginsByServer.
 */
export function originRejection(e: McpEvent, allowedOrigins: ReadonlySet<string> | undefined): OriginRejection | undefined {
  const status = e.http?.status;
  if (status !== undefined && status !== 403) return undefined;
  const rawMessage = e.error?.message;
  const message =
    rawMessage === undefined ? undefined : rawMessage.length > MESSAGE_SCAN_MAX ? rawMessage.slice(0, MESSAGE_SCAN_MAX) : rawMessage;
  const reason = e.auth?.reason;
  if (reason === 'invalid_origin') return { kind: 'origin', value: headerValue(e, 'origin', message), by: 'reason' };
  if (reason === 'invalid_host') return { kind: 'host', value: headerValue(e, 'host', message), by: 'reason' };
  // A tool's own error ("invalid origin parameter") is not a transport refusal: require the 403
  // or an auth decision.
  if (message !== undefined && (status === 403 || e.event === 'mcp.auth')) {
    if (ORIGIN_MESSAGE.test(message)) return { kind: 'origin', value: headerValue(e, 'origin', message), by: 'message' };
    if (HOST_MESSAGE.test(message)) return { kind: 'host', value: headerValue(e, 'host', message), by: 'message' };
  }
  if (status !== 403 || allowedOrigins === undefined) return undefined;
  const origin = e.http?.origin;
  if (origin === undefined) return undefined;
  if (reason !== undefined && !UNSPECIFIC_REASONS.has(reason)) return undefined;
  if (reason === undefined && message !== undefined && OTHER_CAUSE_MESSAGE.test(message)) return undefined;
  const value = normalizeOrigin(origin);
  return allowedOrigins.has(value) ? undefined : { kind: 'origin', value, by: 'allowedOrigins' };
}
