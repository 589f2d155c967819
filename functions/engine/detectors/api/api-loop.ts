import { createHash } from 'node:crypto';
import * as z from 'zod';
import { actorKey, findingContext } from '../../events/accessors.js';
import type { McpEvent } from '../../events/schema.js';
import { keyPart } from '../../state/key-part.js';
import { GlobSet } from '../../text/glob.js';
import { BoundedKeyCache2 } from '../bounded-key-cache.js';
import { defineDetector } from '../detector.js';
import { MemberCountThreshold } from '../threshold.js';
import { repeatHash, type CallOutcome } from './repeat-hash.js';

const ID = 'API-LOOP';
const MAX_NODES = 2_000;
const MAX_CANONICAL_CHARS = 65_536;
const MAX_DEPTH = 16;
/** Distinct calls counted per owner in the window; past it the least recently repeated is dropped. */
const MAX_DISTINCT_CALLS = 128;

/** Bounds of one canonicalJson run (a loop, not closures: this can run for every call). */
interface Budget {
  nodes: number;
  size: number;
}

function budgetFull(b: Budget): boolean {
  return b.nodes > MAX_NODES || b.size > MAX_CANONICAL_CHARS;
}

function writeCanonical(v: unknown, depth: number, b: Budget): string {
  if (++b.nodes > MAX_NODES || b.size > MAX_CANONICAL_CHARS || depth > MAX_DEPTH) return '"…"';
  let out: string;
  if (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') out = JSON.stringify(v);
  else if (Array.isArray(v)) {
    const parts: string[] = [];
    for (let i = 0; i < v.length && !budgetFull(b); i++) parts.push(writeCanonical(v[i], depth + 1, b));
    out = `[${parts.join(',')}${parts.length < v.length ? ',"…"' : ''}]`;
  } else if (typeof v === 'object') {
    const obj = v as Record<string, unknown>;
    const keys = Object.keys(obj).sort();
    const parts: string[] = [];
    for (let i = 0; i < keys.length && !budgetFull(b); i++)
      parts.push(`${JSON.stringify(keys[i])}:${writeCanonical(obj[keys[i] as string], depth + 1, b)}`);
    out = `{${parts.join(',')}${parts.length < keys.length ? ',"…"' : ''}}`;
  } else out = 'null';
  b.size += out.length;
  return out;
}

/**
 * JSON with object keys sorted at every level, so {a,b} and {b,a} hash alike. Bounded: past the
 * node, depth or size limits the remainder is summarised, which can only merge distinct argument
 * sets that share a long identical prefix.
 */
export function canonicalJson(value: unknown): string {
  return writeCanonical(value, 0, { nodes: 0, size: 0 });
}

export function argumentsHash(args: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(args ?? null))
    .digest('hex')
    .slice(0, 16);
}

/**
 * What the call returned, as far as the log shows: error code, isError and the text (or size).
 * A call that keeps returning new content is polling something that changes, not a stuck loop.
 */
function outcomeOf(e: McpEvent): CallOutcome {
  return {
    code: e.error?.code,
    isError: e.result?.isError === true,
    text: e.result?.text,
    bytes: e.result?.bytes,
    message: e.error?.message,
  };
}

/** The counters' key of an owner (`session:<id>`, or an actor key) on a raw server name. */
function callsKey(server: string, owner: string): string {
  return `${ID}|${keyPart(server)}|calls|${keyPart(owner, 80)}`;
}
// Per raw server name and session id (or actor key): the same key string for every call (see KeyCache2).
const sessionCallKeys = new BoundedKeyCache2((server, session) => callsKey(server, `session:${session}`));
const actorCallKeys = new BoundedKeyCache2(callsKey);

export const apiLoop = defineDetector({
  meta: {
    id: ID,
    category: 'api',
    title: 'Agent loop: identical tool call repeated',
    severity: 'medium',
    detects:
      'The same tool called with identical arguments (key order ignored) many times in one session within a short window — by default only while it keeps getting the same outcome (result or error), i.e. without progress: each distinct outcome of an identical call is counted on its own.',
    why: 'A runaway or manipulated agent repeats the same call (often retrying a failing one, or pushed by injected text to "try again"), burning quota and money and hammering the backing system. Pagination changes the arguments and does not count.',
    tuning:
      'Pollers (a `get_status` or `wait_for_job` tool called with the same arguments and getting the same "pending" answer) are loops by this definition and do fire: add them to `ignoreTools` or raise `threshold` if polling is how your agents work. With `sameOutcomeOnly` (default) a repeat counts only towards the calls that got the same outcome (error code, isError, result text or size, error message): repeats whose results differ (re-reading an inbox that changes) are progress, not a loop, and a call flapping between outcomes (success, timeout, success …) alerts only once one outcome alone reaches `threshold` — after about twice as many calls for two alternating outcomes. Set it to false to count every identical call whatever it returned (a flapping retry then alerts at `threshold`). Calls without a session are keyed by principal, token or IP.',
    runbook:
      "Look at the session's results for the repeated call (an error the agent keeps retrying, or an instruction in a result telling it to repeat); stop the session if it does not converge.",
    references: [
      {
        id: 'CWE-835',
        title: 'Loop with Unreachable Exit Condition',
        url: 'https://cwe.mitre.org/data/definitions/835.html',
      },
      {
        id: 'CWE-770',
        title: 'Allocation of Resources Without Limits or Throttling',
        url: 'https://cwe.mitre.org/data/definitions/770.html',
      },
    ],
    state: 'window',
  },
  settings: z.object({
    threshold: z
      .number()
      .int()
      .min(2)
      .default(10)
      .describe('Identical calls in the window that raise an alert.'),
    windowSeconds: z.number().int().min(10).default(300).describe('Sliding window length.'),
    ignoreTools: z
      .array(z.string().min(1))
      .default([])
      .describe('Tools (globs, `tool` or `server/tool`) expected to be polled with identical arguments.'),
    sameOutcomeOnly: z
      .boolean()
      .default(true)
      .describe(
        'Count a repeat only towards the earlier calls with the same outcome (result text/size, error): changing results mean the agent is making progress; alternating outcomes are counted apart.',
      ),
  }),
  events: ['mcp.call'],
  prepare(s) {
    return {
      ignoreTools: new GlobSet(s.ignoreTools),
      // One item per owner holds a counter per distinct call: a session's calls cost one lookup
      // and one item, not one item each. The crossing is the incident; later repeats fold into it downstream.
      repeats: new MemberCountThreshold({ threshold: s.threshold, windowMs: s.windowSeconds * 1000, cap: MAX_DISTINCT_CALLS, report: 'crossing' }),
    };
  },
  evaluate(ev, ctx) {
    const e = ev.event;
    if (e.tool === undefined) return;
    const server = e.server?.name ?? 'unknown';
    if (ctx.prepared.ignoreTools.matchesTool(server, e.tool)) return;
    // Without a session, calls are counted by principal, token or IP.
    const actor = e.session === undefined ? actorKey(e) : undefined;
    const key =
      e.session !== undefined
        ? sessionCallKeys.key(server, e.session)
        : actor !== undefined
          ? actorCallKeys.key(server, actor)
          : undefined;
    if (key === undefined) return;
    const repeat = repeatHash(e.tool, e.arguments ?? null, ctx.settings.sameOutcomeOnly ? outcomeOf(e) : undefined, canonicalJson);
    const repeats = ctx.prepared.repeats.count(ctx.state, key, repeat, ev.ts);
    if (repeats < 0) return;
    const hash = argumentsHash(e.arguments);
    const who = e.session !== undefined ? `session=${e.session}` : `${actor}`.replace(':', '=');
    ctx.report({
      ...findingContext(e),
      severity: 'medium',
      title: `${e.tool} called ${repeats} times with identical arguments in ${ctx.settings.windowSeconds}s`,
      subject: `${who} tool=${e.tool} args=${hash}`,
      ts: ev.ts,
      evidence: {
        repeats,
        threshold: ctx.settings.threshold,
        windowSeconds: ctx.settings.windowSeconds,
        argumentsHash: hash,
        lastIsError: e.result?.isError === true || e.error !== undefined,
      },
    });
  },
});
