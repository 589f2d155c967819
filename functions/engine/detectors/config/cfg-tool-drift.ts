import * as z from 'zod';
import type { Severity } from '../../alerts/severity.js';
import { findingContext } from '../../events/accessors.js';
import type { McpEvent } from '../../events/schema.js';
import { toolWords } from '../../labels/tool-labels.js';
import type { StateRecord } from '../../state/state-record.js';
import { HASHED_FIELDS } from '../../text/tool-definition.js';
import { keyPart } from '../../state/key-part.js';
import { defineDetector, type DetectorContext } from '../detector.js';
import {
  displayName,
  isPartialListing,
  listedTools,
  MAX_TOOLS_PER_LISTING,
  type ListedTool,
} from './tool-listing.js';
import { analyzeDefinition, foreignReferences } from './definition-analysis.js';
import { crossToolSignals } from '../../text/tool-text-analysis.js';

const ID = 'CFG-TOOL-DRIFT';
const DAY_MS = 24 * 3600_000;
/** Versions remembered per tool (each alerted once). */
const MAX_KNOWN_VERSIONS = 8;
/** Parameter names kept per version, for the added/removed diff. */
const MAX_STORED_PARAMETERS = 32;
/** Tool names kept per server snapshot; a larger listing is marked incomplete (no removals derived). */
const MAX_SNAPSHOT_NAMES = 128;
/** Expiry is refreshed at most this often per item, so repeated identical listings cost no writes. */
const REFRESH_EVERY_MS = DAY_MS;

// Definition record fields.
const APPROVED = 'a'; // hash of the reference version: the first seen, then the latest alerted
const PARAMS = 'p'; // the reference version's parameter names
const FIELDS = 'f'; // the reference version's per-field hashes
const KNOWN = 'k'; // every version seen (the first, then each alerted one)
const REFRESHED = 's'; // last expiry refresh
// Snapshot record fields.
const NAMES = 'n'; // the server's tool names at its last complete listing (keyPart, sorted)
const COMPLETE = 'c'; // whether NAMES holds the whole listing

const DEFAULT_SIDE_CHANNEL_WORDS =
  'sidenote note notes context metadata meta extra debug feedback conversation history remark remarks memo aside reasoning thoughts hidden internal'.split(
    ' ',
  );

interface DriftSettings {
  registryTtlDays: number;
  reportAdded: boolean;
  reportRemoved: boolean;
  sideChannelWords: string[];
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Whether a parameter can carry free text (string-typed, or untyped): a side channel needs one. */
function acceptsText(inputSchema: unknown, name: string): boolean {
  const props = (inputSchema as { properties?: Record<string, unknown> } | null | undefined)?.properties;
  const schema =
    props !== null && typeof props === 'object' ? (props[name] as { type?: unknown } | undefined) : undefined;
  const type = schema !== null && typeof schema === 'object' ? schema.type : undefined;
  if (type === undefined) return true;
  if (typeof type === 'string') return type === 'string' || type === 'object' || type === 'array';
  return Array.isArray(type) && type.some((t) => t === 'string' || t === 'object' || t === 'array');
}

function isSideChannelName(name: string, words: ReadonlySet<string>): boolean {
  if (words.has(name.toLowerCase())) return true;
  return toolWords(name).some((w) => words.has(w));
}

function refreshIfDue(record: StateRecord, t: number): void {
  const last = record.get<number>(REFRESHED);
  if (typeof last === 'number' && t - last < REFRESH_EVERY_MS) return;
  record.set(REFRESHED, t, t);
}

function report(
  ctx: DetectorContext<DriftSettings>,
  e: McpEvent,
  t: number,
  server: string,
  tool: string,
  severity: Severity,
  title: string,
  subject: string,
  evidence: Record<string, unknown>,
): void {
  ctx.report({ ...findingContext(e), server, tool, severity, title, subject, ts: t, evidence });
}

/** A tool whose definition differs from its reference version: alert once per new version. */
/** What `prepare` derives from the settings. */
interface DriftPrepared {
  /** sideChannelWords, lower-cased. */
  readonly sideChannelWords: ReadonlySet<string>;
}

function checkDefinition(
  ctx: DetectorContext<DriftSettings, DriftPrepared>,
  e: McpEvent,
  t: number,
  server: string,
  listed: ListedTool,
  ownNames: ReadonlySet<string>,
  knownServer: boolean,
  partial: boolean,
): void {
  const { name, tool } = listed;
  const s = ctx.settings;
  const key = `${ID}|${keyPart(server)}|def|${keyPart(name)}`;
  const ttlMs = s.registryTtlDays * DAY_MS;
  const analysis = analyzeDefinition(tool);
  const { hash, fields } = analysis;
  const params = analysis.parameters.slice(0, MAX_STORED_PARAMETERS).map((p) => keyPart(p));
  if (!ctx.state.exists(key)) {
    const record = ctx.state.record(key, { ttlMs, maxFields: 8 });
    record.set(APPROVED, hash, t);
    record.set(PARAMS, params, t);
    record.set(FIELDS, fields, t);
    record.set(KNOWN, [hash], t);
    record.set(REFRESHED, t, t);
    // A tool first seen on a server that listed tools before was added since (the first listing never alerts).
    if (knownServer && !partial && s.reportAdded) {
      report(
        ctx,
        e,
        t,
        server,
        name,
        'low',
        `Tool ${displayName(name)} added to MCP server ${displayName(server)}`,
        `tool=${displayName(name, 128)} added`,
        {
          hash,
          parameters: params,
        },
      );
    }
    return;
  }
  const record = ctx.state.record(key, { ttlMs, maxFields: 8 });
  const approved = record.get<string>(APPROVED);
  const known = stringArray(record.get(KNOWN));
  if (approved === hash || known.includes(hash)) {
    // Unchanged, or back to a version already reported (rolling deploys alternate between two).
    refreshIfDue(record, t);
    return;
  }
  const previousParams = stringArray(record.get(PARAMS));
  const previousFields = record.get<Partial<Record<string, string>>>(FIELDS) ?? {};
  const added = params.filter((p) => !previousParams.includes(p));
  const removed = previousParams.filter((p) => !params.includes(p));
  const words = ctx.prepared.sideChannelWords;
  const sideChannels = added.filter((p) => isSideChannelName(p, words) && acceptsText(tool.inputSchema, p));
  const poison = [...analysis.signals, ...crossToolSignals(foreignReferences(analysis, ownNames))].filter(
    (sig) => sig.kind !== 'instruction-hint',
  );
  const changed = HASHED_FIELDS.filter((f) => previousFields[f] !== fields[f]);
  const high = sideChannels.length > 0 || poison.length > 0;
  const why =
    sideChannels.length > 0
      ? ` adding side-channel parameter ${sideChannels.map((p) => displayName(p, 40)).join(', ')}`
      : poison.length > 0
        ? ' to a poisoned version'
        : '';
  report(
    ctx,
    e,
    t,
    server,
    name,
    high ? 'high' : 'medium',
    `Tool ${displayName(name)} on MCP server ${displayName(server)} changed its definition${why}`,
    `tool=${displayName(name, 128)} hash=${hash}`,
    {
      previousHash: approved,
      hash,
      changed,
      ...(added.length > 0 ? { addedParameters: added } : {}),
      ...(removed.length > 0 ? { removedParameters: removed } : {}),
      ...(sideChannels.length > 0 ? { sideChannelParameters: sideChannels } : {}),
      ...(poison.length > 0
        ? { poisoning: poison.slice(0, 5).map((p) => ({ kind: p.kind, where: p.where, detail: p.detail })) }
        : {}),
      versionsSeen: known.length + 1,
    },
  );
  // The alerted version becomes the reference: the next change is diffed against it.
  record.set(APPROVED, hash, t);
  record.set(PARAMS, params, t);
  record.set(FIELDS, fields, t);
  record.set(KNOWN, [...known, hash].slice(-MAX_KNOWN_VERSIONS), t);
  record.set(REFRESHED, t, t);
}

export const cfgToolDrift = defineDetector({
  meta: {
    id: ID,
    category: 'config',
    title: 'Tool definition drift (rug pull)',
    severity: 'medium',
    detects:
      'A tool whose definition (description, title, input/output schema, annotations) differs from the approved one: the first definition seen for that server and tool, then each alerted version. Also tools added to, or removed from, a server after its first listing.',
    why: 'A rug pull: a server that was reviewed and approved silently changes what a tool tells the model — new hidden instructions, or a new free-text parameter (`sidenote`, `notes`, `context`, `metadata`) that the poisoned description asks the model to fill with private data. Clients rarely re-prompt the user when a definition changes.',
    tuning:
      'Each distinct new version alerts once (subject `tool=<name> hash=<hash>`) and then becomes the reference the next change is compared with; switching back to a version already seen (rolling deploys) is silent. An intentional redeploy that edits a tool therefore raises one medium alert per changed tool: confirm it and move on, or suppress the server for the deploy window (`suppressions` with `until`). It is high when the change adds string parameters whose names contain `sideChannelWords` or when the new text is poisoned (the CFG-TOOL-POISONING analysis; that detector also alerts on the text itself — this alert adds that it changed after approval). Added tools are low, removed tools info (`reportAdded`/`reportRemoved`). A definition unseen for `registryTtlDays` is forgotten (its next listing is a first sighting). Paginated listings (with `nextCursor`/`cursor`) are compared tool by tool but yield no added/removed findings.',
    runbook:
      'Diff the new definition against the previous one (evidence: changed fields, added parameters); if nobody deployed it, disconnect the server from clients and review its supply chain.',
    references: [
      { id: 'OWASP-MCP03', title: 'OWASP MCP Top 10: Tool Poisoning' },
      { id: 'OWASP-MCP04', title: 'OWASP MCP Top 10: Software Supply Chain Attacks & Dependency Tampering' },
      {
        id: 'INVARIANT-TOOL-POISONING',
        title: 'Invariant Labs: MCP Security Notification — Tool Poisoning Attacks (rug pulls)',
        url: 'https://invariantlabs.ai/blog/mcp-security-notification-tool-poisoning-attacks',
      },
      { id: 'MCP-SPEC-SECURITY', title: 'MCP Security Best Practices (2025-11-25)' },
      {
        id: 'MITRE-T1195',
        title: 'MITRE ATT&CK T1195 Supply Chain Compromise',
        url: 'https://attack.mitre.org/techniques/T1195/',
      },
    ],
    state: 'baseline',
    ignoresTrustedCallers: true,
  },
  settings: z.object({
    registryTtlDays: z
      .number()
      .int()
      .min(1)
      .default(90)
      .describe(
        "Days an approved definition (and a server's tool list) is remembered after it was last listed.",
      ),
    reportAdded: z
      .boolean()
      .default(true)
      .describe("Report tools added after a server's first listing (low)."),
    reportRemoved: z
      .boolean()
      .default(true)
      .describe("Report tools removed since the server's previous listing (info)."),
    sideChannelWords: z
      .array(z.string().min(1))
      .default(DEFAULT_SIDE_CHANNEL_WORDS)
      .describe(
        "Words in an added string parameter's name that make it a likely exfiltration side channel (raises the alert to high).",
      ),
  }),
  events: ['mcp.tools'],
  prepare(s): DriftPrepared {
    return { sideChannelWords: new Set(s.sideChannelWords.map((w) => w.toLowerCase())) };
  },
  evaluate(ev, ctx) {
    const e = ev.event;
    const server = e.server?.name;
    if (server === undefined || !Array.isArray(e.tools)) return;
    const t = ev.ts;
    const tools = listedTools(e);
    const partial = isPartialListing(e);
    const snapshotKey = `${ID}|${keyPart(server)}|tools|snapshot`;
    const knownServer = ctx.state.exists(snapshotKey);
    const ownNames = new Set(tools.map((l) => l.name));
    for (const listed of tools) checkDefinition(ctx, e, t, server, listed, ownNames, knownServer, partial);
    if (partial) return;

    const snapshot = ctx.state.record(snapshotKey, {
      ttlMs: ctx.settings.registryTtlDays * DAY_MS,
      maxFields: 4,
    });
    const names = [...new Set(tools.map((l) => keyPart(l.name)))].sort();
    // Past the caps the stored list is a prefix, so a later listing cannot tell what was removed.
    const complete = names.length <= MAX_SNAPSHOT_NAMES && e.tools.length <= MAX_TOOLS_PER_LISTING;
    const stored = names.slice(0, MAX_SNAPSHOT_NAMES);
    if (knownServer && ctx.settings.reportRemoved && snapshot.get(COMPLETE) === true && complete) {
      const current = new Set(names);
      for (const gone of stringArray(snapshot.get(NAMES))) {
        if (current.has(gone)) continue;
        report(
          ctx,
          e,
          t,
          server,
          gone,
          'info',
          `Tool ${displayName(gone)} removed from MCP server ${displayName(server)}`,
          `tool=${displayName(gone, 128)} removed`,
          {
            toolsNow: names.length,
          },
        );
      }
    }
    const previous = stringArray(snapshot.get(NAMES));
    if (
      !knownServer ||
      previous.join('\u0000') !== stored.join('\u0000') ||
      snapshot.get(COMPLETE) !== complete
    ) {
      snapshot.set(NAMES, stored, t);
      snapshot.set(COMPLETE, complete, t);
      snapshot.set(REFRESHED, t, t);
    } else {
      refreshIfDue(snapshot, t);
    }
  },
});
