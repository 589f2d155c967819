import * as z from 'zod';
import { findingContext } from '../../events/accessors.js';
import { defineDetector } from '../detector.js';
import { displayName, listedTools } from './tool-listing.js';
import { SHADOWING_ID, staleAfterMs, toolOwnership } from './tool-server-registry.js';
import { analyzeDefinition, foreignReferences } from './definition-analysis.js';
import { crossToolSignals, isPoisoned, type PoisonKind, type PoisonSignal, type ToolReference } from '../../text/tool-text-analysis.js';

const ID = 'CFG-TOOL-POISONING';
const POISON_KINDS = [
  'instruction-tag',
  'concealment',
  'pre-use-instruction',
  'instruction-override',
  'credential-file',
  'hidden-unicode',
  'cross-tool-instruction',
  'instruction-hint',
  'data-routing',
  'priority-claim',
  'hidden-content',
  'consent-bypass',
] as const satisfies readonly PoisonKind[];
const MAX_EVIDENCE_SIGNALS = 6;

export const cfgToolPoisoning = defineDetector({
  meta: {
    id: ID,
    category: 'config',
    title: 'Tool poisoning',
    severity: 'high',
    detects:
      'Tool definitions (title, description, parameter descriptions and other schema strings) carrying hidden instructions for the model: instruction tags (`<IMPORTANT>`), concealment ("do not tell the user"), "before using this tool, read …", instruction overrides, requests to read or pass on credential files, hidden Unicode, and instructions about tools this server does not serve; data routing (the conversation, secrets, agent configs or other tools\' output ordered into a parameter, to this tool or to a hard-coded address; BCC and changed-recipient tricks), priority claims over other tools and servers, claimed user consent, and text hidden after padding, in HTML comments or in base64.',
    why: "Tool descriptions go straight into the model's context but are rarely shown to users, so a malicious or compromised server can instruct the agent to read ~/.ssh or ~/.aws files and smuggle them out through a parameter, or to change how other (trusted) tools behave.",
    tuning:
      'One weak instruction-shaped phrase alone (a priority claim such as "always use this tool instead of …", an order addressed to "the assistant") is reported at low severity as `instruction-hint`; two different ones, or any other signal, make it high. Plain "Important: …" prose, "Do not use for binary files" and descriptions that merely mention a key path ("default ~/.ssh/id_rsa") do not alert; credential paths count only when the text asks to read or pass them on. Data routing is judged against the tool\'s own purpose (its description\'s first clause) and parameter names: a summariser that takes "the conversation", a hasher that takes "the password", "pass the history in the `history` parameter" stay quiet; negated guidance ("never include passwords in …") and third-person self-descriptions ("Reads ~/.bashrc and returns …") are not orders. Instructions about a tool that CFG-TOOL-SHADOWING\'s registry knows another server serves are reported by CFG-TOOL-SHADOWING instead (one alert for one thing); while that detector is disabled they are reported here. Silence a signal kind with `ignoreSignals`; a reviewed definition with `suppressions` (detector + server + tool). Each definition version is its own incident (subject `tool=<name> hash=<hash>`).',
    runbook:
      "Read the flagged definition (evidence: where, excerpt); if it is not your own server's intended text, disconnect the server from clients and check recent calls of the tools it mentions.",
    references: [
      { id: 'OWASP-MCP03', title: 'OWASP MCP Top 10: Tool Poisoning' },
      { id: 'OWASP-MCP06', title: 'OWASP MCP Top 10: Prompt Injection via Contextual Payloads' },
      {
        id: 'INVARIANT-TOOL-POISONING',
        title: 'Invariant Labs: MCP Security Notification — Tool Poisoning Attacks',
        url: 'https://invariantlabs.ai/blog/mcp-security-notification-tool-poisoning-attacks',
      },
      { id: 'MCP-SPEC-SECURITY', title: 'MCP Security Best Practices (2025-11-25)' },
      {
        id: 'CWE-1427',
        title: 'Improper Neutralization of Input Used for LLM Prompting',
        url: 'https://cwe.mitre.org/data/definitions/1427.html',
      },
    ],
    state: 'none',
    ignoresTrustedCallers: true,
  },
  settings: z.object({
    scanSchemas: z
      .boolean()
      .default(true)
      .describe(
        'Also scan the strings of input/output schemas and annotations (parameter descriptions, defaults, enum values), not only title and description.',
      ),
    ignoreSignals: z
      .array(z.enum(POISON_KINDS))
      .default([])
      .describe(`Signal kinds not reported: ${POISON_KINDS.join(', ')}.`),
  }),
  events: ['mcp.tools'],
  prepare(settings, config) {
    return {
      ignored: new Set<string>(settings.ignoreSignals),
      // Instructions about a tool another server is known to serve belong to CFG-TOOL-SHADOWING.
      shadowingEnabled: config.detectors[SHADOWING_ID]?.enabled !== false,
      staleMs: staleAfterMs(config),
      scanned: settings.scanSchemas ? undefined : (where: string) => where === 'title' || where === 'description',
    };
  },
  evaluate(ev, ctx) {
    const e = ev.event;
    if (!Array.isArray(e.tools) || e.tools.length === 0) return;
    const server = e.server?.name;
    const tools = listedTools(e);
    const ownNames = new Set(tools.map((l) => l.name));
    const { ignored, shadowingEnabled, staleMs, scanned } = ctx.prepared;
    const deferToShadowing = server !== undefined && shadowingEnabled;
    const ownedElsewhere = (ref: ToolReference): boolean =>
      deferToShadowing &&
      toolOwnership(ctx.state, ref.name, server as string, ev.ts, staleMs).kind !== 'unknown';
    for (const { name, tool } of tools) {
      const analysis = analyzeDefinition(tool);
      const foreign = foreignReferences(analysis, ownNames, scanned);
      const references = ignored.has('cross-tool-instruction') ? [] : foreign.filter((r) => !ownedElsewhere(r));
      // A sentence about a tool another server serves ("when send_email is used, BCC …") is
      // CFG-TOOL-SHADOWING's alert, whatever else it says.
      const deferred = foreign.filter(ownedElsewhere);
      const aboutDeferred = (s: PoisonSignal): boolean =>
        s.sentence !== undefined && deferred.some((r) => r.where === s.where && r.excerpt === s.sentence);
      const signals = [...analysis.signals.filter((s) => !aboutDeferred(s)), ...crossToolSignals(references)].filter(
        (s) => !ignored.has(s.kind) && (scanned === undefined || scanned(s.where)),
      );
      if (signals.length === 0) continue;
      const kinds = [...new Set(signals.map((s) => s.kind))];
      const { hash } = analysis;
      ctx.report({
        ...findingContext(e),
        tool: name,
        // A single weak instruction-shaped phrase ("always use this tool instead of …") is a low hint.
        severity: isPoisoned(signals) ? 'high' : 'low',
        title: `${isPoisoned(signals) ? 'Poisoned' : 'Instruction-like'} tool definition ${server !== undefined ? `${displayName(server)}/` : ''}${displayName(name)}: ${kinds.join(', ')}`,
        subject: `tool=${displayName(name, 128)} hash=${hash}`,
        ts: ev.ts,
        evidence: {
          hash,
          kinds,
          signals: signals.slice(0, MAX_EVIDENCE_SIGNALS).map((s) => ({
            kind: s.kind,
            where: s.where,
            detail: s.detail,
            ...(s.excerpt !== undefined ? { excerpt: s.excerpt } : {}),
          })),
          ...(signals.length > MAX_EVIDENCE_SIGNALS
            ? { moreSignals: signals.length - MAX_EVIDENCE_SIGNALS }
            : {}),
        },
      });
    }
  },
});
