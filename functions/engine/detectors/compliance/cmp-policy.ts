import * as z from 'zod';
import type { EngineConfig } from '../../config/schema.js';
import { findingContext } from '../../events/accessors.js';
import type { McpEvent } from '../../events/schema.js';
import { GlobSet } from '../../text/glob.js';
import { stringLeaves } from '../../text/leaves.js';
import { PiiTally, piiKindBit, type PiiKind } from '../../text/pii.js';
import { defineDetector, type DetectorContext } from '../detector.js';

const ID = 'CMP-POLICY';
/** Argument paths named in PII evidence (names only, never values). */
const MAX_EVIDENCE_FIELDS = 5;

/** Memoized glob answers (globs run through re2js; the same few names repeat on every call). */
const MEMO_MAX = 10_000;
const MEMO_KEY_MAX = 256;

class MemoGlobSet {
  private readonly memo = new Map<string, boolean>();
  constructor(private readonly globs: GlobSet) {}

  get isEmpty(): boolean {
    return this.globs.isEmpty;
  }

  matches(value: string): boolean {
    const known = this.memo.get(value);
    return known ?? this.remember(value, this.globs.matches(value));
  }

  matchesTool(server: string | undefined, tool: string): boolean {
    const key = `${server ?? ''}\u0000${tool}`;
    const known = this.memo.get(key);
    return known ?? this.remember(key, this.globs.matchesTool(server, tool));
  }

  private remember(key: string, answer: boolean): boolean {
    if (key.length > MEMO_KEY_MAX) return answer; // odd, long names are not worth keeping
    if (this.memo.size >= MEMO_MAX) this.memo.clear();
    this.memo.set(key, answer);
    return answer;
  }
}

/** The policy of one engine config, compiled once (by `prepare`). */
interface CompiledPolicy {
  readonly active: boolean;
  readonly servers: MemoGlobSet;
  readonly tools: MemoGlobSet;
  readonly principalTools: ReadonlyMap<string, MemoGlobSet>;
  readonly piiToSinks: boolean;
}

function compilePolicy(config: EngineConfig): CompiledPolicy {
  const servers = new MemoGlobSet(new GlobSet(config.allowLists.servers));
  const tools = new MemoGlobSet(new GlobSet(config.allowLists.tools));
  const principalTools = new Map<string, MemoGlobSet>();
  for (const [principal, globs] of Object.entries(config.policy?.principalTools ?? {})) {
    principalTools.set(principal, new MemoGlobSet(new GlobSet(globs)));
  }
  return {
    active: config.policy !== undefined || !servers.isEmpty || !tools.isEmpty,
    servers,
    tools,
    principalTools,
    piiToSinks: config.policy?.piiToSinks === true,
  };
}

/** The tools/call name of a call (not prompts/get, whose name also lands in `tool`). */
function calledTool(e: McpEvent): string | undefined {
  const method = e.rpc?.method;
  return method === 'tools/call' || method === undefined ? e.tool : undefined;
}

/** Whether a leaf path (`message.to[0]`, `recipients[2].email`) lies under an addressing field. */
function underAddressingField(path: string, addressing: ReadonlySet<string>): boolean {
  let start = 0;
  for (let i = 0; i <= path.length; i++) {
    const c = i < path.length ? path.charCodeAt(i) : 46;
    if (c !== 46 && c !== 91) continue; // '.' or '['
    if (i > start) {
      const segment = path.slice(start, i).toLowerCase();
      if (addressing.has(segment)) return true;
    }
    // Skip an array index: `[3]`.
    if (c === 91) {
      const close = path.indexOf(']', i);
      i = close === -1 ? path.length : close;
      if (path.charCodeAt(i + 1) === 46) i++;
    }
    start = i + 1;
  }
  return false;
}

const settings = z.object({
  bulkEmailThreshold: z
    .number()
    .int()
    .min(2)
    .default(5)
    .describe(
      "Distinct email addresses in one call's content (outside addressing fields) that count as bulk PII.",
    ),
  addressingFields: z
    .array(z.string().min(1))
    .default([
      'to',
      'cc',
      'bcc',
      'from',
      'sender',
      'recipient',
      'recipients',
      'reply_to',
      'replyto',
      'reply-to',
      'attendees',
      'invitees',
    ])
    .describe(
      'Argument names (at any depth) that address a message: email addresses under them are not a leak.',
    ),
  maxScanChars: z
    .number()
    .int()
    .min(1024)
    .max(262_144)
    .default(65_536)
    .describe("Characters of one call's arguments scanned for PII."),
  includeTestCardNumbers: z
    .boolean()
    .default(false)
    .describe(
      'Count well-known test card numbers (4111 1111 1111 1111, …) and dummy patterns as card numbers.',
    ),
});
type PolicySettings = z.output<typeof settings>;


/** [one, many] names of each kind for titles. */
const PII_LABELS: Record<PiiKind, [string, string]> = {
  'card-number': ['card number', 'card numbers'],
  'us-ssn': ['US SSN', 'US SSNs'],
  'uk-nino': ['UK NI number', 'UK NI numbers'],
  iban: ['IBAN', 'IBANs'],
  email: ['email address', 'email addresses'],
};

/** `addressing`: the lower-cased `addressingFields`. */
function checkPii(e: McpEvent, tool: string, ts: number, ctx: DetectorContext<PolicySettings>, addressing: ReadonlySet<string>): void {
  const s = ctx.settings;
  const tally = new PiiTally(s.maxScanChars, s.includeTestCardNumbers);
  const hits: Array<[string, number]> = [];
  for (const leaf of stringLeaves(e.arguments)) {
    // Recipients are how a message is addressed, not what it leaks: their emails don't count.
    const emails = !underAddressingField(leaf.path, addressing);
    const kinds = tally.scan(leaf.value, { emails });
    if (kinds !== 0) hits.push([leaf.path || '(root)', kinds]);
  }
  if (hits.length === 0) return;
  const found: Partial<Record<PiiKind, number>> = {};
  let reported = 0;
  for (const { kind, count } of tally.results()) {
    if (kind === 'email' && count < s.bulkEmailThreshold) continue;
    found[kind] = count;
    reported |= piiKindBit(kind);
  }
  if (reported === 0) return;
  const kinds = Object.keys(found) as PiiKind[];
  const fields = hits
    .filter(([, mask]) => (mask & reported) !== 0)
    .slice(0, MAX_EVIDENCE_FIELDS)
    .map(([path]) => path);
  ctx.report({
    ...findingContext(e),
    severity: 'high',
    title: `PII sent to sink tool ${tool}: ${kinds.map((k) => `${found[k]} ${PII_LABELS[k][found[k] === 1 ? 0 : 1]}`).join(', ')}`,
    subject: `pii tool=${tool}`,
    ts,
    // Counts and field names only: the values are the personal data.
    evidence: {
      pii: found,
      fields,
      ...(found.email !== undefined ? { bulkEmailThreshold: s.bulkEmailThreshold } : {}),
    },
  });
}

export const cmpPolicy = defineDetector({
  meta: {
    id: ID,
    category: 'compliance',
    title: 'Policy violation',
    severity: 'medium',
    detects:
      "Calls that break the configured policy: servers or tools not on allowLists.servers / allowLists.tools, tools outside a principal's allowed set (policy.principalTools), and personal data in the content of sink-tool arguments — card numbers passing Luhn, US SSNs, UK NI numbers, IBANs (mod-97), or 5+ distinct email addresses; recipient fields (`to`, `cc`, `bcc`, …) are not content.",
    why: 'Allow-lists are how an organisation limits which MCP servers and tools agents may use (shadow servers, unvetted tools); personal or payment data leaving through a public sink (email, chat, webhook, issue tracker) is a reportable data breach under PCI DSS, GDPR and similar regimes.',
    tuning:
      'Active only when a policy is configured: the `policy` section (principalTools, piiToSinks) or non-empty allowLists.tools / allowLists.servers; PII is checked when `policy` is present and `policy.piiToSinks` is true. Sink tools come from toolLabels.publicSink (and name/annotation inference). Add recipient-like argument names to `addressingFields`; raise `bulkEmailThreshold` for tools that legitimately send address lists in their body. Well-known test card numbers and dummy numbers are ignored unless `includeTestCardNumbers` is set. Trusted principals are not exempt: policy applies to everyone (use a suppression).',
    runbook:
      'Confirm the call with its principal; for PII, find where the data came from (earlier private-data tools in the session) and start the data-breach procedure if it left the organisation; for allow-list violations, block the server or tool or add it to the policy.',
    references: [
      { id: 'OWASP-MCP09', title: 'OWASP MCP Top 10: Shadow MCP Servers' },
      { id: 'OWASP-MCP02', title: 'OWASP MCP Top 10: Privilege Escalation via Scope Creep' },
      { id: 'OWASP-MCP10', title: 'OWASP MCP Top 10: Context Injection & Over-Sharing' },
      {
        id: 'INVARIANT-TOXIC-FLOWS',
        title: 'Invariant Labs: toxic agent flows (private data to public sinks)',
      },
      {
        id: 'CWE-359',
        title: 'CWE-359 Exposure of Private Personal Information',
        url: 'https://cwe.mitre.org/data/definitions/359.html',
      },
      {
        id: 'MITRE-T1567',
        title: 'MITRE ATT&CK T1567 Exfiltration Over Web Service',
        url: 'https://attack.mitre.org/techniques/T1567/',
      },
    ],
    state: 'none',
    ignoresTrustedCallers: true,
  },
  settings,
  events: ['mcp.call'],
  prepare(s, config) {
    return { policy: compilePolicy(config), addressing: new Set(s.addressingFields.map((f) => f.toLowerCase())) as ReadonlySet<string> };
  },
  evaluate(ev, ctx) {
    const policy = ctx.prepared.policy;
    if (!policy.active) return;
    const e = ev.event;
    const server = e.server?.name;
    const tool = calledTool(e);

    if (!policy.servers.isEmpty && server !== undefined && !policy.servers.matches(server)) {
      ctx.report({
        ...findingContext(e),
        severity: 'medium',
        title: `Call to server ${server}, which is not on the server allow-list`,
        subject: 'server-not-allowed',
        ts: ev.ts,
        evidence: {
          rule: 'allowLists.servers',
          ...(e.rpc?.method !== undefined ? { method: e.rpc.method } : {}),
        },
      });
    }
    if (tool === undefined) return;

    if (!policy.tools.isEmpty && !policy.tools.matchesTool(server, tool)) {
      ctx.report({
        ...findingContext(e),
        severity: 'medium',
        title: `Call to tool ${tool}, which is not on the tool allow-list`,
        subject: `tool-not-allowed tool=${tool}`,
        ts: ev.ts,
        evidence: { rule: 'allowLists.tools' },
      });
    }

    if (policy.principalTools.size > 0) {
      const sub = e.principal?.sub;
      const clientId = e.principal?.clientId;
      const [principal, allowed] =
        sub !== undefined && policy.principalTools.has(sub)
          ? [sub, policy.principalTools.get(sub)]
          : clientId !== undefined && policy.principalTools.has(clientId)
            ? [clientId, policy.principalTools.get(clientId)]
            : [undefined, undefined];
      if (principal !== undefined && allowed !== undefined && !allowed.matchesTool(server, tool)) {
        ctx.report({
          ...findingContext(e),
          severity: 'medium',
          title: `Principal ${principal} called tool ${tool}, outside its allowed tools`,
          subject: `principal-tool principal=${principal} tool=${tool}`,
          ts: ev.ts,
          evidence: { rule: `policy.principalTools.${principal}` },
        });
      }
    }

    if (!policy.piiToSinks || e.arguments === undefined) return;
    if (!ctx.labels.has('publicSink', server, tool, ctx.state)) return;
    checkPii(e, tool, ev.ts, ctx, ctx.prepared.addressing);
  },
});
