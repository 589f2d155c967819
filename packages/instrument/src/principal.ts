/**
 * Who made a request, as far as the server can tell — never the credential itself. A token is
 * represented by `tokenFp`, the first 16 hex characters of its SHA-256 (log-format.md).
 */
import { createHash } from 'node:crypto';
import type { PrincipalInfo } from './event.js';

const fingerprintCache = new Map<string, string>();
const FINGERPRINT_CACHE_LIMIT = 256;

export function tokenFingerprint(token: string): string {
  let fp = fingerprintCache.get(token);
  if (fp === undefined) {
    fp = createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 16);
    // Clients reuse one token for many calls; a small bounded cache avoids hashing each time.
    if (fingerprintCache.size >= FINGERPRINT_CACHE_LIMIT) fingerprintCache.clear();
    fingerprintCache.set(token, fp);
  }
  return fp;
}

/** The credential in an Authorization header value (the part after the scheme), if any. */
export function credentialFromAuthorizationHeader(header: unknown): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const space = trimmed.indexOf(' ');
  const credential = space === -1 ? trimmed : trimmed.slice(space + 1).trim();
  return credential === '' ? undefined : credential;
}

/** Principal from an Authorization header alone (no verification happened or it failed). */
export function principalFromAuthorizationHeader(header: unknown): PrincipalInfo {
  const credential = credentialFromAuthorizationHeader(header);
  return credential === undefined
    ? { tokenPresent: false }
    : { tokenPresent: true, tokenFp: tokenFingerprint(credential) };
}

/** The SDK's AuthInfo, structurally (see @modelcontextprotocol/sdk server/auth/types). */
export interface AuthInfoLike {
  token?: unknown;
  clientId?: unknown;
  scopes?: unknown;
  resource?: unknown;
  extra?: unknown;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function audienceOf(
  authInfo: AuthInfoLike,
  extra: Record<string, unknown> | undefined,
): string | string[] | undefined {
  const aud = extra?.aud;
  if (typeof aud === 'string' && aud !== '') return aud;
  if (Array.isArray(aud)) {
    const values = aud.filter((item): item is string => typeof item === 'string');
    if (values.length > 0) return values;
  }
  const resource = authInfo.resource;
  if (resource instanceof URL) return resource.href;
  return stringOrUndefined(resource);
}

/** Principal from the SDK's verified `authInfo` (request handler `extra.authInfo`). */
export function principalFromAuthInfo(authInfo: AuthInfoLike): PrincipalInfo {
  const extra =
    authInfo.extra !== null && typeof authInfo.extra === 'object'
      ? (authInfo.extra as Record<string, unknown>)
      : undefined;
  const clientId = stringOrUndefined(authInfo.clientId);
  const token = stringOrUndefined(authInfo.token);
  const scopes = Array.isArray(authInfo.scopes)
    ? authInfo.scopes.filter((scope): scope is string => typeof scope === 'string')
    : undefined;
  return {
    sub: stringOrUndefined(extra?.sub) ?? clientId,
    clientId,
    scopes,
    tokenPresent: token !== undefined,
    tokenFp: token === undefined ? undefined : tokenFingerprint(token),
    iss: stringOrUndefined(extra?.iss),
    aud: audienceOf(authInfo, extra),
  };
}
