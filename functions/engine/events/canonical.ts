/**
 * Fast structural check of a canonical v1 event on the hot path. It accepts exactly what
 * `McpEventSchema` accepts for the fields detectors read (test/unit/events/canonical.test.ts keeps
 * the two in agreement), without zod's per-event cost.
 */
import { EVENT_KINDS, type McpEvent } from './schema.js';

const KINDS: ReadonlySet<string> = new Set(EVENT_KINDS);

// ISO-8601 with a zone, as z.iso.datetime({ offset: true }) accepts.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

const OBJECT_FIELDS = [
  'server', 'client', 'principal', 'http', 'rpc', 'result', 'error', 'auth', 'policy', 'change', 'usage',
] as const;
const STRING_FIELDS = ['transport', 'protocolVersion', 'session', 'trace', 'tool', 'uri'] as const;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why a would-be canonical object was rejected, or `undefined` when it is valid. */
export function canonicalProblem(value: unknown): string | undefined {
  if (!isPlainObject(value)) return 'not an object';
  if (value.v !== 1) return 'v is not 1';
  if (typeof value.event !== 'string' || !KINDS.has(value.event)) return `unknown event kind ${String(value.event)}`;
  if (typeof value.time !== 'string' || !ISO_TIME.test(value.time)) return 'time is not ISO-8601';
  for (const key of OBJECT_FIELDS) {
    const field = value[key];
    if (field !== undefined && !isPlainObject(field)) return `${key} is not an object`;
  }
  for (const key of STRING_FIELDS) {
    const field = value[key];
    if (field !== undefined && typeof field !== 'string') return `${key} is not a string`;
  }
  if (value.durationMs !== undefined && (typeof value.durationMs !== 'number' || value.durationMs < 0)) {
    return 'durationMs is not a non-negative number';
  }
  if (value.tools !== undefined) {
    if (!Array.isArray(value.tools)) return 'tools is not an array';
    for (const tool of value.tools) {
      if (!isPlainObject(tool) || typeof tool.name !== 'string') return 'tools[] entry without a name';
    }
  }
  const nested = nestedProblem(value);
  return nested;
}

function nestedProblem(value: Record<string, unknown>): string | undefined {
  const checks: Array<[string, string, 'string' | 'number' | 'boolean']> = [
    ['server', 'name', 'string'],
    ['client', 'ip', 'string'],
    ['principal', 'sub', 'string'],
    ['principal', 'clientId', 'string'],
    ['principal', 'tokenFp', 'string'],
    ['principal', 'tokenPresent', 'boolean'],
    ['principal', 'iss', 'string'],
    ['http', 'status', 'number'],
    ['http', 'origin', 'string'],
    ['http', 'path', 'string'],
    ['rpc', 'method', 'string'],
    ['result', 'text', 'string'],
    ['result', 'bytes', 'number'],
    ['result', 'isError', 'boolean'],
    ['error', 'code', 'number'],
    ['error', 'message', 'string'],
    ['auth', 'outcome', 'string'],
    ['auth', 'reason', 'string'],
    ['policy', 'decision', 'string'],
    ['change', 'actor', 'string'],
    ['usage', 'cpuPct', 'number'],
    ['usage', 'memUsedMb', 'number'],
    ['usage', 'memLimitMb', 'number'],
    ['usage', 'diskPct', 'number'],
  ];
  for (const [outer, inner, type] of checks) {
    const obj = value[outer] as Record<string, unknown> | undefined;
    if (obj === undefined) continue;
    const field = obj[inner];
    if (field !== undefined && typeof field !== type) return `${outer}.${inner} is not a ${type}`;
  }
  const auth = value.auth as Record<string, unknown> | undefined;
  if (auth !== undefined && auth.outcome === undefined) return 'auth.outcome is missing';
  const policy = value.policy as Record<string, unknown> | undefined;
  if (policy !== undefined && policy.decision === undefined) return 'policy.decision is missing';
  const principal = value.principal as Record<string, unknown> | undefined;
  if (principal !== undefined) {
    const { scopes, aud } = principal;
    if (scopes !== undefined && !(Array.isArray(scopes) && scopes.every((s) => typeof s === 'string'))) {
      return 'principal.scopes is not a string array';
    }
    if (aud !== undefined && typeof aud !== 'string' && !(Array.isArray(aud) && aud.every((s) => typeof s === 'string'))) {
      return 'principal.aud is not a string or string array';
    }
  }
  const http = value.http as Record<string, unknown> | undefined;
  if (http !== undefined && http.status !== undefined && !Number.isInteger(http.status)) return 'http.status is not an integer';
  const result = value.result as Record<string, unknown> | undefined;
  if (result !== undefined && typeof result.bytes === 'number' && result.bytes < 0) return 'result.bytes is negative';
  return undefined;
}

/** Narrowing helper: `value` is a valid canonical event. */
export function isCanonicalEvent(value: unknown): value is McpEvent {
  return canonicalProblem(value) === undefined;
}
