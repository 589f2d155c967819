/**
 * Reading MCP tool definitions (tools/list entries): a canonical hash of what the model sees, the
 * parameter names, and the texts a poisoned definition can hide instructions in. Shared by the
 * config detectors (rug pulls compare hashes, poisoning scans the texts).
 *
 * Everything is bounded: a definition comes from one log line (CloudWatch caps it at 256 KiB), but
 * its schema can still nest deeply or list thousands of nodes, so walks stop at fixed budgets.
 */
import { createHash } from 'node:crypto';
import type { ToolDefinition } from '../events/schema.js';

/** The fields of a definition that the model reads, hence the ones a rug pull changes. */
export const HASHED_FIELDS = ['annotations', 'description', 'inputSchema', 'outputSchema', 'title'] as const;
export type HashedField = (typeof HASHED_FIELDS)[number];

const MAX_CANONICAL_DEPTH = 32;
const MAX_CANONICAL_NODES = 20_000;
/** Most parameter names listed from `inputSchema.properties`. */
export const MAX_PARAMETER_NAMES = 64;
const MAX_SCHEMA_DEPTH = 10;
const MAX_SCHEMA_NODES = 2_000;
/** Most texts taken from one definition (title, description, schema strings). */
export const MAX_DEFINITION_TEXTS = 128;

export function sha256Hex16(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

interface Budget {
  nodes: number;
}

function canonical(value: unknown, depth: number, budget: Budget): string {
  if (--budget.nodes < 0) return '"\u2026truncated"';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      // undefined, functions, symbols, bigints: not JSON; parsed log lines never hold them.
      return 'null';
  }
  if (depth >= MAX_CANONICAL_DEPTH) return '"\u2026deep"';
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (const item of value) {
      if (budget.nodes <= 0) break;
      parts.push(canonical(item, depth + 1, budget));
    }
    return `[${parts.join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const field = record[key];
    if (field === undefined) continue;
    if (budget.nodes <= 0) break;
    parts.push(`${JSON.stringify(key)}:${canonical(field, depth + 1, budget)}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * Stable JSON: object keys sorted at every level, `undefined` fields dropped, so two serialisations
 * of the same definition (key order differs between SDKs) hash alike. Bounded in depth and nodes.
 */
export function canonicalJson(value: unknown): string {
  return canonical(value, 0, { nodes: MAX_CANONICAL_NODES });
}

export interface ToolDefinitionHash {
  /** sha256-16 of the canonical JSON of {annotations, description, inputSchema, outputSchema, title}. */
  readonly hash: string;
  /** Per present field, the first 8 hex chars of its canonical JSON's SHA-256 (to say what changed). */
  readonly fields: Readonly<Partial<Record<HashedField, string>>>;
}

/** The definition hash: equal iff what the model reads is equal (the name is the registry key, not hashed). */
export function hashToolDefinition(tool: ToolDefinition): ToolDefinitionHash {
  const budget: Budget = { nodes: MAX_CANONICAL_NODES };
  const parts: string[] = [];
  const fields: Partial<Record<HashedField, string>> = {};
  // HASHED_FIELDS is sorted, so this builds exactly canonicalJson(pick(tool, HASHED_FIELDS)).
  for (const field of HASHED_FIELDS) {
    const value = (tool as Record<string, unknown>)[field];
    if (value === undefined) continue;
    const json = canonical(value, 1, budget);
    parts.push(`${JSON.stringify(field)}:${json}`);
    fields[field] = sha256Hex16(json).slice(0, 8);
  }
  return { hash: sha256Hex16(`{${parts.join(',')}}`), fields };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Names of the top-level parameters (`inputSchema.properties`), in declaration order, at most MAX_PARAMETER_NAMES. */
export function parameterNames(inputSchema: unknown): string[] {
  if (!isRecord(inputSchema)) return [];
  const properties = inputSchema['properties'];
  if (!isRecord(properties)) return [];
  const names: string[] = [];
  for (const name in properties) {
    names.push(name);
    if (names.length >= MAX_PARAMETER_NAMES) break;
  }
  return names;
}

/**
 * Every property name declared anywhere in a schema (nested objects, array items, combinators),
 * bounded like the other walks: the names a description may mention that are not tools.
 */
export function schemaPropertyNames(schema: unknown): string[] {
  const names = new Set<string>();
  let budget = MAX_SCHEMA_NODES;
  const visit = (node: unknown, depth: number): void => {
    if (--budget < 0 || node === null || typeof node !== 'object' || depth >= MAX_SCHEMA_DEPTH) return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    const record = node as Record<string, unknown>;
    const properties = record['properties'];
    if (isRecord(properties))
      for (const name in properties) if (names.size < MAX_DEFINITION_TEXTS) names.add(name);
    for (const key in record) visit(record[key], depth + 1);
  };
  visit(schema, 0);
  return [...names];
}

export interface DefinitionText {
  /** Where the text sits, e.g. `description`, `inputSchema.properties.path.description`. */
  readonly where: string;
  readonly text: string;
}

// Schema keywords whose strings are machine syntax, not prose for the model.
const SCHEMA_SYNTAX_KEYS = new Set([
  'type',
  'format',
  'pattern',
  '$schema',
  '$ref',
  '$id',
  '$anchor',
  'required',
  'contentEncoding',
  'contentMediaType',
]);

interface SchemaWalk {
  nodes: number;
  readonly out: DefinitionText[];
}

function walkSchema(value: unknown, where: string, key: string, depth: number, walk: SchemaWalk): void {
  if (walk.out.length >= MAX_DEFINITION_TEXTS || --walk.nodes < 0) return;
  if (typeof value === 'string') {
    if (!SCHEMA_SYNTAX_KEYS.has(key) && value.length > 0) walk.out.push({ where, text: value });
    return;
  }
  if (value === null || typeof value !== 'object' || depth >= MAX_SCHEMA_DEPTH) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && walk.nodes > 0 && walk.out.length < MAX_DEFINITION_TEXTS; i++) {
      walkSchema(value[i], `${where}[${i}]`, key, depth + 1, walk);
    }
    return;
  }
  for (const k in value as Record<string, unknown>) {
    if (walk.nodes <= 0 || walk.out.length >= MAX_DEFINITION_TEXTS) return;
    walkSchema((value as Record<string, unknown>)[k], `${where}.${k}`, k, depth + 1, walk);
  }
}

/**
 * The prose of a definition, where hidden instructions live: title, description, annotation strings
 * and every string in the input/output schemas (parameter descriptions, titles, defaults, enum values, examples) except
 * schema syntax (`type`, `format`, `pattern`, …). Bounded to MAX_DEFINITION_TEXTS texts and
 * MAX_SCHEMA_NODES nodes per schema; the texts themselves are not truncated here.
 */
export function definitionTexts(tool: ToolDefinition): DefinitionText[] {
  const out: DefinitionText[] = [];
  if (typeof tool.title === 'string' && tool.title.length > 0) out.push({ where: 'title', text: tool.title });
  if (typeof tool.description === 'string' && tool.description.length > 0)
    out.push({ where: 'description', text: tool.description });
  const walk: SchemaWalk = { nodes: MAX_SCHEMA_NODES, out };
  walkSchema(tool.inputSchema, 'inputSchema', '', 0, walk);
  walk.nodes = MAX_SCHEMA_NODES;
  walkSchema(tool.outputSchema, 'outputSchema', '', 0, walk);
  walk.nodes = MAX_SCHEMA_NODES;
  walkSchema(tool.annotations, 'annotations', '', 0, walk);
  return out;
}
