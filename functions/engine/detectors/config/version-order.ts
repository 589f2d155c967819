/**
 * Ordering of server versions (semver, with or without a leading `v`, missing minor/patch as 0) and
 * of MCP protocol versions (dates, `YYYY-MM-DD`, which order as strings).
 */

interface SemVer {
  readonly core: readonly [number, number, number];
  /** Pre-release identifiers (`1.2.0-rc.1` → ['rc', '1']); empty for a release. */
  readonly pre: readonly string[];
}

const SEMVER =
  /^v?(\d{1,9})(?:\.(\d{1,9}))?(?:\.(\d{1,9}))?(?:-([0-9A-Za-z.-]{1,64}))?(?:\+[0-9A-Za-z.-]{1,64})?$/;
const PROTOCOL_VERSION = /^\d{4}-\d{2}-\d{2}$/;
const NUMERIC = /^\d{1,9}$/;

function parseSemVer(version: string): SemVer | undefined {
  const m = SEMVER.exec(version.trim());
  if (m === null) return undefined;
  return {
    core: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)],
    pre: m[4] !== undefined ? m[4].split('.') : [],
  };
}

function comparePre(a: readonly string[], b: readonly string[]): number {
  // A release ranks above any of its pre-releases.
  if (a.length === 0 || b.length === 0) return a.length === 0 ? (b.length === 0 ? 0 : 1) : -1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x === y) continue;
    const xn = NUMERIC.test(x);
    const yn = NUMERIC.test(y);
    if (xn && yn) return Number(x) - Number(y) < 0 ? -1 : 1;
    if (xn !== yn) return xn ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return Math.sign(a.length - b.length);
}

/** -1, 0 or 1 when both are semantic versions; undefined when either is not (no order is assumed). */
export function compareVersions(a: string, b: string): number | undefined {
  const x = parseSemVer(a);
  const y = parseSemVer(b);
  if (x === undefined || y === undefined) return undefined;
  for (let i = 0; i < 3; i++) {
    const d = (x.core[i] as number) - (y.core[i] as number);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return comparePre(x.pre, y.pre);
}

/** Whether `value` is an MCP protocol version (a date): those compare correctly as strings. */
export function isProtocolVersion(value: string): boolean {
  return PROTOCOL_VERSION.test(value);
}
