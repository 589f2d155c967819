/**
 * Fast structural check of a canonical v1 event on the hot path. It accepts exactly what
 * `McpEventSchema` accepts (test/unit/events/canonical.test.ts keeps the two in agreement by
 * mutating every typed field of the schema), without zod's per-event cost, and it can repair an
 * event by dropping the fields that are wrong, so one bad field does not lose a security event.
 *
 * The check walks the keys an event has (events carry few of the fields the schema allows) and
 * finds each key's type with a switch: several times faster than table lookups, and this runs
 * for every event.
 */
import { EVENT_KINDS, type McpEvent } from './schema.js';
import { isoTimestamp } from './time.js';

const KINDS: ReadonlySet<string> = new Set(EVENT_KINDS);

/** What a field must be. */
const enum Kind {
  Free,
  String,
  Number,
  NonNegative,
  Integer,
  Boolean,
  StringArray,
  Audience,
  RpcId,
  Record,
  Object,
  Tools,
}

/** The nested objects the schema types; a number, so the nested lookup is a jump table, not string compares. */
const enum Scope {
  Server,
  Client,
  Principal,
  Http,
  Rpc,
  Result,
  Error,
  Auth,
  Policy,
  Change,
  Usage,
  Tools,
  Other,
}

/** The type of a key of the event itself; Free for fields the schema leaves open. */
function topKind(key: string): Kind {
  switch (key) {
    case 'server':
    case 'client':
    case 'principal':
    case 'http':
    case 'rpc':
    case 'result':
    case 'error':
    case 'auth':
    case 'policy':
    case 'change':
    case 'usage':
      return Kind.Object;
    case 'transport':
    case 'protocolVersion':
    case 'session':
    case 'trace':
    case 'tool':
    case 'uri':
    case 'cursor':
    case 'nextCursor':
    case 'direction':
      return Kind.String;
    case 'partial':
    case 'cancelled':
      return Kind.Boolean;
    case 'durationMs':
      return Kind.NonNegative;
    case 'tools':
      return Kind.Tools;
    default:
      return Kind.Free;
  }
}

/** Which nested object a top-level key of Kind.Object holds. */
function scopeOf(key: string): Scope {
  switch (key) {
    case 'server':
      return Scope.Server;
    case 'client':
      return Scope.Client;
    case 'principal':
      return Scope.Principal;
    case 'http':
      return Scope.Http;
    case 'rpc':
      return Scope.Rpc;
    case 'result':
      return Scope.Result;
    case 'error':
      return Scope.Error;
    case 'auth':
      return Scope.Auth;
    case 'policy':
      return Scope.Policy;
    case 'change':
      return Scope.Change;
    case 'usage':
      return Scope.Usage;
    default:
      return Scope.Other;
  }
}

/** The type of `key` in a nested object of type `scope`; Free for fields the schema leaves open. */
function nestedKind(scope: Scope, key: string): Kind {
  switch (scope) {
    case Scope.Server:
      return key === 'name' || key === 'version' || key === 'instance' ? Kind.String : Kind.Free;
    case Scope.Client:
      return key === 'name' || key === 'version' || key === 'ip' || key === 'userAgent'
        ? Kind.String
        : Kind.Free;
    case Scope.Principal:
      switch (key) {
        case 'sub':
        case 'clientId':
        case 'tokenFp':
        case 'iss':
          return Kind.String;
        case 'scopes':
          return Kind.StringArray;
        case 'tokenPresent':
          return Kind.Boolean;
        case 'aud':
          return Kind.Audience;
        default:
          return Kind.Free;
      }
    case Scope.Http:
      switch (key) {
        case 'method':
        case 'path':
        case 'origin':
        case 'host':
          return Kind.String;
        case 'status':
          return Kind.Integer;
        default:
          return Kind.Free;
      }
    case Scope.Rpc:
      return key === 'method'
        ? Kind.String
        : key === 'id'
          ? Kind.RpcId
          : key === 'inferred'
            ? Kind.Boolean
            : Kind.Free;
    case Scope.Result:
      switch (key) {
        case 'text':
        case 'resultType':
          return Kind.String;
        case 'isError':
        case 'truncated':
          return Kind.Boolean;
        case 'bytes':
          return Kind.NonNegative;
        default:
          return Kind.Free;
      }
    case Scope.Error:
      return key === 'message' ? Kind.String : key === 'code' ? Kind.Number : Kind.Free;
    case Scope.Auth:
      return key === 'outcome' || key === 'reason' ? Kind.String : Kind.Free;
    case Scope.Policy:
      return key === 'decision' || key === 'rule' ? Kind.String : Kind.Free;
    case Scope.Change:
      switch (key) {
        case 'target':
        case 'key':
        case 'actor':
        case 'action':
        case 'resource':
        case 'source':
          return Kind.String;
        default:
          return Kind.Free;
      }
    case Scope.Usage:
      switch (key) {
        case 'cpuPct':
        case 'memUsedMb':
        case 'memLimitMb':
        case 'diskPct':
        case 'netOutBytes':
          return Kind.Number;
        default:
          return Kind.Free;
      }
    case Scope.Tools:
      switch (key) {
        case 'name':
        case 'title':
        case 'description':
          return Kind.String;
        case 'annotations':
          return Kind.Record;
        default:
          return Kind.Free;
      }
    default:
      return Kind.Free;
  }
}

/** The field an object requires, if any (`auth.outcome`, `policy.decision`, `tools[].name`). */
function requiredOf(scope: Scope): string | undefined {
  switch (scope) {
    case Scope.Auth:
      return 'outcome';
    case Scope.Policy:
      return 'decision';
    case Scope.Tools:
      return 'name';
    default:
      return undefined;
  }
}

/** Why an event is invalid: the path of the offending field and what is wrong with it. */
export interface CanonicalIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
}

// zod 4 numbers are finite; its integers are safe integers.
function fieldOk(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case Kind.String:
      return typeof value === 'string';
    case Kind.Number:
      return typeof value === 'number' && Number.isFinite(value);
    case Kind.NonNegative:
      return typeof value === 'number' && Number.isFinite(value) && value >= 0;
    case Kind.Integer:
      return Number.isSafeInteger(value);
    case Kind.Boolean:
      return typeof value === 'boolean';
    case Kind.StringArray:
      return isStringArray(value);
    case Kind.Audience:
      return typeof value === 'string' || isStringArray(value);
    case Kind.RpcId:
      return (
        typeof value === 'string' || value === null || (typeof value === 'number' && Number.isFinite(value))
      );
    case Kind.Record:
    case Kind.Object:
      return isPlainObject(value);
    case Kind.Tools:
      return Array.isArray(value);
    default:
      return true;
  }
}

function kindMessage(kind: Kind): string {
  switch (kind) {
    case Kind.String:
      return 'is not a string';
    case Kind.Number:
      return 'is not a finite number';
    case Kind.NonNegative:
      return 'is not a non-negative number';
    case Kind.Integer:
      return 'is not an integer';
    case Kind.Boolean:
      return 'is not a boolean';
    case Kind.StringArray:
      return 'is not an array of strings';
    case Kind.Audience:
      return 'is not a string or an array of strings';
    case Kind.RpcId:
      return 'is not a string, number or null';
    case Kind.Tools:
      return 'is not an array';
    default:
      return 'is not an object';
  }
}

/**
 * The first wrongly typed field of a nested object (`scope` names its type), or its missing required
 * field. `top` (and `index`, for a tools[] entry) place the object in the event; the issue's path is
 * built only when there is an issue.
 */
function objectIssue(
  obj: Record<string, unknown>,
  scope: Scope,
  top: string,
  index?: number,
): CanonicalIssue | undefined {
  for (const key in obj) {
    const kind = nestedKind(scope, key);
    if (kind === Kind.Free) continue;
    const field = obj[key];
    if (field !== undefined && !fieldOk(field, kind))
      return { path: index === undefined ? [top, key] : [top, index, key], message: kindMessage(kind) };
  }
  const required = requiredOf(scope);
  if (required !== undefined && obj[required] === undefined)
    return { path: index === undefined ? [top, required] : [top, index, required], message: 'is missing' };
  return undefined;
}

/** The first reason `value` is not a valid canonical v1 event, or `undefined` when it is valid. */
export function canonicalIssue(value: unknown): CanonicalIssue | undefined {
  if (!isPlainObject(value)) return { path: [], message: 'is not an object' };
  if (value.v !== 1) return { path: ['v'], message: 'is not 1' };
  if (typeof value.event !== 'string' || !KINDS.has(value.event))
    return { path: ['event'], message: 'is not a known event kind' };
  if (typeof value.time !== 'string' || Number.isNaN(isoTimestamp(value.time))) {
    return { path: ['time'], message: 'is not an ISO-8601 date-time with a zone' };
  }
  for (const key in value) {
    const kind = topKind(key);
    if (kind === Kind.Free) continue;
    const field = value[key];
    if (field === undefined) continue;
    if (!fieldOk(field, kind)) return { path: [key], message: kindMessage(kind) };
    if (kind === Kind.Object) {
      const issue = objectIssue(field as Record<string, unknown>, scopeOf(key), key);
      if (issue) return issue;
    } else if (kind === Kind.Tools) {
      const tools = field as unknown[];
      for (let i = 0; i < tools.length; i++) {
        const tool: unknown = tools[i];
        if (!isPlainObject(tool)) return { path: ['tools', i], message: 'is not an object' };
        const issue = objectIssue(tool, Scope.Tools, 'tools', i);
        if (issue) return issue;
      }
    }
  }
  return undefined;
}

/** Why a would-be canonical object was rejected (`"client.ip is not a string"`), or `undefined` when it is valid. */
export function canonicalProblem(value: unknown): string | undefined {
  const issue = canonicalIssue(value);
  if (!issue) return undefined;
  return issue.path.length === 0 ? `event ${issue.message}` : `${issue.path.join('.')} ${issue.message}`;
}

/** Narrowing helper: `value` is a valid canonical event. */
export function isCanonicalEvent(value: unknown): value is McpEvent {
  return canonicalIssue(value) === undefined;
}

/** Fields whose problems cannot be repaired by dropping them. */
const REQUIRED = new Set(['v', 'event', 'time']);
/** Enough rounds to drop every typed field of the schema once. */
const MAX_REPAIRS = 64;

/** Drops the tools[] entries without a string name and the wrongly typed fields of the others. */
function repairTools(event: Record<string, unknown>): void {
  const tools = event.tools;
  if (!Array.isArray(tools)) {
    delete event.tools;
    return;
  }
  const kept: Record<string, unknown>[] = [];
  for (const tool of tools) {
    if (!isPlainObject(tool) || typeof tool.name !== 'string') continue;
    for (const key of Object.keys(tool)) {
      const kind = nestedKind(Scope.Tools, key);
      if (kind !== Kind.Free && tool[key] !== undefined && !fieldOk(tool[key], kind)) delete tool[key];
    }
    kept.push(tool);
  }
  event.tools = kept;
}

/**
 * Makes `event` valid in place by dropping what is wrong: a wrongly typed field, a nested object
 * that is not an object or lacks its required field, bad tools[] entries. Returns the event when it
 * is (now) valid, `undefined` when it cannot be repaired (v, event or time wrong, or not an object).
 */
export function repairCanonical(event: unknown): McpEvent | undefined {
  for (let round = 0; round < MAX_REPAIRS; round++) {
    const issue = canonicalIssue(event);
    if (!issue) return event as McpEvent;
    const [top, nested] = issue.path;
    if (typeof top !== 'string' || REQUIRED.has(top)) return undefined;
    const obj = event as Record<string, unknown>;
    if (top === 'tools') repairTools(obj);
    else if (typeof nested === 'string' && issue.message !== 'is missing')
      delete (obj[top] as Record<string, unknown>)[nested];
    else delete obj[top];
  }
  return undefined;
}
