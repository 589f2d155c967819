import * as z from 'zod';
import type { Severity } from '../../alerts/severity.js';
import { findingContext } from '../../events/accessors.js';
import type { McpEvent } from '../../events/schema.js';
import { GlobSet } from '../../text/glob.js';
import { argumentLeaves } from '../../text/leaves.js';
import { findRedactionMarkers } from '../../text/redaction-markers.js';
import { findSecrets, isSecretValueForKey } from '../../text/secrets.js';
import { defineDetector, type DetectorContext } from '../detector.js';

const ID = 'API-SECRET-LEAK';
const MAX_FIELDS = 6;


interface SideHits {
  readonly kinds: Set<string>;
  readonly fields: string[];
  /** The instrumentation's `[REDACTED:<kind>]` markers found (unique): the only text evidence shows. */
  readonly markers: string[];
  /** A recognised secret pattern (not only a random value under a secret-sounding key). */
  pattern: boolean;
  count: number;
}

function newSide(): SideHits {
  return { kinds: new Set(), fields: [], markers: [], pattern: false, count: 0 };
}

function addField(side: SideHits, field: string): void {
  if (!side.fields.includes(field) && side.fields.length < MAX_FIELDS) side.fields.push(field);
}

/**
 * Secrets the instrumentation redacted in `text` (`[REDACTED:<kind>]`), added to `side`. A marker of
 * a recognised token format counts as a pattern; a redacted `password:`/`token=` value as a
 * secret-named value.
 */
function addRedactionMarkers(side: SideHits | undefined, text: string, field: string): SideHits | undefined {
  const markers = findRedactionMarkers(text);
  if (markers.length === 0) return side;
  const hits = side ?? newSide();
  for (const m of markers) {
    hits.kinds.add(m.kind);
    if (m.knownFormat) hits.pattern = true;
    if (!hits.markers.includes(m.marker) && hits.markers.length < MAX_FIELDS) hits.markers.push(m.marker);
  }
  hits.count += markers.length;
  addField(hits, field);
  return hits;
}

export const apiSecretLeak = defineDetector({
  meta: {
    id: ID,
    category: 'api',
    title: 'Secret in tool arguments or results',
    severity: 'high',
    detects:
      'Credentials in MCP traffic: cloud keys, private keys, provider tokens (GitHub, GitLab, Slack, Stripe, Google, OpenAI, Anthropic, npm, PyPI, Hugging Face, …), JWTs, bearer tokens, connection strings with passwords, secret assignments, and random values under secret-named argument keys — in tool arguments and resource URIs (outbound) and in tool results and error messages (inbound). Secrets the project\'s instrumentation already redacted count too: a `[REDACTED:<kind>]` marker stands for the secret of that kind that was there.',
    why: 'A secret in arguments is on its way out — often exfiltration by a manipulated agent — or a credential the model should never handle; a secret in a result has entered the model context, from where any later tool call can leak it.',
    tuning:
      'Outbound known-format secrets are high, outbound random values under secret-named keys (a `password` parameter) medium, inbound secrets medium. Documented examples (AKIAIOSFODNN7EXAMPLE, the jwt.io sample, `ghp_xxxx…`) and placeholders are not secrets; UUIDs, git SHAs, sha256 digests and base64 images are not reported. Tools whose job is handling secrets (a vault reader) go in `ignoreTools`; `scanResults: false` limits the detector to outbound traffic. A `[REDACTED:<kind>]` marker counts like the secret it replaced (its kind is the marker\'s; evidence shows the marker, never text around it; the instrumentation redacts documented examples too, so their markers count); a redacted `password:`/`token=` value (`secret-assignment`) counts like a secret-named argument (medium outbound), and pagination keys (`page_token=…`) are not secrets. A bare `[REDACTED]` (a sensitive key\'s value) and the word REDACTED in prose are not reported.',
    runbook:
      'Rotate the exposed credential first; then find how it reached the tool call or result (which file, env, or earlier result) and whether the receiving tool sent it anywhere.',
    references: [
      { id: 'OWASP-MCP01', title: 'OWASP MCP Top 10: Token Mismanagement & Secret Exposure' },
      { id: 'OWASP-MCP10', title: 'OWASP MCP Top 10: Context Injection & Over-Sharing' },
      {
        id: 'CWE-200',
        title: 'Exposure of Sensitive Information to an Unauthorized Actor',
        url: 'https://cwe.mitre.org/data/definitions/200.html',
      },
      {
        id: 'CWE-522',
        title: 'Insufficiently Protected Credentials',
        url: 'https://cwe.mitre.org/data/definitions/522.html',
      },
      {
        id: 'MITRE-T1552',
        title: 'MITRE ATT&CK T1552 Unsecured Credentials',
        url: 'https://attack.mitre.org/techniques/T1552/',
      },
    ],
    state: 'none',
    ignoresTrustedCallers: true,
  },
  settings: z.object({
    scanResults: z
      .boolean()
      .default(true)
      .describe('Also scan tool results and error messages (inbound secrets, medium).'),
    resultScanChars: z
      .number()
      .int()
      .min(256)
      .max(65_536)
      .default(16_384)
      .describe('How much of result.text is scanned.'),
    secretKeyArguments: z
      .boolean()
      .default(true)
      .describe(
        'Report random-looking values under secret-named argument keys (`password`, `api_key`, …) even without a known token format (medium).',
      ),
    ignoreTools: z
      .array(z.string().min(1))
      .default([])
      .describe('Tools (globs, `tool` or `server/tool`) that handle secrets by design.'),
  }),
  events: ['mcp.call'],
  prepare(s) {
    return { ignoreTools: new GlobSet(s.ignoreTools) };
  },
  evaluate(ev, ctx) {
    const e = ev.event;
    const s = ctx.settings;
    if (e.tool !== undefined && ctx.prepared.ignoreTools.matchesTool(e.server?.name, e.tool)) return;

    // Sides are created on the first hit: the benign path allocates nothing.
    let outbound: SideHits | undefined;
    if (e.arguments !== undefined && e.arguments !== null && typeof e.arguments === 'object') {
      for (const leaf of argumentLeaves(e.arguments)) {
        const found = findSecrets(leaf.value);
        if (found.length > 0) {
          outbound ??= newSide();
          for (const m of found) outbound.kinds.add(m.kind);
          outbound.pattern = true;
          outbound.count += found.length;
          addField(outbound, leaf.path);
        } else if (s.secretKeyArguments && isSecretValueForKey(leaf.key, leaf.value)) {
          outbound ??= newSide();
          outbound.kinds.add('secret-named-argument');
          outbound.count++;
          addField(outbound, leaf.path);
        }
        outbound = addRedactionMarkers(outbound, leaf.value, leaf.path);
      }
    }
    if (e.uri !== undefined) {
      const uri = e.uri.length > 4096 ? e.uri.slice(0, 4096) : e.uri;
      const found = findSecrets(uri);
      if (found.length > 0) {
        outbound ??= newSide();
        for (const m of found) outbound.kinds.add(m.kind);
        outbound.pattern = true;
        outbound.count += found.length;
        addField(outbound, 'uri');
      }
      outbound = addRedactionMarkers(outbound, uri, 'uri');
    }

    let inbound: SideHits | undefined;
    if (s.scanResults) {
      inbound = scanInbound(inbound, e.result?.text, 'result.text', s.resultScanChars);
      inbound = scanInbound(inbound, e.error?.message, 'error.message', s.resultScanChars);
    }

    if (outbound !== undefined) report(ev.ts, e, ctx, outbound, 'arguments', outbound.pattern ? 'high' : 'medium');
    if (inbound !== undefined) report(ev.ts, e, ctx, inbound, 'result', 'medium');
  },
});

function scanInbound(side: SideHits | undefined, text: string | undefined, field: string, maxChars: number): SideHits | undefined {
  if (text === undefined || text.length < 8) return side;
  const scanned = text.length > maxChars ? text.slice(0, maxChars) : text;
  const found = findSecrets(scanned);
  let hits = side;
  if (found.length > 0) {
    hits ??= newSide();
    for (const m of found) hits.kinds.add(m.kind);
    hits.pattern = true;
    hits.count += found.length;
    addField(hits, field);
  }
  return addRedactionMarkers(hits, scanned, field);
}

function report(
  ts: number,
  e: McpEvent,
  ctx: DetectorContext<unknown>,
  side: SideHits,
  direction: 'arguments' | 'result',
  severity: Severity,
): void {
  if (side.count === 0) return;
  const kinds = [...side.kinds].sort();
  const where = target(e);
  ctx.report({
    ...findingContext(e),
    severity,
    title:
      direction === 'arguments'
        ? `Secret (${kinds.join(', ')}) sent in ${where.label}`
        : `Secret (${kinds.join(', ')}) returned by ${where.label}`,
    subject: `${where.subject} direction=${direction} kinds=${kinds.join(',')}`,
    ts,
    evidence: {
      direction,
      kinds,
      matches: side.count,
      fields: side.fields,
      ...(side.markers.length > 0 ? { redactedMarkers: side.markers } : {}),
    },
  });
}

function target(e: McpEvent): { label: string; subject: string } {
  if (e.tool !== undefined) return { label: e.tool, subject: `tool=${e.tool}` };
  const method = e.rpc?.method ?? 'unknown';
  return { label: method, subject: `method=${method}` };
}
