/**
 * Sigma correlation rules over the state port, as built-in detectors keep theirs: window counters
 * (event_count), distinct sets (value_count, temporal) and small records (temporal_ordered), keyed
 * by rule id and group-by values (bounded key parts), so a retried or redelivered batch is applied
 * once by the store, and memory is bounded by the store's item caps.
 */
import { KeyCache } from '../state/key-cache.js';
import { keyPart } from '../state/key-part.js';
import type { CounterOptions, DistinctOptions, StateView } from '../state/view.js';
import { timespanMs } from './duration.js';
import type { EventText } from './event-text.js';
import type { CorrelationCondition, CorrelationType, SigmaCorrelationRule } from './types.js';
import { RuleCompileError } from './values.js';

/** Longest timespan: state lives at most this long. */
const MAX_TIMESPAN_MS = 30 * 86_400_000;
/** Most distinct values a value_count keeps per group. */
const MAX_DISTINCT = 1000;

export interface CompiledCorrelation {
  readonly type: CorrelationType;
  /** Indexes of the referenced detection rules in the rule set, in the rule's order. */
  readonly steps: readonly number[];
  readonly groupBy: readonly { readonly path: string; readonly field: number }[];
  readonly valueField: number;
  readonly windowMs: number;
  readonly bucketMs: number;
  readonly op: 'gt' | 'gte' | 'eq' | undefined;
  readonly threshold: number;
  readonly keyPrefix: string;
  /**
   * State keys of a one-field group-by by the field's value: the same key string every event (the
   * store then finds the item by its cached hash) instead of concatenating it again per event.
   */
  readonly keys: KeyCache;
  /** The state options per type, built once instead of per event. */
  readonly distinctOptions: DistinctOptions;
  readonly counterOptions: CounterOptions;
}

export interface CorrelationOutcome {
  readonly count: number;
  readonly group: Readonly<Record<string, string>>;
  readonly subject: string;
}

export function compileCorrelation(
  doc: SigmaCorrelationRule,
  resolveRule: (ref: string) => number | string,
  fieldId: (path: string, key: string) => number,
): CompiledCorrelation {
  const c = doc.correlation;
  const windowMs = timespanMs(c.timespan);
  if (windowMs === undefined || windowMs > MAX_TIMESPAN_MS) throw new RuleCompileError('correlation.timespan', 'a timespan is a number and s, m, h or d, at most 30d');
  const steps = c.rules.map((ref, i) => {
    const resolved = resolveRule(ref);
    if (typeof resolved === 'string') throw new RuleCompileError(`correlation.rules[${i}]`, resolved);
    return resolved;
  });
  const groupBy = (c['group-by'] ?? []).map((path, i) => ({ path, field: fieldId(path, `correlation.group-by[${i}]`) }));
  const cond: CorrelationCondition = c.condition ?? {};
  const ops = (['gt', 'gte', 'eq', 'lt', 'lte'] as const).filter((op) => cond[op] !== undefined);
  let op: CompiledCorrelation['op'];
  let threshold = 0;
  let valueField = -1;
  if (c.type === 'event_count' || c.type === 'value_count') {
    if (ops.length !== 1) throw new RuleCompileError('correlation.condition', 'give exactly one of gt, gte or eq');
    const only = ops[0] as 'gt';
    if (only === ('lt' as string) || only === ('lte' as string)) {
      throw new RuleCompileError(`correlation.condition.${only}`, 'lt/lte need evaluation at the end of a window, which is not supported; use gt, gte or eq');
    }
    op = only;
    threshold = cond[only] as number;
    if (!Number.isInteger(threshold) || threshold < 1) throw new RuleCompileError(`correlation.condition.${only}`, 'the threshold is a positive integer');
    if (c.type === 'value_count') {
      if (cond.field === undefined) throw new RuleCompileError('correlation.condition.field', 'value_count needs the field whose distinct values are counted');
      if (threshold >= MAX_DISTINCT) throw new RuleCompileError(`correlation.condition.${only}`, `value_count counts at most ${MAX_DISTINCT - 1} distinct values`);
      valueField = fieldId(cond.field, 'correlation.condition.field');
    } else if (cond.field !== undefined) throw new RuleCompileError('correlation.condition.field', 'field is for value_count only');
  } else {
    if (ops.length > 0 || cond.field !== undefined) throw new RuleCompileError('correlation.condition', `${c.type} takes no condition: every listed rule must match within the timespan`);
    if (steps.length < 2) throw new RuleCompileError('correlation.rules', `${c.type} needs at least two rules`);
  }
  const keyPrefix = `RULE|${keyPart(doc.id)}`;
  // Window edges are exact to one bucket: 1/60 of the timespan, at least a second.
  const bucketMs = Math.max(1000, Math.floor(windowMs / 60));
  return {
    type: c.type,
    steps,
    groupBy,
    valueField,
    windowMs,
    bucketMs,
    op,
    threshold,
    keyPrefix,
    keys: new KeyCache((value) => `${keyPrefix}|${keyPart(value)}`),
    distinctOptions: { windowMs, cap: c.type === 'value_count' ? MAX_DISTINCT : steps.length },
    counterOptions: { windowMs, bucketMs },
  };
}

function holds(c: CompiledCorrelation, n: number): boolean {
  return c.op === 'gt' ? n > c.threshold : c.op === 'gte' ? n >= c.threshold : n === c.threshold;
}

/** The outcome reported when the condition holds: the group-by values and the subject naming them. */
function outcomeOf(c: CompiledCorrelation, t: EventText, count: number): CorrelationOutcome {
  const group: Record<string, string> = {};
  const subject: string[] = [];
  for (const g of c.groupBy) {
    const value = t.firstValue(g.field) ?? '';
    group[g.path] = value;
    subject.push(`${g.path}=${keyPart(value)}`);
  }
  return { count, group, subject: subject.length > 0 ? subject.join(' ') : 'all' };
}

/**
 * Feeds one event that matched `matchedSteps` (positions in `c.steps`) into the correlation's
 * state; returns the outcome when the correlation's condition holds after it.
 */
export function advanceCorrelation(
  c: CompiledCorrelation,
  matchedSteps: readonly number[],
  t: EventText,
  ts: number,
  view: StateView,
): CorrelationOutcome | undefined {
  // Only the state key per event; the group and subject are built when the condition holds (rare).
  let key: string;
  if (c.groupBy.length === 1) key = c.keys.key(t.firstValue((c.groupBy[0] as CompiledCorrelation['groupBy'][number]).field) ?? '');
  else {
    key = c.keyPrefix;
    for (const g of c.groupBy) key += `|${keyPart(t.firstValue(g.field) ?? '')}`;
  }
  switch (c.type) {
    case 'event_count': {
      const counter = view.counter(key, c.counterOptions);
      counter.add(ts);
      const n = counter.total(ts);
      return holds(c, n) ? outcomeOf(c, t, n) : undefined;
    }
    case 'value_count': {
      const value = t.firstValue(c.valueField);
      if (value === undefined) return undefined;
      const set = view.distinct(key, c.distinctOptions);
      set.add(keyPart(value), ts);
      const n = set.count(ts);
      return holds(c, n) ? outcomeOf(c, t, n) : undefined;
    }
    case 'temporal': {
      const set = view.distinct(key, c.distinctOptions);
      for (const step of matchedSteps) set.add(String(step), ts);
      const n = set.count(ts);
      return n >= c.steps.length ? outcomeOf(c, t, n) : undefined;
    }
    case 'temporal_ordered': {
      // Field `s<i>`: the latest start time of a chain that has reached step i.
      const record = view.record(key, { ttlMs: c.windowMs, maxFields: c.steps.length });
      const last = c.steps.length - 1;
      let completed = false;
      // From the last step back, so one event never advances a chain twice.
      for (let k = matchedSteps.length - 1; k >= 0; k--) {
        const step = matchedSteps[k] as number;
        if (step === 0) {
          record.set('s0', Math.max(record.get<number>('s0') ?? -Infinity, ts), ts);
          continue;
        }
        const start = record.get<number>(`s${step - 1}`);
        if (start === undefined || start > ts || ts - start > c.windowMs) continue;
        record.set(`s${step}`, Math.max(record.get<number>(`s${step}`) ?? -Infinity, start), ts);
        if (step === last) completed = true;
      }
      return completed ? outcomeOf(c, t, c.steps.length) : undefined;
    }
  }
}
