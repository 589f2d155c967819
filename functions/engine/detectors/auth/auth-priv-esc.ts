import * as z from 'zod';
import { clientIp, findingContext, principalId } from '../../events/accessors.js';
import { EVENT_KINDS, type McpEvent } from '../../events/schema.js';
import { toolWords } from '../../labels/tool-labels.js';
import { GlobSet } from '../../text/glob.js';
import { defineDetector } from '../detector.js';
import { DistinctThreshold } from '../threshold.js';
import { keyPart } from '../../state/key-part.js';
import { allowedOriginsByServer, originRejection } from './origin-rejection.js';

type DenialKind = 'policy-deny' | 'insufficient_scope' | 'denied';

const MESSAGE_SCAN_MAX = 300;
const TOOL_NAME_SCAN_MAX = 256;
const INSUFFICIENT_SCOPE = /\binsufficient[_ ]scope\b/i;
/** Targets listed in evidence. */
const EVIDENCE_TARGETS = 10;

const DEFAULT_ADMIN_WORDS = [
  'admin', 'administrator', 'sudo', 'root', 'superuser', 'iam', 'grant', 'role', 'roles',
  'permission', 'permissions', 'privilege', 'privileges',
];

/**
 * Why the event is an authorization denial, if it is one: a policy `deny` (any event), an
 * `mcp.auth` denial or `insufficient_scope` reason, or a 403 whose error names insufficient_scope.
 * Authentication failures (401) are AUTH-BRUTE-FORCE's, not denials.
 */
function denialKind(e: McpEvent): DenialKind | undefined {
  const decision = e.policy?.decision;
  if (decision !== undefined && decision.toLowerCase() === 'deny') return 'policy-deny';
  const auth = e.auth;
  if (auth !== undefined) {
    if (auth.reason === 'insufficient_scope') return 'insufficient_scope';
    if (auth.outcome === 'denied') return 'denied';
  }
  if (e.http?.status === 403) {
    const message = e.error?.message;
    if (message !== undefined && INSUFFICIENT_SCOPE.test(message.slice(0, MESSAGE_SCAN_MAX))) return 'insufficient_scope';
  }
  return undefined;
}

/** What was denied: the tool, else the resource, else the method; endpoint-level denials are one target. */
function denialTarget(e: McpEvent): string {
  if (e.tool !== undefined) return `tool:${keyPart(e.tool)}`;
  if (e.uri !== undefined) return `uri:${keyPart(e.uri)}`;
  if (e.rpc?.method !== undefined) return `method:${keyPart(e.rpc.method)}`;
  return '(endpoint)';
}

function isAdminName(tool: string, words: ReadonlySet<string>): boolean {
  for (const w of toolWords(tool.length > TOOL_NAME_SCAN_MAX ? tool.slice(0, TOOL_NAME_SCAN_MAX) : tool)) if (words.has(w)) return true;
  return false;
}

export const authPrivEsc = defineDetector({
  meta: {
    id: 'AUTH-PRIV-ESC',
    category: 'auth',
    title: 'Privilege escalation attempts (authorization denials)',
    severity: 'high',
    detects:
      'Repeated authorization denials for one principal (or source IP when there is no principal): 403 insufficient_scope, mcp.auth denials and policy denies across several distinct tools in a short window; and any denial of an admin or destructive tool.',
    why:
      'A stolen or low-privilege token being tried against tools it was not granted, or an agent steered by prompt injection towards admin actions, shows up as a run of denials across different tools. A denied call to an admin/IAM/destructive tool is worth a look on its own: it is the attempt that failed, the next one may not.',
    tuning:
      'Raise `distinctTools` or shorten `windowSeconds` for clients that legitimately probe capabilities (step-up authorization flows deny once, then succeed). Admin tools are those labelled destructive (toolLabels, destructiveHint, names like delete_/exec_) plus names containing one of `adminWords`; exclude a tool with toolLabels.none. Denials without a tool, resource or method (endpoint-level 403s) count as one target. Origin/Host refusals are AUTH-BAD-ORIGIN\'s and are not counted here.',
    runbook: 'Check which scopes the principal holds and which tools it tried; if the attempts are not a known client bug, revoke the token and review what the same principal did successfully.',
    references: [
      { id: 'OWASP-MCP02', title: 'OWASP MCP Top 10: Privilege Escalation via Scope Creep' },
      { id: 'OWASP-MCP07', title: 'OWASP MCP Top 10: Insufficient Authentication & Authorization' },
      { id: 'MCP-SPEC-AUTH', title: 'MCP Authorization (2025-11-25): scope challenge, 403 insufficient_scope', url: 'https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization' },
      { id: 'MCP-SEC-MONITORING', title: 'ModelContextProtocol-Security runtime monitoring: 3 denials on admin resources in 60 s' },
      { id: 'RFC-6750', title: 'RFC 6750 Bearer Token Usage: insufficient_scope', url: 'https://www.rfc-editor.org/rfc/rfc6750#section-3.1' },
      { id: 'CWE-269', title: 'CWE-269 Improper Privilege Management', url: 'https://cwe.mitre.org/data/definitions/269.html' },
    ],
    state: 'window',
  },
  settings: z.object({
    distinctTools: z
      .number()
      .int()
      .min(1)
      .default(3)
      .describe('Distinct denied tools (or resources/methods when no tool is named) per principal or IP in the window that raise a high alert.'),
    windowSeconds: z.number().int().min(10).default(60).describe('Sliding window length.'),
    adminWords: z
      .array(z.string().min(1))
      .default(DEFAULT_ADMIN_WORDS)
      .describe('Tool-name words (split on _ - . and camelCase) that make a tool an admin tool: any denial on it is critical.'),
  }),
  events: EVENT_KINDS,
  prepare(s, config) {
    return {
      adminWords: new Set(s.adminWords.map((w) => w.toLowerCase())) as ReadonlySet<string>,
      /** toolLabels.none: tools the operator declared carry no label, admin-sounding names included. */
      unlabelled: new GlobSet(config.toolLabels.none),
      origins: allowedOriginsByServer(config),
      // Every denial at or above the threshold reports; the alert stage folds them into one alert.
      targets: new DistinctThreshold({ threshold: s.distinctTools, windowMs: s.windowSeconds * 1000, cap: 64, report: 'every' }),
    };
  },
  evaluate(ev, ctx) {
    const e = ev.event;
    // Cheap exit: nothing on the event can say "denied".
    if (e.policy === undefined && e.auth === undefined && e.http?.status !== 403) return;
    const kind = denialKind(e);
    if (kind === undefined) return;
    const serverName = e.server?.name;
    if (originRejection(e, ctx.prepared.origins.of(serverName)) !== undefined) return;
    const server = keyPart(serverName ?? 'unknown');
    const principal = principalId(e);
    const ip = clientIp(e);
    const actor = principal !== undefined ? `principal=${keyPart(principal)}` : ip !== undefined ? `ip=${keyPart(ip)}` : undefined;
    const target = denialTarget(e);
    const detail = {
      denial: kind,
      ...(e.policy?.rule !== undefined ? { rule: keyPart(e.policy.rule) } : {}),
      ...(e.auth?.reason !== undefined ? { reason: keyPart(e.auth.reason) } : {}),
      ...(e.http?.status !== undefined ? { status: e.http.status } : {}),
    };

    const tool = e.tool;
    if (tool !== undefined && !ctx.prepared.unlabelled.matchesTool(serverName, tool)) {
      const destructive = ctx.labels.has('destructive', serverName, tool, ctx.state);
      const admin = isAdminName(tool, ctx.prepared.adminWords);
      if (destructive || admin) {
        ctx.report({
          ...findingContext(e),
          severity: 'critical',
          title: `Denied call to ${admin ? 'admin' : 'destructive'} tool ${keyPart(tool)} by ${actor?.replace('=', ' ') ?? 'an unidentified caller'}`,
          subject: actor !== undefined ? `${actor} tool=${keyPart(tool)}` : `tool=${keyPart(tool)}`,
          ts: ev.ts,
          evidence: { ...detail, adminName: admin, destructive },
        });
      }
    }

    if (actor === undefined) return;
    const targetsKey = `AUTH-PRIV-ESC|${server}|targets|${actor}`;
    const distinct = ctx.prepared.targets.add(ctx.state, targetsKey, target, ev.ts);
    if (distinct < 0) return;
    ctx.report({
      ...findingContext(e),
      severity: 'high',
      title: `${distinct} distinct tools denied in ${ctx.settings.windowSeconds}s for ${actor.replace('=', ' ')}`,
      subject: actor,
      ts: ev.ts,
      evidence: {
        ...detail,
        distinctTools: distinct,
        threshold: ctx.settings.distinctTools,
        windowSeconds: ctx.settings.windowSeconds,
        targets: ctx.prepared.targets.members(ctx.state, targetsKey, ev.ts).slice(0, EVIDENCE_TARGETS),
      },
    });
  },
});
