import * as z from 'zod';
import { actorKey, findingContext } from '../../events/accessors.js';
import type { McpEvent } from '../../events/schema.js';
import { DESTRUCTIVE, PUBLIC_SINK } from '../../labels/tool-labels.js';
import { defineDetector } from '../detector.js';
import { DistinctThreshold } from '../threshold.js';
import { keyPart } from '../../state/key-part.js';

const ID = 'RES-BULK-READ';
/** Members of the distinct set beyond the threshold: the set keeps counting past it, so crossing is seen once. */
const CAP_HEADROOM = 32;
/** Longer resource ids are stored as hashes. */
const MEMBER_MAX_CHARS = 32;
/** Path values read from one call (an array argument of many paths). */
const MAX_PATHS_PER_CALL = 64;

/** Top-level tool argument names that name a file or resource being read. */
const PATH_ARGUMENTS = new Set([
  'path',
  'paths',
  'file',
  'files',
  'filepath',
  'file_path',
  'filename',
  'file_name',
  'filenames',
  'uri',
  'uris',
  'resource',
  'resource_uri',
  'resourceuri',
]);

/** The resources a call reads: the uri of resources/read, or file-ish path arguments of a tool. */
function resourcesRead(e: McpEvent, out: string[]): void {
  if (e.rpc?.method === 'resources/read') {
    if (e.uri !== undefined && e.uri.length > 0) out.push(e.uri);
    return;
  }
  const args = e.arguments;
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return;
  for (const key in args as Record<string, unknown>) {
    if (!PATH_ARGUMENTS.has(key.toLowerCase())) continue;
    const value = (args as Record<string, unknown>)[key];
    if (typeof value === 'string') {
      if (value.length > 0) out.push(value);
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length && out.length < MAX_PATHS_PER_CALL; i++) {
        const item = value[i];
        if (typeof item === 'string' && item.length > 0) out.push(item);
      }
    }
    if (out.length >= MAX_PATHS_PER_CALL) return;
  }
}

export const resBulkRead = defineDetector({
  meta: {
    id: ID,
    category: 'resource',
    title: 'Bulk read',
    severity: 'medium',
    detects:
      'One session reading more than 50 distinct resources in 10 minutes (resources/read URIs, or path arguments of file-reading tools), or a single call returning more than 1 MiB.',
    why: "Mass collection precedes exfiltration: a hijacked or prompt-injected agent walking a file tree, a database or a document store reads far more than a task needs. Over-sharing of context is also how private data ends up in a model's context window.",
    tuning:
      'Raise `distinctThreshold` for indexing or code-search agents that legitimately read many files (or suppress them by principal); raise `maxResultBytes` for servers that serve large documents. Writes and sends (tools labelled destructive or publicSink) are not counted as reads.',
    runbook:
      "List what the session read and for whom; if the reads do not match the user's task, revoke the session's token and check where the data went next (sink tools in the same session).",
    references: [
      { id: 'OWASP-MCP10', title: 'OWASP MCP Top 10: Context Injection & Over-Sharing' },
      {
        id: 'MITRE-T1119',
        title: 'MITRE ATT&CK T1119 Automated Collection',
        url: 'https://attack.mitre.org/techniques/T1119/',
      },
      {
        id: 'MITRE-T1005',
        title: 'MITRE ATT&CK T1005 Data from Local System',
        url: 'https://attack.mitre.org/techniques/T1005/',
      },
      {
        id: 'CWE-200',
        title: 'CWE-200 Exposure of Sensitive Information',
        url: 'https://cwe.mitre.org/data/definitions/200.html',
      },
    ],
    state: 'window',
  },
  settings: z.object({
    distinctThreshold: z
      .number()
      .int()
      .min(1)
      .max(200)
      .default(50)
      .describe('Distinct resources one session may read in the window; more → medium.'),
    windowSeconds: z
      .number()
      .int()
      .min(60)
      .max(86_400)
      .default(600)
      .describe('Sliding window for the distinct-resource count.'),
    maxResultBytes: z
      .number()
      .int()
      .min(1024)
      .default(1_048_576)
      .describe('A single call result larger than this (result.bytes) → medium.'),
  }),
  events: ['mcp.call'],
  prepare(s) {
    // More than `distinctThreshold` resources; the crossing reports, not every resource after it.
    return {
      resources: new DistinctThreshold({
        threshold: s.distinctThreshold + 1,
        windowMs: s.windowSeconds * 1000,
        cap: s.distinctThreshold + CAP_HEADROOM,
        report: 'crossing',
      }),
    };
  },
  evaluate(ev, ctx) {
    const e = ev.event;
    const s = ctx.settings;
    const t = ev.ts;
    const who = e.session ?? actorKey(e);
    const whoKey = who === undefined ? 'unknown' : keyPart(who);
    const server = e.server?.name ?? 'unknown';

    const bytes = e.result?.bytes;
    if (bytes !== undefined && bytes > s.maxResultBytes) {
      const what = e.tool ?? e.uri ?? e.rpc?.method ?? 'call';
      ctx.report({
        ...findingContext(e),
        severity: 'medium',
        title: `${(bytes / 1_048_576).toFixed(1)} MiB returned by ${what.slice(0, 120)} in one call (limit ${(s.maxResultBytes / 1_048_576).toFixed(1)} MiB)`,
        subject: `large-result session=${whoKey}`,
        ts: t,
        evidence: {
          bytes,
          limitBytes: s.maxResultBytes,
          ...(e.uri !== undefined ? { uri: e.uri.slice(0, 200) } : {}),
        },
      });
    }

    if (who === undefined) return;
    const method = e.rpc?.method;
    if (method !== 'resources/read' && method !== 'tools/call') return;
    if (method === 'tools/call' && e.tool === undefined) return;
    const read: string[] = [];
    resourcesRead(e, read);
    if (read.length === 0) return;
    // Writes and sends name paths too, but they are not reads.
    if (
      method === 'tools/call' &&
      (ctx.labels.mask(e.server?.name, e.tool, ctx.state) & (PUBLIC_SINK | DESTRUCTIVE)) !== 0
    )
      return;
    // A re-read refreshes the resource's time.
    const members = read.map((resource) => keyPart(resource, MEMBER_MAX_CHARS));
    const count = ctx.prepared.resources.add(ctx.state, `${ID}|${server}|res|${whoKey}`, members, t);
    if (count < 0) return;
    ctx.report({
      ...findingContext(e),
      severity: 'medium',
      title: `Session read ${count} distinct resources in ${s.windowSeconds / 60} min (limit ${s.distinctThreshold})`,
      subject: `distinct-resources session=${whoKey}`,
      ts: t,
      evidence: {
        distinctResources: count,
        threshold: s.distinctThreshold,
        windowSeconds: s.windowSeconds,
        lastResource: read[read.length - 1]?.slice(0, 200),
      },
    });
  },
});
