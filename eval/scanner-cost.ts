/**
 * Cost of the instruction scanner (findInstructionOverride, ~15 % of pipeline CPU through
 * API-PROMPT-INJECTION) on the bench traffic's tool results, against a baseline checkout, measured
 * interleaved in one process so the machine's load hits both alike:
 *
 *   git worktree add --detach /tmp/wt-base <commit> && ln -s "$PWD/node_modules" /tmp/wt-base/node_modules
 *   npx tsx eval/scanner-cost.ts --baseline /tmp/wt-base [--lines 30000] [--rounds 40]
 *
 * Prints CPU µs per text of each (medians of the rounds) and the ratio per round (median and
 * quartiles); rounds alternate which side runs first. Compare ratios, never absolute numbers across
 * runs, and run it against a copy of this checkout too (`--baseline` a worktree of HEAD) to see the
 * noise.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateTraffic } from '../bench/traffic/generator.js';
import { findInstructionOverride } from '../functions/engine/text/instruction-override.js';

type Scan = (text: string) => readonly unknown[];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const baselineDir = arg('baseline');
  if (baselineDir === undefined) throw new Error('--baseline DIR (a checkout of the commit to compare with) is required');
  const baseline = (await import(pathToFileURL(resolve(baselineDir, 'functions/engine/text/instruction-override.ts')).href)) as { findInstructionOverride: Scan };
  const lines = Number(arg('lines') ?? 30_000);
  const rounds = Number(arg('rounds') ?? 40);
  const texts: string[] = [];
  for (const line of generateTraffic({ seed: 42, lines })) {
    try {
      const text = (JSON.parse(line.message) as { result?: { text?: unknown } }).result?.text;
      if (typeof text === 'string' && text.length >= 4) texts.push(text.slice(0, 16_384));
    } catch {
      // not JSON: no tool result
    }
  }
  let sink = 0;
  // CPU time of this process, not wall time: the other processes on a shared machine show less.
  const time = (scan: Scan): number => {
    const start = process.cpuUsage();
    for (const t of texts) sink += scan(t).length;
    const used = process.cpuUsage(start);
    return (used.user + used.system) / texts.length;
  };
  const current: Scan = findInstructionOverride;
  for (let w = 0; w < 3; w++) {
    time(baseline.findInstructionOverride);
    time(current);
  }
  const base: number[] = [];
  const mine: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      mine.push(time(current));
      base.push(time(baseline.findInstructionOverride));
    } else {
      base.push(time(baseline.findInstructionOverride));
      mine.push(time(current));
    }
    ratios.push((mine[r] as number) / (base[r] as number));
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
  const sorted = [...ratios].sort((a, b) => a - b);
  const q = (f: number): string => (sorted[Math.floor(f * (sorted.length - 1))] as number).toFixed(3);
  console.log(`${texts.length} tool results; CPU µs/text: baseline ${median(base).toFixed(2)}, this checkout ${median(mine).toFixed(2)}; ratio per round: median ${q(0.5)}, quartiles ${q(0.25)}–${q(0.75)} (matches ${sink})`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
