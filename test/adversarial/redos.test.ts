/**
 * ReDoS: every regular expression of the code that reads untrusted input (functions/engine,
 * adapters, handlers, cli, and the patterns the secrets catalogue builds at runtime) goes through
 * recheck; a vulnerable one fails the suite. recheck takes seconds per pattern, so verdicts are
 * kept in redos-verdicts.json keyed by the pattern's exact source and flags: a new or changed
 * pattern is analysed here, in every run, until its verdict is recorded. `REDOS_FULL=1` re-analyses
 * every pattern; `REDOS_UPDATE=1` writes the verdicts back to the file (commit it).
 * "unknown" (recheck ran out of time) is recorded and listed, not failed: those patterns are
 * prefix-anchored with bounded repetition, which the linear-time scans in secrets.ts rely on.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { check } from 'recheck';
import { describe, expect, it } from 'vitest';
import { engineRegexes, type FoundRegex } from './support/engine-regexes.js';

const VERDICTS = new URL('./redos-verdicts.json', import.meta.url);
const PARAMS = { randomSeed: 20261207, timeout: 2000, maxIteration: 2, incubationLimit: 5000, attackLimit: 200_000, maxAttackStringSize: 20_000, maxRecallStringSize: 20_000, recallLimit: 200_000 } as const;
const FULL = process.env.REDOS_FULL === '1';

interface Verdict {
  readonly status: 'safe' | 'vulnerable' | 'unknown';
  readonly where: string;
  readonly source: string;
  readonly detail?: string;
}

const idOf = (r: FoundRegex) => createHash('sha256').update(`${r.source}\u0000${r.flags}`).digest('hex').slice(0, 24);

describe('ReDoS check of every engine regex (recheck)', () => {
  it('no regex is vulnerable', async () => {
    const recorded = JSON.parse(readFileSync(VERDICTS, 'utf8')) as Record<string, Verdict>;
    const found = engineRegexes();
    expect(found.length).toBeGreaterThan(150);
    const verdicts: Record<string, Verdict> = {};
    let analysed = 0;
    for (const r of found) {
      const id = idOf(r);
      if (verdicts[id]) continue;
      const known = recorded[id];
      if (known && !FULL) {
        verdicts[id] = { ...known, where: r.where };
        continue;
      }
      analysed++;
      // The g/y flags only change where matching starts; recheck analyses an unanchored match.
      const d = await check(r.source, r.flags.replace(/[gy]/g, ''), PARAMS);
      const detail = d.status === 'vulnerable' ? `${d.complexity.type}: ${d.attack.pattern}` : d.status === 'unknown' ? d.error.kind : undefined;
      verdicts[id] = { status: d.status, where: r.where, source: r.source, ...(detail !== undefined ? { detail } : {}) };
    }
    if (process.env.REDOS_UPDATE === '1') writeFileSync(VERDICTS, `${JSON.stringify(Object.fromEntries(Object.entries(verdicts).sort(([a], [b]) => a.localeCompare(b))), null, 2)}\n`);
    const vulnerable = Object.values(verdicts).filter((v) => v.status === 'vulnerable').map((v) => `${v.where} /${v.source}/ ${v.detail ?? ''}`);
    expect(vulnerable).toEqual([]);
    // Every pattern has a verdict, and most were proven safe (not just unknown).
    const safe = Object.values(verdicts).filter((v) => v.status === 'safe').length;
    expect(safe / Object.keys(verdicts).length).toBeGreaterThan(0.6);
    expect(analysed).toBeGreaterThanOrEqual(0);
  }, 600_000);
});
