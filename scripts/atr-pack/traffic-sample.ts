/**
 * Ordinary MCP traffic for measuring how often a rule's prefilter literals occur: the bench's
 * seeded traffic generator (bench/traffic), normalized like the pipeline does, each event reduced
 * to its folded string leaves.
 */
import { generateTraffic } from '../../bench/traffic/generator.js';
import { Normalizer } from '../../functions/engine/events/normalize.js';
import { fold } from '../../functions/engine/rules/fold.js';

function leaves(value: unknown, out: string[], depth = 0): void {
  if (depth > 12) return;
  if (typeof value === 'string') out.push(fold(value));
  else if (typeof value === 'number' || typeof value === 'boolean') out.push(String(value));
  else if (Array.isArray(value)) for (const v of value) leaves(v, out, depth + 1);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) leaves(v, out, depth + 1);
}

/** The folded text leaves of each event normalized from `lines` generated log lines (seed 42). */
export function trafficEvents(lines: number): string[][] {
  const normalizer = new Normalizer();
  const stats = { lines: 0, attackLines: 0, sessions: 0, attacks: {} };
  for (const line of generateTraffic({ seed: 42, lines }, stats)) {
    normalizer.push({ message: line.message, timestamp: line.t, logGroup: line.logGroup, logStream: line.logStream });
  }
  return [...normalizer.drain(), ...normalizer.flush()].map((e) => {
    const out: string[] = [];
    leaves(e.event, out);
    return out;
  });
}

/** Share of events in which one of the gate's literals occurs (1 when the rule has no gate). */
export function candidateRate(gate: readonly string[] | null, events: readonly (readonly string[])[]): number {
  if (gate === null) return 1;
  if (events.length === 0) return 0;
  let n = 0;
  for (const texts of events) if (texts.some((t) => gate.some((l) => t.includes(l)))) n++;
  return n / events.length;
}
