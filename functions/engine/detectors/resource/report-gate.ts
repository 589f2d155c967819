/**
 * When a sustained condition (a slow tool, a saturated instance, an error burst) reports: on entry,
 * when it worsens, and again once per `repeatMs` while it lasts — not on every event. The alert stage
 * folds repeats anyway; the gate keeps findings (and their cost) proportional to incidents.
 */
import type { StateRecord } from '../../state/state-record.js';

/** Stored under one record field: [level reported, time reported]. */
type GateFacts = [number, number];

function isGateFacts(value: unknown): value is GateFacts {
  return (
    Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'number'
  );
}

/**
 * Whether a condition now at `level` (0 = clear, higher = worse) should report at `t`. Clearing
 * re-arms the gate. A dip to a lower non-zero level is not remembered, so a condition flapping
 * around a limit reports its highest level once per `repeatMs`, not on every rise.
 */
export function passGate(
  record: StateRecord,
  field: string,
  level: number,
  t: number,
  repeatMs: number,
): boolean {
  const stored = record.get(field);
  const prev = isGateFacts(stored) ? stored : undefined;
  if (level <= 0) {
    if (prev !== undefined) record.delete(field, t);
    return false;
  }
  if (prev === undefined || level > prev[0] || t - prev[1] >= repeatMs) {
    record.set(field, [level, t] satisfies GateFacts, t);
    return true;
  }
  return false;
}
