import * as z from 'zod';
import { findingContext, principalId } from '../../events/accessors.js';
import { DESTRUCTIVE } from '../../labels/tool-labels.js';
import type { Baseline } from '../../state/baseline.js';
import type { StateRecord } from '../../state/state-record.js';
import { defineDetector } from '../detector.js';
import { digest } from '../../state/digest.js';
import { KeyCache } from '../../state/key-cache.js';
import { BoundedKeyCache2 } from '../bounded-key-cache.js';
import { keyPart } from '../../state/key-part.js';
import { agentIdentity } from './agent-identity.js';

const DAY_MS = 24 * 3600 * 1000;
/** Tool-history bookkeeping fields; tool fields are 12-hex hashes, so they cannot collide. */
const FIRST_SEEN = '_first';
const CALLS = '_calls';
/** JSON-RPC "method not found" / "invalid params" (unknown tool): not a use of a tool. */
const UNKNOWN_TOOL_CODES = new Set([-32601, -32602]);

const MAX_OPEN_SESSIONS = 32;
/** How long a session's distinct tools are remembered (a tool unused for longer counts again). */
const SESSION_WINDOW_MS = 12 * 3600 * 1000;
const BASELINE_ALPHA = 0.2;

/**
 * Folds finished sessions into the baseline of distinct tools per session: those idle for
 * `idleMs`, and — when the open-session record is full and `current` is new — the least recently
 * active one. Entries are [distinct tools, last call time].
 */
function foldFinishedSessions(open: StateRecord, baseline: Baseline, current: string, t: number, idleMs: number): void {
  let oldest: string | undefined;
  let oldestAt = Infinity;
  for (const other of open.fields()) {
    if (other === current) continue;
    const entry = open.get<[number, number]>(other);
    if (!Array.isArray(entry)) {
      open.delete(other, t);
      continue;
    }
    if (entry[1] <= t - idleMs) {
      baseline.observe(entry[0], entry[1], BASELINE_ALPHA);
      open.delete(other, t);
    } else if (entry[1] < oldestAt) {
      [oldest, oldestAt] = [other, entry[1]];
    }
  }
  if (oldest === undefined || open.has(current) || open.size < MAX_OPEN_SESSIONS) return;
  const entry = open.get<[number, number]>(oldest) as [number, number];
  baseline.observe(entry[0], entry[1], BASELINE_ALPHA);
  open.delete(oldest, t);
}

/** 12 hex chars of the tool name's SHA-256: a fixed, small field name whatever the name. */
function toolFieldOf(tool: string): string {
  return digest('sha256', tool, 'hex').slice(0, 12);
}

/** Names longer than this are hashed every time instead of being kept in a cache. */
const CACHED_NAME_MAX = 256;
// A server's tools are few and recur on every call: hash each name once.
const toolFields = new KeyCache(toolFieldOf);

function toolField(tool: string): string {
  return tool.length <= CACHED_NAME_MAX ? toolFields.key(tool) : toolFieldOf(tool);
}

/** The state keys of one agent on one server, built once and reused (see KeyCache). */
interface AgentKeys {
  readonly agent: string;
  readonly tools: string;
  readonly sessionTools: string;
  readonly openSessions: string;
  /** Followed by the session's key part. */
  readonly sessionPrefix: string;
}

/** Agents (by server, then principal or client name) whose keys are cached; past it the cache starts over. */
const AGENT_KEYS_MAX = 4096;

/**
 * Per-agent keys by raw server name, then raw principal (or client name). Building and hashing
 * four concatenated keys per call costs more than the rest of the detector's state work.
 */
class AgentKeyCache {
  private readonly byServer = new Map<string, Map<string, AgentKeys>>();
  private size = 0;

  constructor(private readonly kind: 'principal' | 'client') {}

  keys(serverName: string, who: string): AgentKeys {
    let inner = this.byServer.get(serverName);
    const cached = inner?.get(who);
    if (cached !== undefined) return cached;
    const built = this.build(serverName, who);
    // Long names are attacker-sized: they are not kept, so the cache's memory stays bounded.
    if (serverName.length > CACHED_NAME_MAX || who.length > CACHED_NAME_MAX) return built;
    if (this.size >= AGENT_KEYS_MAX) {
      this.byServer.clear();
      this.size = 0;
      inner = undefined;
    }
    if (inner === undefined) {
      inner = new Map<string, AgentKeys>();
      this.byServer.set(serverName, inner);
    }
    inner.set(who, built);
    this.size++;
    return built;
  }

  private build(serverName: string, who: string): AgentKeys {
    const server = keyPart(serverName);
    const agent = (this.kind === 'principal' ? agentIdentity(who, undefined) : agentIdentity(undefined, who)) as string;
    return {
      agent,
      tools: `AGT-UNUSUAL-TOOL|${server}|tools|${agent}`,
      sessionTools: `AGT-UNUSUAL-TOOL|${server}|sessionTools|${agent}`,
      openSessions: `AGT-UNUSUAL-TOOL|${server}|openSessions|${agent}`,
      sessionPrefix: `AGT-UNUSUAL-TOOL|${server}|session|`,
    };
  }
}

/** An agent's key of one session (its sessionPrefix + the session's key part), the same string every call. */
const sessionKeys = new BoundedKeyCache2((sessionPrefix, session) => sessionPrefix + keyPart(session));

const principalKeys = new AgentKeyCache('principal');
const clientKeys = new AgentKeyCache('client');

/** Evicts the least recently used tool so a new one fits (the record refuses fields past its cap). */
function evictOldestTool(history: StateRecord, t: number): void {
  let oldest: string | undefined;
  let oldestDay = Infinity;
  for (const field of history.fields()) {
    if (field.startsWith('_')) continue;
    const day = history.get<number>(field) ?? 0;
    if (day < oldestDay) [oldest, oldestDay] = [field, day];
  }
  if (oldest !== undefined) history.delete(oldest, t);
}

export const agtUnusualTool = defineDetector({
  meta: {
    id: 'AGT-UNUSUAL-TOOL',
    category: 'agent',
    title: 'Unusual tool use by an agent',
    severity: 'low',
    detects:
      'A principal (or, without one, a client application) using a tool on a server for the first time after it has an established history there; and sessions using far more distinct tools than that principal\'s sessions usually do.',
    why:
      'A hijacked or prompt-injected agent reaches for tools its owner never uses (a delete, a shell, a transfer) or sweeps through a server\'s tools. Established agents use a stable set of tools.',
    tuning:
      'Nothing is reported while a principal is learning (`learningCalls` calls and `learningDays` days on a server). Destructive tools (config labels, destructiveHint, names like delete_/exec) are reported as medium. Raise `sessionToolsFloor` / `sessionToolsMultiplier` for agents that legitimately explore many tools. Histories expire after `historyDays` without use.',
    runbook: 'Ask the principal\'s owner whether the new tool is expected; if not, review the session for the prompt or tool result that led to it.',
    references: [
      { id: 'OWASP-MCP02', title: 'OWASP MCP Top 10: Privilege Escalation via Scope Creep' },
      { id: 'OWASP-MCP06', title: 'OWASP MCP Top 10: Prompt Injection via Contextual Payloads' },
      { id: 'OWASP-MCP08', title: 'OWASP MCP Top 10: Lack of Audit and Telemetry' },
      { id: 'MITRE-T1078', title: 'MITRE ATT&CK T1078 Valid Accounts (use of a legitimate identity for unusual actions)', url: 'https://attack.mitre.org/techniques/T1078/' },
    ],
    state: 'baseline',
  },
  settings: z.object({
    learningCalls: z.number().int().min(0).default(20).describe('Calls on a server before a principal\'s tool set counts as established.'),
    learningDays: z.number().min(0).default(1).describe('Days since a principal was first seen on a server before its tool set counts as established.'),
    historyDays: z.number().int().min(1).default(30).describe('A principal\'s tool history expires after this many days without calls.'),
    maxToolsPerPrincipal: z
      .number()
      .int()
      .min(8)
      .max(256)
      .default(128)
      .describe('Tools remembered per principal and server (least recently used are forgotten first).'),
    sessionToolsFloor: z.number().int().min(2).default(10).describe('A session must use more than this many distinct tools to be unusual.'),
    sessionToolsMultiplier: z.number().min(1).default(3).describe('...and more than this many times the principal\'s usual distinct tools per session.'),
    minBaselineSessions: z.number().int().min(1).default(5).describe('Finished sessions needed before the per-session baseline is used.'),
    sessionIdleMinutes: z.number().int().min(1).default(30).describe('A session without calls for this long is finished and folded into the baseline.'),
  }),
  events: ['mcp.call'],
  evaluate(ev, ctx) {
    const e = ev.event;
    const tool = e.tool;
    if (tool === undefined) return;
    if (e.error?.code !== undefined && UNKNOWN_TOOL_CODES.has(e.error.code)) return;
    const principal = principalId(e);
    const clientName = e.client?.name;
    const serverName = e.server?.name ?? 'unknown';
    let keys: AgentKeys;
    if (principal !== undefined) keys = principalKeys.keys(serverName, principal);
    else if (clientName !== undefined) keys = clientKeys.keys(serverName, clientName);
    else return;
    const agent = keys.agent;
    const s = ctx.settings;
    const t = ev.ts;
    const day = Math.floor(t / DAY_MS);
    const field = toolField(tool);

    // --- first use of a tool -----------------------------------------------------------------
    const history = ctx.state.record(keys.tools, {
      ttlMs: s.historyDays * DAY_MS,
      maxFields: s.maxToolsPerPrincipal + 2,
    });
    const firstSeen = history.get<number>(FIRST_SEEN);
    if (firstSeen === undefined) history.set(FIRST_SEEN, t, t);
    const calls = history.get<number>(CALLS) ?? 0;
    const established = firstSeen !== undefined && calls >= s.learningCalls && t - firstSeen >= s.learningDays * DAY_MS;
    // Stop counting once learned: steady-state calls then write only when a tool's day changes.
    if (calls < s.learningCalls) history.set(CALLS, calls + 1, t);
    const lastDay = history.get<number>(field);
    if (lastDay === undefined) {
      if (history.size >= s.maxToolsPerPrincipal + 2) evictOldestTool(history, t);
      history.set(field, day, t);
      if (established) {
        const destructive = (ctx.labels.mask(e.server?.name, tool, ctx.state) & DESTRUCTIVE) !== 0;
        ctx.report({
          ...findingContext(e),
          severity: destructive ? 'medium' : 'low',
          title: `${agent} used ${destructive ? 'destructive tool' : 'tool'} ${keyPart(tool)} for the first time`,
          subject: `${agent} tool=${keyPart(tool)}`,
          ts: t,
          evidence: {
            reason: 'first-use',
            destructive,
            knownTools: history.fields().filter((f) => !f.startsWith('_')).length - 1,
            historyDays: Math.floor((t - (firstSeen ?? t)) / DAY_MS),
          },
        });
      }
    } else if (lastDay !== day) {
      history.set(field, day, t);
    }

    // --- distinct tools in one session vs. the principal's usual -------------------------------
    const session = e.session;
    if (session === undefined) return;
    const sessionPart = keyPart(session);
    const idleMs = s.sessionIdleMinutes * 60_000;
    const baseline = ctx.state.baseline(keys.sessionTools, { ttlMs: s.historyDays * DAY_MS });
    const open = ctx.state.record(keys.openSessions, { ttlMs: 2 * idleMs, maxFields: MAX_OPEN_SESSIONS });
    foldFinishedSessions(open, baseline, sessionPart, t, idleMs);
    const tools = ctx.state.distinct(sessionKeys.key(keys.sessionPrefix, session), { windowMs: SESSION_WINDOW_MS, cap: 256 });
    const before = tools.count(t);
    const isNew = !tools.has(field, t);
    // Only a tool new to the session changes the count (and needs a write).
    if (isNew) tools.add(field, t);
    const count = isNew ? before + 1 : before;
    const entry = open.get<[number, number]>(sessionPart);
    // Touch the open-session entry when its count changes or before it would look idle.
    if (entry === undefined || entry[0] !== count || t - entry[1] > idleMs / 2) open.set(sessionPart, [count, t], t);
    if (!isNew || baseline.count < s.minBaselineSessions) return;
    const limit = Math.max(s.sessionToolsFloor, s.sessionToolsMultiplier * baseline.mean);
    if (count <= limit || before > limit) return;
    ctx.report({
      ...findingContext(e),
      severity: 'low',
      title: `Session used ${count} distinct tools (usual for ${agent}: ${baseline.mean.toFixed(1)})`,
      subject: `${agent} session=${sessionPart}`,
      ts: t,
      evidence: {
        reason: 'session-tools',
        distinctTools: count,
        limit: Number(limit.toFixed(2)),
        baselineMean: Number(baseline.mean.toFixed(2)),
        baselineSessions: baseline.count,
      },
    });
  },
});
