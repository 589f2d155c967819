/**
 * Where a URL or host string really points, the way URL parsers and resolvers read it (WHATWG URL
 * host parsing, inet_aton): so `http://0xA9FEA9FE/`, `http://2852039166/`, `http://0251.254.169.254/`,
 * `http://127.1/`, `http://[::ffff:a9fe:a9fe]/`, `http://good.example@169.254.169.254/`,
 * `http://metadata.google.internal./` and `http://169.254.169.254.nip.io/` are all recognised for
 * what they reach. Used by API-SSRF; pure and bounded.
 *
 * Not knowable from a log line: a public name whose DNS answers with an internal address (DNS
 * rebinding), and redirects from a public URL to an internal one.
 */
import { parseIpv6 } from './ip.js';

export type AddressClass =
  | 'metadata'
  | 'loopback'
  | 'unspecified'
  | 'private'
  | 'link-local'
  | 'cgnat'
  | 'unique-local'
  | 'internal-name'
  | 'public';

/** How the address was written when it was not plain dotted-quad / plain IPv6. */
export type AddressForm =
  | 'decimal'
  | 'hex'
  | 'octal'
  | 'short'
  | 'ipv4-mapped'
  | 'ipv4-compatible'
  | 'nat64'
  | '6to4'
  | 'wildcard-dns'
  | 'percent-encoded'
  | 'unicode';

export interface HostClassification {
  readonly class: AddressClass;
  /** The host lowercased, decoded, without brackets and trailing dot. */
  readonly host: string;
  /** Canonical IP (dotted quad for IPv4, including IPv4 embedded in IPv6) when the host is an IP. */
  readonly ip?: string;
  /** Obfuscations used to write it, in the order they were undone. */
  readonly forms: readonly AddressForm[];
}

export interface UrlTarget {
  /** Lowercase scheme; `jar` / `netdoc` wrappers win over the inner scheme. */
  readonly scheme: string;
  /** Raw host as written (may be empty for `file:`). */
  readonly host: string;
  /** Path and beyond, up to the first blank (at most 256 chars). */
  readonly path: string;
  /** Userinfo was present (`user@host`), a classic parser-confusion trick. */
  readonly userinfo: boolean;
}

const METADATA_V4 = new Set(['169.254.169.254', '169.254.170.2', '169.254.170.23', '100.100.100.200']);
const METADATA_V6 = new Set(['fd00:ec2:0:0:0:0:0:254', 'fd00:ec2:0:0:0:0:0:23']);
const METADATA_NAMES = new Set([
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
]);
const LOOPBACK_NAMES = new Set([
  'localhost',
  'ip6-localhost',
  'ip6-loopback',
  'localtest.me',
  'lvh.me',
  'vcap.me',
  'localhost.direct',
]);
const LOOPBACK_SUFFIXES = ['.localhost', '.localtest.me', '.lvh.me', '.vcap.me', '.localhost.direct'];
const INTERNAL_SUFFIXES = [
  '.internal',
  '.local',
  '.localdomain',
  '.home.arpa',
  '.cluster.local',
  '.svc',
  '.intranet',
  '.lan',
];
const WILDCARD_DNS =
  /(?:^|[.-])(\d{1,3})[.-](\d{1,3})[.-](\d{1,3})[.-](\d{1,3})\.(?:nip\.io|sslip\.io|xip\.io)$/;

const MAX_HOST = 255;

/** IPv4 bytes as written by inet_aton / WHATWG: 1–4 parts, each decimal, 0x-hex or 0-octal. */
export function parseLenientIpv4(host: string): { bytes: number[]; forms: AddressForm[] } | undefined {
  if (host.length === 0 || host.length > 64) return undefined;
  const parts = host.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 0 || parts.length > 4) return undefined;
  const forms = new Set<AddressForm>();
  const values: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0x[0-9a-f]{0,8}$/i.test(part)) {
      value = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
      forms.add('hex');
    } else if (/^0[0-7]{1,11}$/.test(part)) {
      value = parseInt(part, 8);
      forms.add('octal');
    } else if (/^\d{1,10}$/.test(part) && !(part.length > 1 && part.startsWith('0'))) {
      value = Number(part);
    } else {
      return undefined;
    }
    values.push(value);
  }
  const last = values[values.length - 1] as number;
  for (let i = 0; i < values.length - 1; i++) if ((values[i] as number) > 255) return undefined;
  if (last >= 256 ** (5 - values.length)) return undefined;
  let n = last;
  for (let i = 0; i < values.length - 1; i++) n += (values[i] as number) * 256 ** (3 - i);
  if (values.length === 1) {
    if (!forms.has('hex') && !forms.has('octal')) forms.add('decimal');
  } else if (values.length < 4) forms.add('short');
  return { bytes: [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255], forms: [...forms] };
}

function classifyV4(b: readonly number[]): AddressClass {
  const [a = 0, c = 0] = b;
  const dotted = b.join('.');
  if (METADATA_V4.has(dotted)) return 'metadata';
  if (a === 0) return 'unspecified';
  if (a === 127) return 'loopback';
  if (
    a === 10 ||
    (a === 172 && c >= 16 && c <= 31) ||
    (a === 192 && c === 168) ||
    (a === 192 && c === 0 && b[2] === 0)
  )
    return 'private';
  if (a === 169 && c === 254) return 'link-local';
  if (a === 100 && c >= 64 && c <= 127) return 'cgnat';
  return 'public';
}

function classifyV6(bytes: Uint8Array, forms: AddressForm[]): { class: AddressClass; ip: string } {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(((bytes[i * 2] as number) << 8) | (bytes[i * 2 + 1] as number));
  const v4 = (from: number): number[] =>
    [bytes[from], bytes[from + 1], bytes[from + 2], bytes[from + 3]] as number[];
  const zeros = (n: number): boolean => words.slice(0, n).every((w) => w === 0);
  let embedded: number[] | undefined;
  if (zeros(5) && words[5] === 0xffff) {
    embedded = v4(12);
    forms.push('ipv4-mapped');
  } else if (words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((w) => w === 0)) {
    embedded = v4(12);
    forms.push('nat64');
  } else if (words[0] === 0x2002) {
    embedded = v4(2);
    forms.push('6to4');
  } else if (zeros(6) && (words[6] !== 0 || (words[7] as number) > 1)) {
    embedded = v4(12);
    forms.push('ipv4-compatible');
  }
  if (embedded) return { class: classifyV4(embedded), ip: embedded.join('.') };
  const ip = words.map((w) => w.toString(16)).join(':');
  if (METADATA_V6.has(ip)) return { class: 'metadata', ip };
  if (words.every((w) => w === 0)) return { class: 'unspecified', ip };
  if (zeros(7) && words[7] === 1) return { class: 'loopback', ip };
  const first = words[0] as number;
  if ((first & 0xffc0) === 0xfe80) return { class: 'link-local', ip };
  if ((first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfec0) return { class: 'unique-local', ip };
  return { class: 'public', ip };
}

function percentDecode(text: string): string {
  return text.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** What a host (as written in a URL authority or a host argument) points at. */
export function classifyHost(raw: string): HostClassification {
  const forms: AddressForm[] = [];
  let host = raw.length > MAX_HOST ? raw.slice(0, MAX_HOST) : raw;
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    host = host.slice(1, close < 0 ? undefined : close);
  }
  if (host.includes('%') && !host.includes(':')) {
    const decoded = percentDecode(host);
    if (decoded !== host) forms.push('percent-encoded');
    host = decoded;
  }
  // WHATWG maps full-width digits and ideographic full stops (IDNA/NFKC) before parsing the host.
  if (/[\u0080-\uffff]/.test(host)) {
    const mapped = host.normalize('NFKC').replace(/[\u3002\uff0e\uff61]/g, '.');
    if (mapped !== host) forms.push('unicode');
    host = mapped;
  }
  host = host.toLowerCase();
  if (host.endsWith('.') && host.length > 1) host = host.slice(0, -1);
  if (host.includes(':')) {
    const bytes = parseIpv6(host);
    if (bytes) {
      const v6 = classifyV6(bytes, forms);
      return { class: v6.class, host, ip: v6.ip, forms };
    }
    return { class: 'public', host, forms };
  }
  const v4 = parseLenientIpv4(host);
  if (v4)
    return { class: classifyV4(v4.bytes), host, ip: v4.bytes.join('.'), forms: [...forms, ...v4.forms] };
  if (METADATA_NAMES.has(host)) return { class: 'metadata', host, forms };
  const wildcard = WILDCARD_DNS.exec(host);
  if (wildcard) {
    const bytes = wildcard.slice(1, 5).map(Number);
    if (bytes.every((b) => b <= 255))
      return { class: classifyV4(bytes), host, ip: bytes.join('.'), forms: [...forms, 'wildcard-dns'] };
  }
  if (LOOPBACK_NAMES.has(host) || LOOPBACK_SUFFIXES.some((s) => host.endsWith(s))) {
    const viaWildcard = host !== 'localhost' && !host.endsWith('.localhost') && !host.startsWith('ip6-');
    return { class: 'loopback', host, forms: viaWildcard ? [...forms, 'wildcard-dns'] : forms };
  }
  if (INTERNAL_SUFFIXES.some((s) => host.endsWith(s)) || host === 'kubernetes.default')
    return { class: 'internal-name', host, forms };
  return { class: 'public', host, forms };
}

/** One UTF-16 code unit that `/\s/` matches (ECMAScript white space and line terminators). */
function isJsSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** `/[\s"'<>`]/`: where a path ends. */
function endsPath(c: number): boolean {
  return c === 34 || c === 39 || c === 60 || c === 62 || c === 96 || isJsSpace(c);
}

/** `/[/?#\\\s"'<>`]/`: where an authority ends. */
function endsAuthority(c: number): boolean {
  return c === 47 || c === 63 || c === 35 || c === 92 || endsPath(c);
}

/** `/[A-Za-z0-9+.-]/`. */
function isSchemeChar(c: number): boolean {
  return ((c | 32) - 97) >>> 0 < 26 || (c - 48) >>> 0 < 10 || c === 43 || c === 46 || c === 45;
}
// Schemes that do not need "//": Java's jar:/netdoc:, PHP wrappers, file:/path.
const OPAQUE_SCHEME = /\b(jar|netdoc|file|php|phar|expect|gopher|dict|ldap|tftp):(?!\/\/)(?=[^\s])/gi;
const OPAQUE_HINT = /jar:|netdoc:|file:|php:|phar:|expect:|gopher:|dict:|ldap:|tftp:/i;

/** URLs in `text` (at most `max`), with their scheme, raw host and path. */
export function extractUrlTargets(text: string, max = 8): UrlTarget[] {
  const out: UrlTarget[] = [];
  for (let at = text.indexOf('://'); at >= 0 && out.length < max; at = text.indexOf('://', at + 3)) {
    let start = at;
    while (start > 0 && at - start < 16 && isSchemeChar(text.charCodeAt(start - 1))) start--;
    if (start === at || !/[A-Za-z]/.test(text.charAt(start))) continue;
    let scheme = text.slice(start, at).toLowerCase();
    const wrapper = /(?:^|[^A-Za-z0-9])(jar|netdoc):$/i.exec(text.slice(Math.max(0, start - 8), start));
    if (wrapper) scheme = (wrapper[1] as string).toLowerCase();
    let end = at + 3;
    while (end < text.length && end - at < 512 && !endsAuthority(text.charCodeAt(end))) end++;
    const authority = text.slice(at + 3, end);
    const atSign = authority.lastIndexOf('@');
    const hostPort = atSign >= 0 ? authority.slice(atSign + 1) : authority;
    out.push({ scheme, host: hostOf(hostPort), path: pathAt(text, end), userinfo: atSign >= 0 });
  }
  if (out.length < max && OPAQUE_HINT.test(text)) {
    OPAQUE_SCHEME.lastIndex = 0;
    for (let m = OPAQUE_SCHEME.exec(text); m !== null && out.length < max; m = OPAQUE_SCHEME.exec(text)) {
      const scheme = (m[1] as string).toLowerCase();
      const rest = pathAt(text, m.index + m[0].length);
      // jar:http://… was handled above with its inner authority; keep only opaque forms here.
      if (rest.includes('://') && (scheme === 'jar' || scheme === 'netdoc')) continue;
      out.push({ scheme, host: '', path: rest, userinfo: false });
    }
  }
  return out;
}

/** Host of `host[:port]` or `[v6]:port`. */
export function hostOf(hostPort: string): string {
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    return close < 0 ? hostPort : hostPort.slice(0, close + 1);
  }
  const colon = hostPort.indexOf(':');
  // A bare IPv6 written without brackets (several colons) stays whole.
  if (colon >= 0 && hostPort.indexOf(':', colon + 1) >= 0) return hostPort;
  return colon >= 0 ? hostPort.slice(0, colon) : hostPort;
}

function pathAt(text: string, from: number): string {
  let end = from;
  while (end < text.length && end - from < 256 && !endsPath(text.charCodeAt(end))) end++;
  return text.slice(from, end);
}
