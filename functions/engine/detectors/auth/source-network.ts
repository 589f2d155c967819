/**
 * The source network of a client address: IPv4 /24 or IPv6 /48 by default (prefixes are
 * configurable). IPv4-mapped IPv6 addresses count as IPv4. Used to tell "the same principal from a
 * new place" without alerting on every DHCP lease change inside one network.
 */
import { parseIpv4, parseIpv6 } from '../../net/ip.js';

const MAX_ADDRESS_LENGTH = 64;

function isV4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

function masked(bytes: Uint8Array, from: number, prefixBits: number): number[] {
  const out: number[] = [];
  const length = bytes.length - from;
  for (let i = 0; i < length; i++) {
    const bitsLeft = prefixBits - i * 8;
    const mask = bitsLeft >= 8 ? 0xff : bitsLeft <= 0 ? 0 : (0xff << (8 - bitsLeft)) & 0xff;
    out.push((bytes[from + i] ?? 0) & mask);
  }
  return out;
}

/** `203.0.113.0/24`, `2001:db8:7::/48`; undefined for a missing or unparseable address. */
export function sourceNetwork(ip: string | undefined, ipv4Prefix = 24, ipv6Prefix = 48): string | undefined {
  if (ip === undefined || ip.length > MAX_ADDRESS_LENGTH) return undefined;
  const v4 = parseIpv4(ip);
  const bytes = v4 ?? parseIpv6(ip);
  if (bytes === undefined) return undefined;
  if (v4 !== undefined || isV4Mapped(bytes)) return `${masked(bytes, 12, ipv4Prefix).join('.')}/${ipv4Prefix}`;
  const words: string[] = [];
  const octets = masked(bytes, 0, ipv6Prefix);
  for (let i = 0; i < 16; i += 2) words.push((((octets[i] ?? 0) << 8) | (octets[i + 1] ?? 0)).toString(16));
  // Shorten the trailing zero groups only (enough for readability; the value is an identity).
  let last = words.length;
  while (last > 0 && words[last - 1] === '0') last--;
  const text = last === words.length ? words.join(':') : `${words.slice(0, last).join(':')}::`;
  return `${text}/${ipv6Prefix}`;
}
