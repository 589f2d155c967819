/**
 * The fast canonical check must accept exactly what McpEventSchema accepts. Besides a table of
 * hand-picked events, every typed field the zod schema declares is set to every kind of wrong (and
 * right) value, and both must agree on each; the schema's own walk means a field added to
 * schema.ts is covered without editing this test.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  canonicalIssue,
  canonicalProblem,
  isCanonicalEvent,
  repairCanonical,
} from '../../../functions/engine/events/canonical.js';
import { McpEventSchema } from '../../../functions/engine/events/schema.js';
import { ISO_DATETIME, parseIsoDateTime } from '../../../functions/engine/events/time.js';

/** An event with every field of the schema, all valid. */
function fullEvent(): Record<string, unknown> {
  return {
    v: 1,
    event: 'mcp.call',
    time: '2026-11-24T10:00:00.123Z',
    server: { name: 'files-mcp', version: '1.4.0', instance: 'task-7f3a' },
    transport: 'streamable-http',
    protocolVersion: '2025-11-25',
    session: 'b3f1c9',
    trace: '4bf92f3577b34da6a3ce929d0e0e4736',
    client: { name: 'claude-code', version: '2.1.0', ip: '203.0.113.7', userAgent: 'ua' },
    principal: {
      sub: 'user-42',
      clientId: 'oauth-client-1',
      scopes: ['files:read'],
      tokenPresent: true,
      tokenFp: '9c1e0a7b33d2e4f1',
      iss: 'https://auth.example.com',
      aud: ['https://mcp.example.com/mcp'],
    },
    http: {
      method: 'POST',
      path: '/mcp',
      status: 200,
      origin: 'https://app.example.com',
      host: 'mcp.example.com',
    },
    rpc: { id: 7, method: 'tools/call' },
    tool: 'read_file',
    uri: 'file:///srv/a.txt',
    arguments: { path: '/srv/data/a.txt' },
    result: { isError: false, text: 'hello', bytes: 18234 },
    error: { code: -32602, message: 'Unknown tool' },
    durationMs: 12.5,
    tools: [
      {
        name: 'read_file',
        title: 'Read',
        description: 'Reads',
        inputSchema: {},
        outputSchema: {},
        annotations: { readOnlyHint: true },
      },
    ],
    auth: { outcome: 'failure', reason: 'invalid_token' },
    policy: { decision: 'deny', rule: 'no-shell-tools' },
    change: {
      target: 'server-config',
      key: 'allowedOrigins',
      actor: 'arn:aws:iam::123456789012:role/x',
      action: 'update',
      resource: 'r',
      source: 'cloudtrail',
    },
    usage: { cpuPct: 93.5, memUsedMb: 480, memLimitMb: 512, diskPct: 71, netOutBytes: 1048576 },
  };
}

const PROBES: readonly unknown[] = [
  undefined,
  null,
  'x',
  '',
  0,
  -1,
  1.5,
  2 ** 60,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  [],
  ['a'],
  [1],
  {},
  { a: 1 },
];

function agree(value: unknown): { zod: boolean; fast: boolean; problem: string | undefined } {
  return {
    zod: McpEventSchema.safeParse(value).success,
    fast: canonicalProblem(value) === undefined,
    problem: canonicalProblem(value),
  };
}

function expectAgreement(value: unknown, label: string): void {
  const { zod, fast, problem } = agree(value);
  expect({ label, accepted: fast, problem }).toEqual({
    label,
    accepted: zod,
    problem: zod ? undefined : problem,
  });
}

function unwrap(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
}

/** Every [path] the schema types: top-level keys, keys of nested objects, keys of tools[0]. */
function schemaPaths(): (string | number)[][] {
  const paths: (string | number)[][] = [];
  for (const [key, field] of Object.entries(McpEventSchema.shape as Record<string, z.ZodType>)) {
    paths.push([key]);
    const inner = unwrap(field);
    if (inner instanceof z.ZodObject)
      for (const nested of Object.keys(inner.shape)) paths.push([key, nested]);
    if (inner instanceof z.ZodArray && inner.element instanceof z.ZodObject) {
      for (const nested of Object.keys((inner.element as z.ZodObject).shape)) paths.push([key, 0, nested]);
    }
  }
  return paths;
}

function withValue(path: readonly (string | number)[], value: unknown): Record<string, unknown> {
  const event = fullEvent();
  let node: Record<string | number, unknown> = event;
  for (const part of path.slice(0, -1)) node = node[part] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return event;
}

describe('canonicalProblem agrees with McpEventSchema', () => {
  it('accepts the full event and the minimal one', () => {
    expect(canonicalProblem(fullEvent())).toBeUndefined();
    expect(McpEventSchema.safeParse(fullEvent()).success).toBe(true);
    expect(canonicalProblem({ v: 1, event: 'mcp.usage', time: '2026-11-24T10:00:00Z' })).toBeUndefined();
  });

  it('walks 60+ typed fields of the schema', () => {
    // A guard that the walk below really covers the schema (and so can fail).
    expect(schemaPaths().length).toBeGreaterThanOrEqual(60);
  });

  it('agrees on every typed field set to every kind of value', () => {
    let disagreements = 0;
    let rejected = 0;
    for (const path of schemaPaths()) {
      for (const probe of PROBES) {
        const event = withValue(path, probe);
        const { zod, fast } = agree(event);
        if (zod !== fast) {
          disagreements++;
          expectAgreement(event, `${path.join('.')} = ${String(probe)}`);
        }
        if (!zod) rejected++;
      }
    }
    expect(disagreements).toBe(0);
    // Most probes are wrong for most fields: the walk exercises rejections, not just acceptance.
    expect(rejected).toBeGreaterThan(500);
  });

  const table: Array<[string, unknown]> = [
    ['not an object', 'mcp.call'],
    ['null', null],
    ['an array', [{ v: 1 }]],
    ['v as string', { v: '1', event: 'mcp.call', time: '2026-11-24T10:00:00Z' }],
    ['v 2', { v: 2, event: 'mcp.call', time: '2026-11-24T10:00:00Z' }],
    ['unknown kind', { v: 1, event: 'mcp.bogus', time: '2026-11-24T10:00:00Z' }],
    ['no time', { v: 1, event: 'mcp.call' }],
    ['time without seconds', { v: 1, event: 'mcp.call', time: '2026-11-24T10:00Z' }],
    ['time without zone', { v: 1, event: 'mcp.call', time: '2026-11-24T10:00:00' }],
    ['time with compact offset', { v: 1, event: 'mcp.call', time: '2026-11-24T10:00:00+0100' }],
    ['time with offset', { v: 1, event: 'mcp.call', time: '2026-11-24T10:00:00+01:00' }],
    ['time with nanoseconds', { v: 1, event: 'mcp.call', time: '2026-11-24T10:00:00.123456789Z' }],
    ['time on Feb 29 of a leap year', { v: 1, event: 'mcp.call', time: '2028-02-29T10:00:00Z' }],
    ['time on Feb 29 of 2100', { v: 1, event: 'mcp.call', time: '2100-02-29T10:00:00Z' }],
    ['time as epoch', { v: 1, event: 'mcp.call', time: 1795514400000 }],
    [
      'auth without outcome',
      { v: 1, event: 'mcp.auth', time: '2026-11-24T10:00:00Z', auth: { reason: 'x' } },
    ],
    ['policy without decision', { v: 1, event: 'mcp.call', time: '2026-11-24T10:00:00Z', policy: {} }],
    [
      'tools entry without name',
      { v: 1, event: 'mcp.tools', time: '2026-11-24T10:00:00Z', tools: [{ description: 'x' }] },
    ],
    [
      'tools entry not an object',
      { v: 1, event: 'mcp.tools', time: '2026-11-24T10:00:00Z', tools: ['read_file'] },
    ],
    [
      'annotations as array',
      { v: 1, event: 'mcp.tools', time: '2026-11-24T10:00:00Z', tools: [{ name: 'a', annotations: [] }] },
    ],
    [
      'unknown fields everywhere',
      {
        v: 1,
        event: 'mcp.call',
        time: '2026-11-24T10:00:00Z',
        x: 1,
        server: { y: [1] },
        rpc: { params: { cursor: 'c' } },
      },
    ],
    ['rpc id null', { v: 1, event: 'mcp.call', time: '2026-11-24T10:00:00Z', rpc: { id: null } }],
    ['http status 200.5', { v: 1, event: 'mcp.call', time: '2026-11-24T10:00:00Z', http: { status: 200.5 } }],
    ['negative bytes', { v: 1, event: 'mcp.call', time: '2026-11-24T10:00:00Z', result: { bytes: -1 } }],
    [
      'aud string',
      {
        v: 1,
        event: 'mcp.auth',
        time: '2026-11-24T10:00:00Z',
        auth: { outcome: 'success' },
        principal: { aud: 'x' },
      },
    ],
    [
      'scopes with a number',
      { v: 1, event: 'mcp.auth', time: '2026-11-24T10:00:00Z', principal: { scopes: ['a', 1] } },
    ],
  ];
  it.each(table)('agrees on: %s', (label, value) => expectAgreement(value, label));

  it('names the offending field', () => {
    expect(
      canonicalProblem({ v: 1, event: 'mcp.call', time: '2026-11-24T10:00:00Z', client: { ip: 7 } }),
    ).toBe('client.ip is not a string');
    expect(canonicalProblem({ v: 1, event: 'mcp.auth', time: '2026-11-24T10:00:00Z', auth: {} })).toBe(
      'auth.outcome is missing',
    );
    expect(
      canonicalProblem({
        v: 1,
        event: 'mcp.tools',
        time: '2026-11-24T10:00:00Z',
        tools: [{ name: 'a' }, {}],
      }),
    ).toBe('tools.1.name is missing');
    expect(canonicalProblem('x')).toBe('event is not an object');
    expect(isCanonicalEvent(fullEvent())).toBe(true);
  });
});

describe('ISO date-times', () => {
  it('uses exactly zod’s pattern', () => {
    const zodPattern = (z.iso.datetime({ offset: true }) as unknown as { _zod: { def: { pattern: RegExp } } })
      ._zod.def.pattern;
    expect(ISO_DATETIME.source).toBe(zodPattern.source);
  });

  it('the hand-written parser accepts what the pattern accepts and computes what Date.parse computes', () => {
    // Deterministic pseudo-random date-times around the edges (month/day/hour ranges, leap years,
    // fractions, zones, one corrupted character in twenty).
    let seed = 12345;
    const rnd = (k: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % k;
    };
    const pad = (x: number, w: number): string => String(x).padStart(w, '0');
    let mismatches = 0;
    let accepted = 0;
    for (let i = 0; i < 100_000; i++) {
      const year = [rnd(10000), 2000, 1900, 2024, 2100, 0, 400, 2026][rnd(8)] as number;
      let s = `${pad(year, 4)}-${pad(rnd(14), 2)}-${pad(rnd(33), 2)}T${pad(rnd(26), 2)}:${pad(rnd(62), 2)}:${pad(rnd(62), 2)}`;
      const fraction = rnd(6);
      if (fraction === 1) s += `.${pad(rnd(1000), 3)}`;
      else if (fraction === 2) s += `.${rnd(1e9)}`;
      else if (fraction === 3) s += '.';
      const zone = rnd(6);
      s +=
        zone === 0
          ? ''
          : zone < 3
            ? 'Z'
            : zone === 3
              ? `+${pad(rnd(26), 2)}:${pad(rnd(62), 2)}`
              : zone === 4
                ? `-${pad(rnd(24), 2)}${pad(rnd(60), 2)}`
                : 'z';
      if (rnd(20) === 0) {
        const at = rnd(s.length);
        s = s.slice(0, at) + String.fromCharCode(32 + rnd(90)) + s.slice(at + 1);
      }
      const byPattern = ISO_DATETIME.test(s);
      const parsed = parseIsoDateTime(s);
      if (byPattern) accepted++;
      if (byPattern !== !Number.isNaN(parsed) || (byPattern && parsed !== Date.parse(s))) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(accepted).toBeGreaterThan(5_000);
  });
});

describe('repairCanonical', () => {
  it('drops wrongly typed optional fields and keeps the rest', () => {
    const event = {
      v: 1,
      event: 'mcp.call',
      time: '2026-11-24T10:00:00Z',
      client: { ip: 7, name: 'c' },
      durationMs: -3,
      session: 9,
      auth: {},
      custom: { kept: 1 },
    };
    expect(repairCanonical(event)).toEqual({
      v: 1,
      event: 'mcp.call',
      time: '2026-11-24T10:00:00Z',
      client: { name: 'c' },
      custom: { kept: 1 },
    });
    expect(McpEventSchema.safeParse(event).success).toBe(true);
  });

  it('keeps the valid tools entries and cleans them', () => {
    const event = {
      v: 1,
      event: 'mcp.tools',
      time: '2026-11-24T10:00:00Z',
      tools: [{ name: 'a', title: 1 }, 'b', { title: 'no name' }, { name: 'c', annotations: [] }],
    };
    expect(repairCanonical(event)).toEqual({
      v: 1,
      event: 'mcp.tools',
      time: '2026-11-24T10:00:00Z',
      tools: [{ name: 'a' }, { name: 'c' }],
    });
  });

  it('cannot repair v, event or time', () => {
    expect(repairCanonical({ v: 1, event: 'mcp.call', time: 'yesterday' })).toBeUndefined();
    expect(repairCanonical({ v: 1, event: 'nope', time: '2026-11-24T10:00:00Z' })).toBeUndefined();
    expect(repairCanonical([])).toBeUndefined();
    expect(canonicalIssue({ v: 1, event: 'mcp.call', time: '2026-11-24T10:00:00Z', tools: 'x' })).toEqual({
      path: ['tools'],
      message: 'is not an array',
    });
  });
});
