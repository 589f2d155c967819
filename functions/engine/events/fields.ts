/**
 * Typed reads of untrusted JSON for the format converters: a field of the wrong type reads as
 * `undefined` (the converter then drops it), never as an exception. Strings are bounded.
 */

export type JsonObject = Record<string, unknown>;

/** Longest name-like value kept (tool, method, server, session…); longer ones are cut. */
export const MAX_NAME_CHARS = 512;
/** Longest free-text value kept (error messages, auth reasons). */
export const MAX_MESSAGE_CHARS = 1024;

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

/** A non-empty string, cut to `max` characters. */
export function asString(value: unknown, max = MAX_NAME_CHARS): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  return value.length > max ? value.slice(0, max) : value;
}

/** A finite number, also from a numeric string (`"401"`, `"12.5"`). */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 32) return undefined;
  const n = Number(value);
  return Number.isFinite(n) && value.trim() === value ? n : undefined;
}

/** An HTTP status: an integer 100–599, also from a string. */
export function asHttpStatus(value: unknown): number | undefined {
  const n = asNumber(value);
  return n !== undefined && Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

/**
 * The client address without its port: `10.0.0.1:5432` → `10.0.0.1`, `[2001:db8::1]:443` →
 * `2001:db8::1`; a bare IPv4 or IPv6 address is returned as is.
 */
export function stripPort(address: string): string {
  if (address.charCodeAt(0) === 91 /* [ */) {
    const close = address.indexOf(']');
    return close > 1 ? address.slice(1, close) : address;
  }
  const colon = address.indexOf(':');
  // One colon: IPv4 or host with a port. Several: a bare IPv6 address.
  if (colon > 0 && address.indexOf(':', colon + 1) === -1) return address.slice(0, colon);
  return address;
}

/** Known log group prefixes whose remainder names the workload: `/aws/lambda/<function>`. */
const LOG_GROUP_PREFIXES = ['/aws/lambda/', '/aws/apigateway/', '/aws/ecs/', '/ecs/', '/aws/vendedlogs/'];

/**
 * The server name a log group stands for when the line names none: the function name of
 * `/aws/lambda/<fn>` (likewise for `/aws/apigateway/`, `/aws/ecs/`, `/ecs/`, `/aws/vendedlogs/`),
 * otherwise the log group name without its leading `/`.
 */
export function serverNameFromLogGroup(logGroup: string | undefined): string | undefined {
  if (logGroup === undefined || logGroup.length === 0) return undefined;
  for (const prefix of LOG_GROUP_PREFIXES) {
    if (logGroup.startsWith(prefix)) return asString(logGroup.slice(prefix.length));
  }
  return asString(logGroup.charCodeAt(0) === 47 ? logGroup.slice(1) : logGroup);
}
