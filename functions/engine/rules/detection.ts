/**
 * A detection rule compiled: selections (any of their groups, each a conjunction of field tests)
 * and the condition over them, with the gate the prefilter uses.
 */
import { EVENT_KINDS } from '../events/schema.js';
import { parseCondition, type ConditionNode } from './condition.js';
import { FieldTree, type EventText } from './event-text.js';
import { allGate, anyGate, type Gate } from './gate.js';
import type { SigmaDetectionRule } from './types.js';
import { compileFieldItem, RuleCompileError, splitKey, type FieldTest } from './values.js';

const FIELD_PATH = /^[A-Za-z0-9_$@-]+(\.[A-Za-z0-9_$@-]+)*$/;
const MAX_SELECTIONS = 256;

export interface CompiledSelection {
  readonly name: string;
  /** Any group matches; a group is every test. */
  readonly groups: readonly (readonly FieldTest[])[];
  readonly gate: Gate;
}

export interface CompiledDetection {
  readonly selections: readonly CompiledSelection[];
  readonly condition: ConditionNode;
  readonly gate: Gate;
  /** Event kinds the rule sees (null = all). */
  readonly kinds: ReadonlySet<string> | null;
  /** Only this server's events, when set. */
  readonly service: string | undefined;
}

export interface FieldRegistry {
  readonly tree: FieldTree;
  readonly ids: Map<string, number>;
  /** Compile RE2 programs on first use (CompileRuleSetOptions.lazyRegex). */
  readonly lazyRegex?: boolean;
}

export function fieldId(registry: FieldRegistry, path: string, key: string): number {
  if (!FIELD_PATH.test(path)) throw new RuleCompileError(key, `"${path}" is not a field path (dot notation, e.g. arguments.path)`);
  return FieldTree.add(registry.tree, path, registry.ids);
}

export function compileDetection(doc: SigmaDetectionRule, registry: FieldRegistry): CompiledDetection {
  const detection = doc.detection;
  const names = Object.keys(detection).filter((k) => k !== 'condition' && k !== 'timeframe');
  if ('timeframe' in detection) throw new RuleCompileError('detection.timeframe', 'timeframe is not supported: write a correlation rule with a timespan');
  if (names.length === 0) throw new RuleCompileError('detection', 'no search identifier (selection) defined');
  if (names.length > MAX_SELECTIONS) throw new RuleCompileError('detection', `at most ${MAX_SELECTIONS} search identifiers`);
  const selections = names.map((name) => compileSelection(name, detection[name], registry));
  const conditions = Array.isArray(detection.condition) ? (detection.condition as string[]) : [detection.condition as string];
  const nodes = conditions.map((c, i) => parseCondition(c, names, conditions.length > 1 ? `detection.condition[${i}]` : 'detection.condition'));
  const condition: ConditionNode = nodes.length === 1 ? (nodes[0] as ConditionNode) : { t: 'or', parts: nodes };
  return {
    selections,
    condition,
    gate: conditionGate(condition, selections),
    kinds: logsourceKinds(doc),
    service: doc.logsource?.service,
  };
}

function logsourceKinds(doc: SigmaDetectionRule): ReadonlySet<string> | null {
  const category = doc.logsource?.category;
  if (category === undefined) return null;
  const kind = category.startsWith('mcp.') ? category : `mcp.${category}`;
  if (!(EVENT_KINDS as readonly string[]).includes(kind)) {
    throw new RuleCompileError('logsource.category', `unknown category "${category}" (one of ${EVENT_KINDS.map((k) => k.slice(4)).join(', ')})`);
  }
  return new Set([kind]);
}

function compileSelection(name: string, value: unknown, registry: FieldRegistry): CompiledSelection {
  const key = `detection.${name}`;
  if (typeof value === 'string' || typeof value === 'number') return keywords(name, [value], registry);
  if (Array.isArray(value)) {
    if (value.length === 0) throw new RuleCompileError(key, 'an empty list matches nothing');
    if (value.every((v) => typeof v === 'string' || typeof v === 'number')) return keywords(name, value, registry);
    if (value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) {
      const groups = value.map((map, i) => compileMap(`${key}[${i}]`, map as Record<string, unknown>, registry));
      return { name, groups, gate: anyGate(groups.map(groupGate)) };
    }
    throw new RuleCompileError(key, 'a list is either keywords (strings) or maps of field: value, not a mix');
  }
  if (value !== null && typeof value === 'object') {
    const group = compileMap(key, value as Record<string, unknown>, registry);
    return { name, groups: [group], gate: groupGate(group) };
  }
  throw new RuleCompileError(key, 'a search identifier is a map of field: value, a list of maps, or a list of keywords');
}

function keywords(name: string, values: readonly unknown[], registry: FieldRegistry): CompiledSelection {
  const test = compileFieldItem(`detection.${name}`, values.map(String), -1, true, registry.lazyRegex === true);
  return { name, groups: [[test]], gate: test.gate };
}

function compileMap(key: string, map: Record<string, unknown>, registry: FieldRegistry): FieldTest[] {
  const entries = Object.entries(map);
  if (entries.length === 0) throw new RuleCompileError(key, 'an empty map matches everything; say what to match');
  return entries.map(([fieldKey, value]) => {
    const where = `${key}.${fieldKey}`;
    try {
      const { field } = splitKey(fieldKey);
      const lazy = registry.lazyRegex === true;
      return field === '' ? compileFieldItem(fieldKey, value, -1, true, lazy) : compileFieldItem(fieldKey, value, fieldId(registry, field, where), false, lazy);
    } catch (error) {
      if (error instanceof RuleCompileError && !error.key.startsWith('detection.')) {
        throw new RuleCompileError(`${key}.${error.key}`, error.message);
      }
      throw error;
    }
  });
}

function groupGate(group: readonly FieldTest[]): Gate {
  return allGate(group.map((t) => t.gate));
}

function conditionGate(node: ConditionNode, selections: readonly CompiledSelection[]): Gate {
  switch (node.t) {
    case 'ref':
      return (selections[node.id] as CompiledSelection).gate;
    case 'not':
      return null;
    case 'and':
      return allGate(node.parts.map((p) => conditionGate(p, selections)));
    case 'or':
      return anyGate(node.parts.map((p) => conditionGate(p, selections)));
    case 'of': {
      const gates = node.ids.map((id) => (selections[id] as CompiledSelection).gate);
      return node.need === 'all' ? allGate(gates) : anyGate(gates);
    }
  }
}

/** Whether the rule's condition holds on the loaded event. `memo` caches selections (0 unknown, 1 false, 2 true). */
export function detectionMatches(d: CompiledDetection, t: EventText, memo: Uint8Array): boolean {
  memo.fill(0, 0, d.selections.length);
  return evalNode(d.condition, d, t, memo);
}

function evalNode(node: ConditionNode, d: CompiledDetection, t: EventText, memo: Uint8Array): boolean {
  switch (node.t) {
    case 'ref':
      return selectionHolds(node.id, d, t, memo);
    case 'not':
      return !evalNode(node.part, d, t, memo);
    case 'and':
      for (const p of node.parts) if (!evalNode(p, d, t, memo)) return false;
      return true;
    case 'or':
      for (const p of node.parts) if (evalNode(p, d, t, memo)) return true;
      return false;
    case 'of': {
      const need = node.need === 'all' ? node.ids.length : node.need;
      let held = 0;
      let left = node.ids.length;
      for (const id of node.ids) {
        if (selectionHolds(id, d, t, memo)) held++;
        left--;
        if (held >= need) return true;
        if (held + left < need) return false;
      }
      return false;
    }
  }
}

function selectionHolds(id: number, d: CompiledDetection, t: EventText, memo: Uint8Array): boolean {
  const known = memo[id] as number;
  if (known !== 0) return known === 2;
  const sel = d.selections[id] as CompiledSelection;
  let result = false;
  for (const group of sel.groups) {
    let all = true;
    for (const test of group) {
      if (!fieldTestHolds(test, t)) {
        all = false;
        break;
      }
    }
    if (all) {
      result = true;
      break;
    }
  }
  memo[id] = result ? 2 : 1;
  return result;
}

export function fieldTestHolds(test: FieldTest, t: EventText): boolean {
  if (test.kind === 'exists') return test.field < 0 ? t.count > 0 : t.has(test.field);
  if (test.kind === 'absent') return test.field < 0 ? t.count === 0 : !t.has(test.field);
  if (test.orAbsent && isAbsentOrEmpty(test.field, t)) return true;
  const values = test.values;
  if (values.length === 0) return false;
  if (!test.all) {
    if (test.field < 0) {
      for (let leaf = 0; leaf < t.count; leaf++) for (const v of values) if (v(t, leaf)) return true;
      return false;
    }
    for (let pair = t.firstPair(test.field); pair >= 0; pair = t.nextPair(pair)) {
      const leaf = t.leafAt(pair);
      for (const v of values) if (v(t, leaf)) return true;
    }
    return false;
  }
  for (const v of values) {
    let found = false;
    if (test.field < 0) {
      for (let leaf = 0; leaf < t.count && !found; leaf++) found = v(t, leaf);
    } else {
      for (let pair = t.firstPair(test.field); pair >= 0 && !found; pair = t.nextPair(pair)) found = v(t, t.leafAt(pair));
    }
    if (!found) return false;
  }
  return true;
}

function isAbsentOrEmpty(field: number, t: EventText): boolean {
  if (field < 0) return false;
  for (let pair = t.firstPair(field); pair >= 0; pair = t.nextPair(pair)) if ((t.raw[t.leafAt(pair)] as string) !== '') return false;
  return true;
}
