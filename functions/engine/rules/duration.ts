/** Sigma timespans: `30s`, `5m`, `1h`, `2d` → milliseconds (undefined when malformed). */
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function timespanMs(text: string): number | undefined {
  const m = /^([1-9][0-9]{0,6})([smhd])$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * (UNIT_MS[m[2] as string] as number);
}
