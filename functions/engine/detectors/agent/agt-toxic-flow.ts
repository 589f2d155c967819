import * as z from 'zod';
import { findingContext } from '../../events/accessors.js';
import type { McpEvent } from '../../events/schema.js';
import { PRIVATE_DATA, PUBLIC_SINK } from '../../labels/tool-labels.js';
import type { StateRecord } from '../../state/state-record.js';
import { argumentLeaves } from '../../text/leaves.js';
import { findPii, type PiiCount } from '../../text/pii.js';
import { findRedactionMarkers } from '../../text/redaction-markers.js';
import { findSecrets } from '../../text/secrets.js';
import { defineDetector, type DetectorContext } from '../detector.js';
import {
  FingerprintIndex,
  fingerprintText,
  FINGERPRINT_MAX_CHARS,
  FINGERPRINT_WIDTH,
  LEGACY_FINGERPRINT_WIDTH,
  MATCH_MAX_CHARS,
  matchedSpans,
  matchWindows,
  normalizeCodesScratch,
  SHINGLE,
  type WindowMatch,
} from '../../text/content-fingerprint.js';
import { keyPart } from '../../state/key-part.js';
import { LIST_FIELD_PREFIX } from '../../state/merge.js';
import { BoundedKeyCache } from '../bounded-key-cache.js';

/** What a session remembers of one private-data result. */
interface PrivateRead {
  /** Event time. */
  readonly t: number;
  readonly tool: string;
  readonly srv: string;
  /**
   * Content fingerprints (content-fingerprint.ts, FINGERPRINT_WIDTH digits each), '' when the
   * result had no text. They are most of a session's stored state, so they are kept as compact as
   * the matching allows (48 bits each).
   */
  readonly h?: string;
  /** Fingerprints of a read stored before (LEGACY_FINGERPRINT_WIDTH digits each): still matched. */
  readonly fp?: string;
  readonly st: number;
  /** Secret kinds and PII kinds the result held. */
  readonly sec: string[];
  readonly pii: string[];
}

/**
 * The session's private reads, in the order they were remembered (oldest first), as one array in
 * one record field: one lookup per event instead of one per read. Records written before kept one
 * read per field (`r<time>`); those are still read, and folded into this field on the next read.
 * A list field: when two Lambdas add reads to one session at once, the merge keeps both.
 */
const READS_FIELD = `${LIST_FIELD_PREFIX}reads`;
const MAX_KINDS = 4;
/** Most reads a session keeps (maxReadsPerSession is at most this); also the most legacy fields. */
const MAX_READ_FIELDS = 16;

function isPrivateRead(value: unknown): value is PrivateRead {
  if (value === null || typeof value !== 'object') return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r['t'] === 'number' &&
    typeof r['tool'] === 'string' &&
    typeof r['srv'] === 'string' &&
    (typeof r['h'] === 'string' || typeof r['fp'] === 'string') &&
    typeof r['st'] === 'number' &&
    Array.isArray(r['sec']) &&
    Array.isArray(r['pii'])
  );
}

/** PII that makes an overlap critical: any card/SSN/NINO/IBAN; emails only in bulk (a signature is not a leak). */
function qualifyingPii(found: readonly PiiCount[], minEmails: number): string[] {
  if (found.length === 0) return [];
  return found.filter((p) => (p.kind === 'email' ? p.count >= minEmails : p.count > 0)).map((p) => p.kind);
}

/**
 * Distinct secret kinds in `text`, at most MAX_KINDS: secrets found, and secrets the instrumentation
 * redacted (`[REDACTED:<kind>]`: the secret was there, so the text is secret content all the same).
 */
function secretKinds(text: string): string[] {
  const found = findSecrets(text);
  const redacted = findRedactionMarkers(text);
  if (found.length === 0 && redacted.length === 0) return [];
  const kinds = new Set<string>();
  for (const m of found) kinds.add(m.kind);
  for (const m of redacted) kinds.add(m.kind);
  return [...kinds].slice(0, MAX_KINDS);
}

/** A read's fingerprints and their encoding width (a read stored before keeps the older width). */
function fingerprintsOf(read: PrivateRead): { readonly hashes: string; readonly width: number } {
  return read.h !== undefined ? { hashes: read.h, width: FINGERPRINT_WIDTH } : { hashes: read.fp ?? '', width: LEGACY_FINGERPRINT_WIDTH };
}

function fingerprintCount(read: PrivateRead): number {
  const { hashes, width } = fingerprintsOf(read);
  return Math.floor(hashes.length / width);
}

/** The read without its fingerprints (past the session's fingerprint budget). */
function withoutFingerprints(read: PrivateRead): PrivateRead {
  const { h: _h, fp: _fp, ...facts } = read;
  return { ...facts, h: '' };
}

/** What `prepare` derives from the settings. */
interface ToxicFlowPrepared {
  /** ignoredArgumentKeys, lower-cased. */
  readonly ignoredArgumentKeys: ReadonlySet<string>;
}

// Sessions, not servers, scope the flow: a gateway multiplexing several servers under one session
// id shows cross-server flows (read on one server, send on another). The same key string for every
// event of a session (see KeyCache).
const sessionKeys = new BoundedKeyCache((session) => `AGT-TOXIC-FLOW|*|session|${keyPart(session, 48)}`);

/**
 * The session's stored reads (not yet checked), oldest first: the reads field, or in a record
 * written before it, the values of the per-read fields in their insertion order.
 */
function storedReads(record: StateRecord): readonly unknown[] {
  const reads = record.get(READS_FIELD);
  if (Array.isArray(reads)) return reads.length <= MAX_READ_FIELDS ? reads : reads.slice(-MAX_READ_FIELDS);
  if (reads !== undefined || record.size === 0) return [];
  const legacy: unknown[] = [];
  for (const field of record.fields()) legacy.push(record.get(field));
  return legacy.length <= MAX_READ_FIELDS ? legacy : legacy.slice(-MAX_READ_FIELDS);
}

/** The tool name used for labels; resources/read can be labelled as `resources/read` in config. */
function operationOf(e: McpEvent): string | undefined {
  if (e.tool !== undefined) return e.tool;
  return e.rpc?.method === 'resources/read' ? 'resources/read' : undefined;
}

interface Overlap {
  readonly field: string;
  readonly read: PrivateRead;
  /** Characters covered by matched windows (a lower bound of the copied text). */
  readonly chars: number;
  /** Secret/PII kinds found in the copied text. */
  readonly sensitive: string[];
}

const ToxicFlowSettings = z.object({
  windowSeconds: z
    .number()
    .int()
    .min(1)
    .default(300)
    .describe('A sink call this soon after a private read in the same session is a flow (low).'),
  contentWindowSeconds: z
    .number()
    .int()
    .min(60)
    .default(3600)
    .describe(
      "How long a private result's fingerprints are kept: copied text found in a sink call this long after the read is high/critical.",
    ),
  fingerprintStride: z
    .number()
    .int()
    .min(4)
    .max(64)
    .default(16)
    .describe('Fingerprint sampling stride: every copied run of at least 31 + stride characters is found.'),
  maxFingerprintsPerSession: z
    .number()
    .int()
    .min(16)
    .max(512)
    .default(256)
    .describe(
      'Fingerprints kept per session across its recent private reads (older reads lose theirs first, keeping the facts for the plain flow).',
    ),
  maxReadsPerSession: z
    .number()
    .int()
    .min(1)
    .max(MAX_READ_FIELDS)
    .default(8)
    .describe('Private reads remembered per session.'),
  minEmailsForPii: z
    .number()
    .int()
    .min(1)
    .default(3)
    .describe(
      'Distinct email addresses in the copied text that count as PII (cards, SSNs, NINOs and IBANs always do).',
    ),
  ignoredArgumentKeys: z
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
      'email',
      'emails',
      'address',
      'addresses',
      'channel',
      'channel_id',
      'channelid',
      'chat_id',
      'chatid',
      'user',
      'user_id',
      'userid',
      'username',
      'thread_ts',
      'thread_id',
      'in_reply_to',
      'message_id',
      'references',
    ])
    .describe(
      'Argument keys (last key, lowercase) never compared with earlier results: addressing, not content.',
    ),
});
type Settings = z.output<typeof ToxicFlowSettings>;

export const agtToxicFlow = defineDetector({
  meta: {
    id: 'AGT-TOXIC-FLOW',
    category: 'agent',
    title: 'Toxic flow: private data to a public sink',
    severity: 'low',
    detects:
      "In one session, a tool that returns private data followed by a tool that sends data where others can read it: within 5 minutes → low; text of the earlier result (≥ 32 characters) in the sink's arguments → high; that text holding secrets or PII → critical. A secret the instrumentation redacted (`[REDACTED:<kind>]`) counts as the secret it replaced.",
    why: "The lethal combination behind Invariant Labs' GitHub MCP exploit and many agent data thefts: an agent with access to private data, exposed to untrusted content, and able to send data out. An injected instruction turns the agent into the exfiltration channel without any exploit.",
    tuning:
      'Label tools in toolLabels (privateData, publicSink; resources/read can be labelled as `resources/read`) — names and annotations are only hints. Copied text is matched on 32-character windows sampled every `fingerprintStride` characters: every copied run of ≥ 31 + stride characters (47 by default, for results up to 4 KiB) is found, shorter ones sometimes; the fingerprint budget goes to the newest reads. Addressing fields (`ignoredArgumentKeys`: to, cc, channel, …) are not compared, so replying to a sender is not a copy; add `subject` there if "Re: <long subject>" replies are noisy. Events without a session are not correlated.',
    runbook:
      "Open the session: find the private result and the sink call, check whether the result contained instructions (prompt injection) and whether the sink's recipient is outside the organisation; revoke or rotate what was sent.",
    references: [
      {
        id: 'INVARIANT-TOXIC-FLOWS',
        title:
          'Invariant Labs: Toxic Flows — novel attack vulnerabilities in agentic systems (toxic flow analysis)',
      },
      {
        id: 'INVARIANT-GITHUB-MCP',
        title: 'Invariant Labs: GitHub MCP exploited — accessing private repositories via MCP',
      },
      { id: 'OWASP-MCP10', title: 'OWASP MCP Top 10: Context Injection & Over-Sharing' },
      { id: 'OWASP-MCP06', title: 'OWASP MCP Top 10: Prompt Injection via Contextual Payloads' },
      { id: 'MCP-SPEC-SECURITY', title: 'MCP Security Best Practices (2025-11-25)' },
      {
        id: 'MITRE-T1567',
        title: 'MITRE ATT&CK T1567 Exfiltration Over Web Service',
        url: 'https://attack.mitre.org/techniques/T1567/',
      },
      { id: 'CWE-200', title: 'CWE-200 Exposure of Sensitive Information to an Unauthorized Actor' },
    ],
    state: 'session',
  },
  settings: ToxicFlowSettings,
  events: ['mcp.call'],
  prepare(s): ToxicFlowPrepared {
    return { ignoredArgumentKeys: new Set(s.ignoredArgumentKeys.map((k) => k.toLowerCase())) };
  },
  evaluate(ev, ctx) {
    const e = ev.event;
    const session = e.session;
    if (session === undefined) return;
    const operation = operationOf(e);
    if (operation === undefined) return;
    const mask = ctx.labels.mask(e.server?.name, operation, ctx.state);
    if ((mask & (PRIVATE_DATA | PUBLIC_SINK)) === 0) return;
    const key = sessionKeys.key(session);
    const options = { ttlMs: ctx.settings.contentWindowSeconds * 1000, maxFields: MAX_READ_FIELDS };
    // A sink first: a tool that is both does not flow into itself.
    if (mask & PUBLIC_SINK && ctx.state.exists(key))
      evaluateSink(ev.ts, e, session, operation, ctx.state.record(key, options), ctx);
    if (mask & PRIVATE_DATA && e.error === undefined && e.result?.isError !== true) {
      rememberRead(ev.ts, e, operation, ctx.state.record(key, options), ctx.settings);
    }
  },
});

function evaluateSink(
  t: number,
  e: McpEvent,
  session: string,
  sink: string,
  record: StateRecord,
  ctx: DetectorContext<Settings, ToxicFlowPrepared>,
): void {
  const s = ctx.settings;
  const reads: PrivateRead[] = [];
  for (const value of storedReads(record)) {
    // Records are not swept on read: event times decide what is still remembered.
    if (isPrivateRead(value) && value.t <= t && t - value.t <= s.contentWindowSeconds * 1000)
      reads.push(value);
  }
  if (reads.length === 0) return;
  reads.sort((a, b) => b.t - a.t);
  const recent = reads.find((r) => t - r.t <= s.windowSeconds * 1000);
  const overlap = findOverlap(e, reads, s, ctx.prepared.ignoredArgumentKeys);
  const source = overlap?.read ?? recent;
  if (source === undefined) return;
  const severity = overlap === undefined ? 'low' : overlap.sensitive.length > 0 ? 'critical' : 'high';
  const what =
    overlap === undefined
      ? 'after a private read'
      : `with ${overlap.chars}+ characters copied from its result${overlap.sensitive.length > 0 ? ` holding ${overlap.sensitive.join(', ')}` : ''}`;
  ctx.report({
    ...findingContext(e),
    severity,
    title: `Toxic flow: ${source.tool} → ${keyPart(sink)} ${what}`,
    subject: `session=${keyPart(session)} sink=${keyPart(sink)}`,
    ts: t,
    evidence: {
      sourceTool: source.tool,
      sourceServer: source.srv,
      secondsSinceRead: Math.round((t - source.t) / 1000),
      ...(overlap !== undefined
        ? {
            copiedChars: overlap.chars,
            field: overlap.field,
            guaranteedFromChars: SHINGLE - 1 + overlap.read.st,
            ...(overlap.sensitive.length > 0 ? { copiedSensitive: overlap.sensitive } : {}),
          }
        : {}),
      ...(source.sec.length > 0 ? { readHeldSecrets: source.sec } : {}),
      ...(source.pii.length > 0 ? { readHeldPii: source.pii } : {}),
    },
  });
}

function rememberRead(t: number, e: McpEvent, tool: string, record: StateRecord, s: Settings): void {
  const result = e.result?.text;
  const text =
    typeof result !== 'string'
      ? ''
      : result.length > FINGERPRINT_MAX_CHARS
        ? result.slice(0, FINGERPRINT_MAX_CHARS)
        : result;
  const fp =
    text.length >= SHINGLE
      ? fingerprintText(text, s.fingerprintStride, s.maxFingerprintsPerSession)
      : undefined;
  const read: PrivateRead = {
    t,
    tool: keyPart(tool),
    srv: keyPart(e.server?.name ?? 'unknown'),
    h: fp?.hashes ?? '',
    st: fp?.stride ?? s.fingerprintStride,
    sec: fp ? secretKinds(text) : [],
    pii: fp ? qualifyingPii(findPii(text), s.minEmailsForPii).slice(0, MAX_KINDS) : [],
  };
  // Newest first within both budgets: past maxReadsPerSession a read is forgotten; past the
  // fingerprint budget an older read keeps its facts (for the plain flow) but loses its fingerprints.
  // Reads keep their places in the (oldest-first) list, as fields kept theirs in the record.
  const windowMs = s.contentWindowSeconds * 1000;
  const stored = storedReads(record);
  const kept: Array<PrivateRead | undefined> = [];
  for (const value of stored) if (isPrivateRead(value) && t - value.t <= windowMs) kept.push(value);
  let fingerprints = fingerprintCount(read);
  let reads = 1;
  for (const i of newestFirst(kept as PrivateRead[])) {
    const value = kept[i] as PrivateRead;
    if (reads >= s.maxReadsPerSession) {
      kept[i] = undefined;
      continue;
    }
    reads++;
    const n = fingerprintCount(value);
    if (n > 0 && fingerprints + n > s.maxFingerprintsPerSession) kept[i] = withoutFingerprints(value);
    else fingerprints += n;
  }
  const next: PrivateRead[] = [];
  for (const value of kept) if (value !== undefined) next.push(value);
  next.push(read);
  if (!Array.isArray(record.get(READS_FIELD))) for (const field of record.fields()) record.delete(field, t);
  record.set(READS_FIELD, next, t);
}

/**
 * Indices of `reads` newest first, stable for equal times (as `sort((a, b) => b.t - a.t)`). Reads
 * are usually oldest first with distinct times: then it is the indices in reverse.
 */
function newestFirst(reads: readonly PrivateRead[]): number[] {
  const order: number[] = [];
  let ascending = true;
  for (let i = 1; i < reads.length && ascending; i++)
    ascending = (reads[i - 1] as PrivateRead).t < (reads[i] as PrivateRead).t;
  for (let i = reads.length - 1; i >= 0; i--) order.push(i);
  if (!ascending) order.sort((a, b) => (reads[b] as PrivateRead).t - (reads[a] as PrivateRead).t || a - b);
  return order;
}

function findOverlap(e: McpEvent, reads: readonly PrivateRead[], s: Settings, ignored: ReadonlySet<string>): Overlap | undefined {
  if (e.arguments === undefined) return undefined;
  const index = new FingerprintIndex(reads.map((r, i) => ({ ...fingerprintsOf(r), owner: i })));
  if (index.size === 0) return undefined;
  let budget = MATCH_MAX_CHARS;
  let best: Overlap | undefined;
  for (const leaf of argumentLeaves(e.arguments)) {
    if (budget <= 0) break;
    if (leaf.value.length < SHINGLE || ignored.has(leaf.key)) continue;
    const limit = Math.min(leaf.value.length, budget);
    budget -= limit;
    const matches = matchWindows(normalizeCodesScratch(leaf.value, limit).codes, index);
    if (matches.length === 0) continue;
    const overlap = describeOverlap(
      leaf.value,
      leaf.path || '(root)',
      matches,
      reads,
      limit,
      s.minEmailsForPii,
    );
    if (best === undefined || rank(overlap) > rank(best)) best = overlap;
    if (best.sensitive.length > 0) break;
  }
  return best;
}

function rank(o: Overlap): number {
  return (o.sensitive.length > 0 ? 1_000_000 : 0) + o.chars;
}

/**
 * The copied text and whether it holds secrets/PII. Only reads that held secrets or PII can make
 * an overlap sensitive (so an agent's own additions are not blamed on the source); the copied
 * spans are widened by stride − 1 on each side, the most the true overlap can extend past the
 * matched windows.
 */
function describeOverlap(
  value: string,
  field: string,
  matches: readonly WindowMatch[],
  reads: readonly PrivateRead[],
  maxChars: number,
  minEmails: number,
): Overlap {
  const spans = matchedSpans(matches);
  const chars = spans.reduce((sum, [a, b]) => sum + (b - a), 0);
  const owners = new Set(matches.map((m) => m.owner));
  const sources = [...owners].map((i) => reads[i] as PrivateRead);
  const read = sources.sort((a, b) => b.t - a.t)[0] as PrivateRead;
  const sensitiveSources = sources.filter((r) => r.sec.length > 0 || r.pii.length > 0);
  if (sensitiveSources.length === 0) return { field, read, chars, sensitive: [] };
  const widen = Math.max(...sensitiveSources.map((r) => r.st)) - 1;
  const { map } = normalizeCodesScratch(value, maxChars, true);
  const sensitive = new Set<string>();
  if (map !== undefined && map.length > 0) {
    for (const [a, b] of spans) {
      const from = map[Math.max(0, a - widen)] as number;
      const to = (map[Math.min(map.length - 1, b - 1 + widen)] as number) + 1;
      const copied = value.slice(from, to);
      for (const kind of secretKinds(copied)) sensitive.add(kind);
      for (const kind of qualifyingPii(findPii(copied), minEmails)) sensitive.add(kind);
    }
  }
  const sensitiveRead = sensitiveSources.sort((a, b) => b.t - a.t)[0] as PrivateRead;
  return sensitive.size > 0
    ? { field, read: sensitiveRead, chars, sensitive: [...sensitive].slice(0, MAX_KINDS) }
    : { field, read, chars, sensitive: [] };
}
