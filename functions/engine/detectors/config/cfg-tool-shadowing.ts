import * as z from 'zod';
import { findingContext } from '../../events/accessors.js';
import { defineDetector } from '../detector.js';
import { analyzeDefinition, foreignReferences } from './definition-analysis.js';
import { keyPart } from '../../state/key-part.js';
import { displayName, listedTools } from './tool-listing.js';
import {
  asListing,
  MAX_SERVERS_PER_TOOL,
  SHADOWING_ID,
  toolOwnership,
  toolServersKey,
} from './tool-server-registry.js';

const DAY_MS = 24 * 3600_000;
/** A server's last-listing time is rewritten at most this often, so repeated listings cost no writes. */
const TOUCH_EVERY_MS = 3600_000;

export const cfgToolShadowing = defineDetector({
  meta: {
    id: SHADOWING_ID,
    category: 'config',
    title: 'Tool shadowing',
    severity: 'high',
    detects:
      'The same tool name served by two MCP servers, and tool descriptions that instruct about a tool another server serves ("when the send_email tool is used, always BCC …").',
    why: "With several servers connected to one agent, a malicious server can hijack a trusted server's tool: by registering the same name so calls land on it, or by describing rules for the other tool that the model obeys (Invariant Labs' tool shadowing). The trusted tool never needs to be called through the attacker for the damage to happen.",
    tuning:
      "The registry is keyed by server name, so several instances of one server (different `server.instance`) are one server. A server counts as serving a tool until it has not listed it for `staleAfterDays`, so moving a tool between servers alerts until then. Generic names (`search`, `fetch`) served by two servers are still ambiguous for the model and alert; allow a known pair with a suppression (detector CFG-TOOL-SHADOWING, tool `search`, optional server = the newer server). The newer server (first listed later) is reported as the shadowing one; one incident per tool and pair (`tool=<name> shadows=<older server>`). Instructions about another server's tool are reported here, not by CFG-TOOL-POISONING (subject `tool=<name> instructs=<other tool>`).",
    runbook:
      'Find which server is expected to own the tool; disconnect the other one from agents that use both, and review recent calls of the tool on both servers.',
    references: [
      { id: 'OWASP-MCP03', title: 'OWASP MCP Top 10: Tool Poisoning' },
      { id: 'OWASP-MCP09', title: 'OWASP MCP Top 10: Shadow MCP Servers' },
      {
        id: 'INVARIANT-TOOL-SHADOWING',
        title:
          'Invariant Labs: MCP Security Notification — Tool Poisoning Attacks (shadowing tool descriptions)',
        url: 'https://invariantlabs.ai/blog/mcp-security-notification-tool-poisoning-attacks',
      },
      { id: 'MCP-SPEC-SECURITY', title: 'MCP Security Best Practices (2025-11-25)' },
    ],
    state: 'registry',
    ignoresTrustedCallers: true,
  },
  settings: z.object({
    staleAfterDays: z
      .number()
      .int()
      .min(1)
      .default(14)
      .describe('A server counts as serving a tool until it has not listed it for this many days.'),
    checkDescriptions: z
      .boolean()
      .default(true)
      .describe('Report descriptions that instruct about a tool another server serves.'),
  }),
  events: ['mcp.tools'],
  evaluate(ev, ctx) {
    const e = ev.event;
    const server = e.server?.name;
    if (server === undefined || !Array.isArray(e.tools) || e.tools.length === 0) return;
    const t = ev.ts;
    const staleMs = ctx.settings.staleAfterDays * DAY_MS;
    const self = keyPart(server);
    const tools = listedTools(e);

    for (const { name } of tools) {
      const record = ctx.state.record(toolServersKey(name), {
        ttlMs: 2 * staleMs,
        maxFields: MAX_SERVERS_PER_TOOL,
      });
      const mine = asListing(record.get(self));
      if (mine === undefined) record.set(self, { f: t, l: t }, t);
      else if (t - mine.l >= TOUCH_EVERY_MS) record.set(self, { f: mine.f, l: Math.max(mine.l, t) }, t);
      const myFirst = mine?.f ?? t;
      for (const other of record.fields()) {
        if (other === self) continue;
        const listing = asListing(record.get(other));
        if (listing === undefined || t - listing.l > staleMs) {
          record.delete(other, t);
          continue;
        }
        // The server that appeared later shadows the one that was there first (ties: by name, stable).
        const iAmNewer = myFirst > listing.f || (myFirst === listing.f && self > other);
        const newer = iAmNewer ? self : other;
        const older = iAmNewer ? other : self;
        ctx.report({
          ...findingContext(e),
          server: newer,
          tool: name,
          severity: 'high',
          title: `Tool ${displayName(name)} is served by two MCP servers: ${displayName(older)} and ${displayName(newer)}`,
          subject: `tool=${displayName(name, 128)} shadows=${older}`,
          ts: t,
          evidence: { tool: name, firstServer: older, shadowingServer: newer, reportedBy: self },
        });
      }
    }

    if (!ctx.settings.checkDescriptions) return;
    const ownNames = new Set(tools.map((l) => l.name));
    for (const { name, tool } of tools) {
      for (const ref of foreignReferences(analyzeDefinition(tool), ownNames)) {
        const owner = toolOwnership(ctx.state, ref.name, server, t, staleMs);
        if (owner.kind !== 'other') continue;
        ctx.report({
          ...findingContext(e),
          server,
          tool: name,
          severity: 'high',
          title: `Tool ${displayName(name)} on ${displayName(server)} instructs about tool ${displayName(ref.name)} of ${owner.servers.map((s) => displayName(s, 40)).join(', ')}`,
          subject: `tool=${displayName(name, 128)} instructs=${displayName(ref.name, 128)}`,
          ts: t,
          evidence: {
            referencedTool: ref.name,
            how: ref.how,
            servedBy: owner.servers.slice(0, 5),
            where: ref.where,
            excerpt: ref.excerpt,
          },
        });
      }
    }
  },
});
