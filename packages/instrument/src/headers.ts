/** Small helpers for reading HTTP header values as the SDK and node:http present them. */

/** The first non-empty value of a header that may be repeated (string | string[]). */
export function firstHeaderValue(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : undefined;
}

/** The client end of X-Forwarded-For ("client, proxy1, proxy2"). Trust it only behind your own proxy. */
export function firstForwardedFor(header: unknown): string | undefined {
  const value = firstHeaderValue(header);
  if (value === undefined) return undefined;
  const comma = value.indexOf(',');
  const hop = (comma === -1 ? value : value.slice(0, comma)).trim();
  return hop === '' ? undefined : normalizeIp(hop);
}

/** "::ffff:203.0.113.7" → "203.0.113.7", so one client has one address in the logs. */
export function normalizeIp(address: string | undefined): string | undefined {
  if (!address) return undefined;
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
