/**
 * Sigma conditions: `selection and not filter`, `1 of selection_*`, `all of them`, parentheses.
 * Precedence: not > and > or. A list of conditions means any of them.
 */
import { RuleCompileError } from './values.js';

export type ConditionNode =
  | { readonly t: 'ref'; readonly id: number }
  | { readonly t: 'and' | 'or'; readonly parts: readonly ConditionNode[] }
  | { readonly t: 'not'; readonly part: ConditionNode }
  | { readonly t: 'of'; readonly need: number | 'all'; readonly ids: readonly number[] };

const MAX_CONDITION_CHARS = 4096;
const MAX_DEPTH = 64;

/** Parses `text` over the search identifiers `names` (their position is the ref id). */
export function parseCondition(text: string, names: readonly string[], key = 'detection.condition'): ConditionNode {
  if (text.length > MAX_CONDITION_CHARS) throw new RuleCompileError(key, `a condition is at most ${MAX_CONDITION_CHARS} characters`);
  if (text.includes('|')) throw new RuleCompileError(key, 'aggregations (`| count() …`) are not supported: write a correlation rule');
  const tokens = text.match(/\(|\)|[^\s()]+/g) ?? [];
  let i = 0;
  let depth = 0;
  const fail = (message: string): never => {
    throw new RuleCompileError(key, `${message} in "${text}"`);
  };
  const peek = (): string | undefined => tokens[i]?.toLowerCase();

  const expr = (): ConditionNode => {
    if (++depth > MAX_DEPTH) fail('nesting too deep');
    const parts = [andExpr()];
    while (peek() === 'or') {
      i++;
      parts.push(andExpr());
    }
    depth--;
    return parts.length === 1 ? (parts[0] as ConditionNode) : { t: 'or', parts };
  };
  const andExpr = (): ConditionNode => {
    const parts = [notExpr()];
    while (peek() === 'and') {
      i++;
      parts.push(notExpr());
    }
    return parts.length === 1 ? (parts[0] as ConditionNode) : { t: 'and', parts };
  };
  const notExpr = (): ConditionNode => {
    if (peek() === 'not') {
      i++;
      if (++depth > MAX_DEPTH) fail('nesting too deep');
      const part = notExpr();
      depth--;
      return { t: 'not', part };
    }
    return primary();
  };
  const primary = (): ConditionNode => {
    const token = tokens[i];
    if (token === undefined) return fail('unexpected end');
    const lower = token.toLowerCase();
    if (token === '(') {
      i++;
      const inner = expr();
      if (tokens[i] !== ')') fail('missing ")"');
      i++;
      return inner;
    }
    if (token === ')' || lower === 'and' || lower === 'or' || lower === 'of') return fail(`unexpected "${token}"`);
    if ((lower === 'all' || lower === 'any' || /^[0-9]+$/.test(lower)) && tokens[i + 1]?.toLowerCase() === 'of') {
      const target = tokens[i + 2];
      if (target === undefined) return fail(`"${token} of" needs a target`);
      i += 3;
      const ids = target.toLowerCase() === 'them' ? names.flatMap((n, id) => (n.startsWith('_') ? [] : [id])) : matching(target, names);
      if (ids.length === 0) fail(`"${target}" names no search identifier`);
      const need = lower === 'all' ? 'all' : lower === 'any' ? 1 : Number(lower);
      if (need === 0) fail('"0 of" is always true');
      return { t: 'of', need, ids };
    }
    i++;
    const id = names.indexOf(token);
    if (id < 0) return fail(`unknown search identifier "${token}"`);
    return { t: 'ref', id };
  };

  const node = expr();
  if (i < tokens.length) fail(`unexpected "${tokens[i] as string}"`);
  return node;
}

function matching(pattern: string, names: readonly string[]): number[] {
  if (!pattern.includes('*')) {
    const id = names.indexOf(pattern);
    return id < 0 ? [] : [id];
  }
  const parts = pattern.split('*');
  return names.flatMap((name, id) => (globMatch(name, parts) ? [id] : []));
}

/** `*`-only glob over identifier names (short, so the simple matcher is fine). */
function globMatch(name: string, parts: readonly string[]): boolean {
  const first = parts[0] as string;
  const last = parts[parts.length - 1] as string;
  if (!name.startsWith(first) || name.length < first.length + last.length || !name.endsWith(last)) return false;
  let at = first.length;
  const end = name.length - last.length;
  for (let k = 1; k < parts.length - 1; k++) {
    const found = name.indexOf(parts[k] as string, at);
    if (found < 0 || found + (parts[k] as string).length > end) return false;
    at = found + (parts[k] as string).length;
  }
  return true;
}

/** Identifiers a condition reads (to warn about unused ones). */
export function conditionRefs(node: ConditionNode, out = new Set<number>()): Set<number> {
  if (node.t === 'ref') out.add(node.id);
  else if (node.t === 'not') conditionRefs(node.part, out);
  else if (node.t === 'of') for (const id of node.ids) out.add(id);
  else for (const p of node.parts) conditionRefs(p, out);
  return out;
}
