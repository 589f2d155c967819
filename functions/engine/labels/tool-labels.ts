/**
 * Tool labels drive the agent-behaviour and compliance detectors: `privateData` (returns data the
 * user would not publish), `publicSink` (sends data where others can read it), `destructive`
 * (deletes, overwrites, executes). Precedence: the config's explicit lists, then MCP tool
 * annotations the server advertised (recorded from tools/list), then tool-name heuristics.
 */
import type * as z from 'zod';
import type { ToolLabelsSchema } from '../config/schema.js';
import { GlobSet } from '../text/glob.js';
import type { StateView } from '../state/view.js';
import type { ToolDefinition } from '../events/schema.js';

export type ToolLabel = 'privateData' | 'publicSink' | 'destructive';

export const PRIVATE_DATA = 1;
export const PUBLIC_SINK = 2;
export const DESTRUCTIVE = 4;
/** Stored (not a label): the server marked the tool read-only, which outranks name heuristics. */
const READ_ONLY_HINT = 8;

// Words are the `_`/`-`/`.`/camelCase-separated parts of a tool name.
const SINK_WORDS = new Set([
  'send', 'post', 'publish', 'upload', 'share', 'notify', 'tweet', 'comment', 'reply', 'forward', 'webhook',
  'http', 'request', 'email', 'mail', 'slack', 'message', 'sms', 'discord', 'teams', 'gist', 'paste', 'issue',
  'pr', 'pull', 'push', 'submit', 'broadcast', 'invite', 'fetch', 'curl', 'browse', 'navigate',
]);
const SINK_VERBS = new Set([
  'send', 'post', 'publish', 'upload', 'share', 'notify', 'tweet', 'comment', 'reply', 'forward', 'create',
  'open', 'submit', 'push', 'broadcast', 'invite', 'write', 'add', 'fetch', 'curl', 'browse', 'navigate', 'call',
]);
const SINK_OBJECTS = new Set([
  'email', 'mail', 'message', 'slack', 'sms', 'issue', 'pr', 'comment', 'gist', 'paste', 'webhook', 'tweet',
  'post', 'discord', 'teams', 'url', 'http', 'request', 'page', 'channel', 'chat',
]);
const PRIVATE_VERBS = new Set([
  'read', 'get', 'query', 'search', 'list', 'download', 'export', 'view', 'cat', 'select', 'lookup', 'find', 'show', 'load', 'retrieve', 'dump',
]);
const PRIVATE_OBJECTS = new Set([
  'file', 'files', 'email', 'emails', 'inbox', 'mail', 'message', 'messages', 'db', 'database', 'sql', 'table', 'record',
  'records', 'customer', 'customers', 'user', 'users', 'secret', 'secrets', 'credential', 'credentials', 'vault', 'document',
  'documents', 'doc', 'docs', 'drive', 'repo', 'repository', 'note', 'notes', 'contact', 'contacts', 'calendar',
  'ticket', 'tickets', 'account', 'accounts', 'invoice', 'invoices', 'patient', 'employee', 'env', 'config', 'history',
  'chat', 'channel', 'dm', 'private', 'payroll', 'resource', 'resources',
]);
const DESTRUCTIVE_WORDS = new Set([
  'delete', 'remove', 'rm', 'drop', 'destroy', 'truncate', 'kill', 'terminate', 'purge', 'wipe', 'format', 'exec',
  'execute', 'shell', 'bash', 'sh', 'sudo', 'shutdown', 'reboot', 'reset', 'overwrite', 'erase', 'revoke', 'eval',
  'run', 'command', 'cmd', 'deploy', 'chmod', 'chown', 'transfer', 'pay', 'refund',
]);

export function toolWords(tool: string): string[] {
  return tool
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** Labels implied by a tool's name alone. */
export function labelsFromName(tool: string): number {
  const words = toolWords(tool);
  if (words.length === 0) return 0;
  let mask = 0;
  const verb = words[0] as string;
  const rest = words.slice(1);
  if (words.some((w) => DESTRUCTIVE_WORDS.has(w))) mask |= DESTRUCTIVE;
  const sinkByVerb = SINK_VERBS.has(verb) && (rest.length === 0 ? SINK_WORDS.has(verb) : rest.some((w) => SINK_OBJECTS.has(w)));
  const sinkByWord = ['send', 'post', 'publish', 'upload', 'share', 'notify', 'tweet', 'webhook', 'forward', 'reply'].includes(verb);
  const sinkSingle = words.length === 1 && SINK_WORDS.has(verb);
  if (sinkByVerb || sinkByWord || sinkSingle || (words.includes('http') && words.includes('request'))) mask |= PUBLIC_SINK;
  const privateByVerb = PRIVATE_VERBS.has(verb) && (rest.length === 0 || rest.some((w) => PRIVATE_OBJECTS.has(w)));
  if (privateByVerb && !(mask & PUBLIC_SINK)) mask |= PRIVATE_DATA;
  return mask;
}

/** Labels implied by MCP tool annotations (hints; the server may lie, so config overrides them). */
export function labelsFromAnnotations(annotations: Readonly<Record<string, unknown>> | undefined): number | undefined {
  if (!annotations) return undefined;
  const { readOnlyHint, destructiveHint, openWorldHint } = annotations;
  if (readOnlyHint === undefined && destructiveHint === undefined && openWorldHint === undefined) return undefined;
  let mask = 0;
  if (readOnlyHint !== true && destructiveHint === true) mask |= DESTRUCTIVE;
  if (readOnlyHint !== true && openWorldHint === true) mask |= PUBLIC_SINK;
  return mask;
}

/** State key of the per-server record of advertised tool annotations (tool → label mask). */
export function toolAnnotationKey(server: string): string {
  return `tools|annotations|${server}`;
}

const ANNOTATION_TTL_MS = 30 * 24 * 3600 * 1000;
/** Longest tool name the name-label memo keeps. */
const NAME_CACHE_MAX_CHARS = 128;
/** Masks remembered per detection pass; past it the memo starts over. */
const PASS_MEMO_MAX = 10_000;

export class ToolLabeler {
  private readonly explicit: Array<[number, GlobSet]>;
  private readonly none: GlobSet;
  private readonly nameCache = new Map<string, number>();
  /**
   * During a detection pass (beginPass … endPass) masks read through that pass's view are
   * remembered per server and tool: several detectors ask about the same tool for every call, and
   * each uncached answer costs two state lookups. Annotations change only through
   * recordAnnotations, which forgets that server's masks; a new pass (a remote store reloading
   * state) starts empty.
   */
  private passView: StateView | undefined;
  private readonly passMasks = new Map<string, Map<string, number>>();
  private passMemoSize = 0;

  constructor(private readonly config: z.output<typeof ToolLabelsSchema>) {
    this.explicit = [
      [PRIVATE_DATA, new GlobSet(config.privateData)],
      [PUBLIC_SINK, new GlobSet(config.publicSink)],
      [DESTRUCTIVE, new GlobSet(config.destructive)],
    ];
    this.none = new GlobSet(config.none);
  }

  /** Starts remembering masks read through `view` (the pipeline, around each detection pass). */
  beginPass(view: StateView): void {
    this.passView = view;
    this.passMasks.clear();
    this.passMemoSize = 0;
  }

  endPass(): void {
    this.passView = undefined;
    this.passMasks.clear();
    this.passMemoSize = 0;
  }

  /** Label mask of `tool` on `server`. `state` gives access to advertised annotations. */
  mask(server: string | undefined, tool: string | undefined, state?: StateView): number {
    if (tool === undefined) return 0;
    if (state === undefined || state !== this.passView || server === undefined) return this.compute(server, tool, state);
    let byTool = this.passMasks.get(server);
    const memo = byTool?.get(tool);
    if (memo !== undefined) return memo;
    const mask = this.compute(server, tool, state);
    if (this.passMemoSize >= PASS_MEMO_MAX) {
      this.passMasks.clear();
      this.passMemoSize = 0;
      byTool = undefined;
    }
    if (byTool === undefined) {
      byTool = new Map<string, number>();
      this.passMasks.set(server, byTool);
    }
    byTool.set(tool, mask);
    this.passMemoSize++;
    return mask;
  }

  private compute(server: string | undefined, tool: string, state: StateView | undefined): number {
    if (this.none.matchesTool(server, tool)) return 0;
    let explicit = 0;
    for (const [bit, globs] of this.explicit) if (globs.matchesTool(server, tool)) explicit |= bit;
    if (explicit !== 0) return explicit;
    let mask = 0;
    if (this.config.inferFromNames) mask = this.nameMask(tool);
    if (this.config.inferFromAnnotations && state && server !== undefined) {
      const key = toolAnnotationKey(server);
      if (state.exists(key)) {
        const advertised = state.record(key, { ttlMs: ANNOTATION_TTL_MS }).get<number>(tool);
        if (typeof advertised === 'number') {
          // Annotations add labels; a readOnly hint removes sink/destructive inferred from the name.
          mask = advertised & READ_ONLY_HINT ? mask & PRIVATE_DATA : mask | advertised;
        }
      }
    }
    return mask;
  }

  has(label: ToolLabel, server: string | undefined, tool: string | undefined, state?: StateView): boolean {
    const bit = label === 'privateData' ? PRIVATE_DATA : label === 'publicSink' ? PUBLIC_SINK : DESTRUCTIVE;
    return (this.mask(server, tool, state) & bit) !== 0;
  }

  /** Records the annotations a server advertised in tools/list (called by the pipeline). */
  recordAnnotations(server: string, tools: readonly ToolDefinition[], ts: number, state: StateView): void {
    if (state === this.passView) {
      const forgotten = this.passMasks.get(server);
      if (forgotten !== undefined) {
        this.passMemoSize -= forgotten.size;
        this.passMasks.delete(server);
      }
    }
    const record = state.record(toolAnnotationKey(server), { ttlMs: ANNOTATION_TTL_MS, maxFields: 512 });
    for (const tool of tools) {
      const mask = labelsFromAnnotations(tool.annotations);
      if (mask === undefined) continue;
      const value = tool.annotations?.readOnlyHint === true ? READ_ONLY_HINT : mask;
      if (record.get(tool.name) !== value) record.set(tool.name, value, ts);
    }
  }

  private nameMask(tool: string): number {
    let mask = this.nameCache.get(tool);
    if (mask === undefined) {
      mask = labelsFromName(tool);
      // Bounded by count and size: long (attacker-made) names are not kept.
      if (tool.length > NAME_CACHE_MAX_CHARS) return mask;
      if (this.nameCache.size > 10_000) this.nameCache.clear();
      this.nameCache.set(tool, mask);
    }
    return mask;
  }
}
