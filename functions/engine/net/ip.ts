/**
 * IP address parsing and CIDR matching for allow-lists and suppressions. Addresses are handled as
 * 16-byte arrays (IPv4 as IPv4-mapped IPv6), so one comparison covers both families.
 */

export type IpBytes = Uint8Array;

/** Strict dotted-quad IPv4 (decimal only). */
export function parseIpv4(text: string): IpBytes | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(16);
  out[10] = 0xff;
  out[11] = 0xff;
  for (let i = 0; i < 4; i++) {
    const part = parts[i] as string;
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    out[12 + i] = n;
  }
  return out;
}

export function parseIpv6(input: string): IpBytes | undefined {
  let text = input;
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  if (!text.includes(':') || text.length > 45) return undefined;
  let tail: IpBytes | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tail = parseIpv4(text.slice(lastColon + 1));
    if (!tail) return undefined;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? (halves[0] as string).split(':') : [];
  const rest = halves.length === 2 && halves[1] ? (halves[1] as string).split(':') : [];
  const groups = head.length + rest.length;
  if (halves.length === 1 ? groups !== 8 : groups > 7) return undefined;
  const words = [...head, ...new Array<string>(8 - groups).fill('0'), ...rest];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const word = words[i] as string;
    if (!/^[0-9a-fA-F]{1,4}$/.test(word)) return undefined;
    const n = parseInt(word, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  }
  if (tail) out.set(tail.subarray(12), 12);
  return out;
}

export function parseIp(text: string): IpBytes | undefined {
  return parseIpv4(text) ?? parseIpv6(text);
}

export interface Cidr {
  readonly network: IpBytes;
  /** Prefix length in the 128-bit space. */
  readonly bits: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const addrText = slash >= 0 ? text.slice(0, slash) : text;
  const v4 = parseIpv4(addrText);
  const addr = v4 ?? parseIpv6(addrText);
  if (!addr) return undefined;
  const max = v4 ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return undefined;
    prefix = Number(p);
    if (prefix > max) return undefined;
  }
  return { network: addr, bits: v4 ? prefix + 96 : prefix };
}

export function cidrContains(cidr: Cidr, ip: IpBytes): boolean {
  const full = cidr.bits >> 3;
  for (let i = 0; i < full; i++) if (cidr.network[i] !== ip[i]) return false;
  const rem = cidr.bits & 7;
  if (rem === 0) return true;
  const mask = (0xff << (8 - rem)) & 0xff;
  return ((cidr.network[full] as number) & mask) === ((ip[full] as number) & mask);
}

/** A list of CIDRs compiled once; `contains` is false for unparseable addresses. */
export class CidrSet {
  private readonly cidrs: Cidr[];

  constructor(texts: readonly string[]) {
    this.cidrs = texts.map((t) => parseCidr(t)).filter((c): c is Cidr => c !== undefined);
  }

  get size(): number {
    return this.cidrs.length;
  }

  contains(ipText: string | undefined): boolean {
    if (ipText === undefined || this.cidrs.length === 0) return false;
    const ip = parseIp(ipText);
    if (!ip) return false;
    return this.cidrs.some((c) => cidrContains(c, ip));
  }
}
