import * as z from 'zod';
import { actorKey, findingContext } from '../../events/accessors.js';
import { PUBLIC_SINK } from '../../labels/tool-labels.js';
import { argumentLeaves, type StringLeaf } from '../../text/leaves.js';
import { findSecrets, isSecretKeyName } from '../../text/secrets.js';
import { bytesAsText, findEncodedBlobs, hasImageMagic, type EncodedBlob } from '../../text/encoded-blobs.js';
import { defineDetector } from '../detector.js';
import { keyPart } from '../../state/key-part.js';

const EXCERPT_CHARS = 16;

/** Lowercased path segments of a leaf (`attachments[0].content` → attachments, content). */
function pathSegments(leaf: StringLeaf): string[] {
  return leaf.path
    .toLowerCase()
    .split('.')
    .map((segment) => {
      const bracket = segment.indexOf('[');
      return bracket < 0 ? segment : segment.slice(0, bracket);
    });
}

interface Hit {
  readonly field: string;
  readonly blob: EncodedBlob;
  readonly excerpt: string;
  readonly secretKinds: string[];
  readonly reason: 'encoded-blob' | 'secret-in-encoded-field';
}

function secretKindsIn(blob: EncodedBlob): string[] {
  if (blob.decodedAs !== 'text') return [];
  return [...new Set(findSecrets(bytesAsText(blob.decoded)).map((s) => s.kind))];
}

export const agtExfilEncoding = defineDetector({
  meta: {
    id: 'AGT-EXFIL-ENCODING',
    category: 'agent',
    title: 'Encoded data sent to a public sink',
    severity: 'high',
    detects:
      'Long base64 (≥ 200 chars) or hex (≥ 128 chars) blobs, and chains of padded base64 chunks, in the arguments of public-sink tools (send, post, upload, fetch, …) when they decode to text or to random-looking (compressed/encrypted) bytes.',
    why:
      'Agents steered by injected instructions encode what they steal so it passes content filters and reviewers: a base64 blob in a URL query, a message or an issue body. Legitimate messages rarely carry encoded payloads outside attachment fields.',
    tuning:
      'Base64 in attachment fields (`attachments`, `attachment`, `base64`, … — `encodedFields`) is how files are sent, so it only fires there when the decoded content holds a secret. `data:image/*;base64,` URIs whose bytes really are an image (PNG/JPEG/GIF/WebP/SVG/… magic) are ignored anywhere. Lone SHA-512 digests and signatures (128 random hex chars), shorter hashes, UUIDs, git SHAs, JWT bearer tokens (API-SECRET-LEAK covers those) and structured binary (e.g. ABI call data) are ignored. Raise `minBase64Chars` / `minHexChars` for sinks that legitimately carry encoded payloads, or label the tool `none`.',
    runbook: 'Decode the blob from the original log line; if it holds data the session read earlier, treat it as exfiltration: revoke what leaked and find the injected instruction in the session.',
    references: [
      { id: 'OWASP-MCP10', title: 'OWASP MCP Top 10: Context Injection & Over-Sharing' },
      { id: 'OWASP-MCP06', title: 'OWASP MCP Top 10: Prompt Injection via Contextual Payloads' },
      { id: 'MITRE-T1132.001', title: 'MITRE ATT&CK T1132.001 Data Encoding: Standard Encoding', url: 'https://attack.mitre.org/techniques/T1132/001/' },
      { id: 'MITRE-T1567', title: 'MITRE ATT&CK T1567 Exfiltration Over Web Service', url: 'https://attack.mitre.org/techniques/T1567/' },
      { id: 'CWE-200', title: 'CWE-200 Exposure of Sensitive Information to an Unauthorized Actor' },
    ],
    state: 'none',
  },
  settings: z.object({
    minBase64Chars: z.number().int().min(32).default(200).describe('Shortest base64 run (alphabet characters) that counts as a blob.'),
    minHexChars: z.number().int().min(32).default(128).describe('Shortest hex run that counts as a blob.'),
    minPaddedChunks: z
      .number()
      .int()
      .min(2)
      .default(3)
      .describe('Padded base64 chunks glued together (`aGk=b2s=…`) that count as a padding trick.'),
    minPaddedChars: z.number().int().min(8).default(48).describe('Shortest padded-chunk chain (alphabet characters) that counts.'),
    encodedFields: z
      .array(z.string().min(1))
      .default(['attachment', 'attachments', 'base64', 'contentbytes', 'filedata', 'file_data', 'inlinedata', 'inline_data'])
      .describe('Argument keys (any path segment, lowercase) where base64 is expected: fire there only when the decoded content holds a secret.'),
  }),
  events: ['mcp.call'],
  prepare(s) {
    return { encodedFields: new Set(s.encodedFields.map((f) => f.toLowerCase())) as ReadonlySet<string> };
  },
  evaluate(ev, ctx) {
    const e = ev.event;
    if (e.tool === undefined || e.arguments === undefined || e.arguments === null || typeof e.arguments !== 'object') return;
    if ((ctx.labels.mask(e.server?.name, e.tool, ctx.state) & PUBLIC_SINK) === 0) return;
    const thresholds = ctx.settings;
    const encodedFields = ctx.prepared.encodedFields;
    let hit: Hit | undefined;
    let blobs = 0;
    for (const leaf of argumentLeaves(e.arguments)) {
      // Bearer tokens and cookies are secrets by design (API-SECRET-LEAK), not encoded payloads.
      if (isSecretKeyName(leaf.key)) continue;
      const found = findEncodedBlobs(leaf.value, thresholds);
      if (found.length === 0) continue;
      const expected = pathSegments(leaf).some((s) => encodedFields.has(s));
      for (const blob of found) {
        if (blob.dataUriImage !== undefined && hasImageMagic(blob.decoded)) continue;
        const secretKinds = secretKindsIn(blob);
        if (expected && secretKinds.length === 0) continue;
        blobs++;
        hit ??= {
          field: leaf.path || '(root)',
          blob,
          excerpt: leaf.value.slice(blob.start, blob.start + EXCERPT_CHARS),
          secretKinds,
          reason: expected ? 'secret-in-encoded-field' : 'encoded-blob',
        };
      }
    }
    if (hit === undefined) return;
    const actor = actorKey(e);
    ctx.report({
      ...findingContext(e),
      severity: 'high',
      title: `${hit.blob.chars}-char ${hit.blob.encoding} blob (decodes to ${hit.blob.decodedAs}) in ${keyPart(hit.field)} of sink tool ${keyPart(e.tool)}`,
      subject: `${actor !== undefined ? keyPart(actor) : 'actor=unknown'} tool=${keyPart(e.tool)}`,
      ts: ev.ts,
      evidence: {
        reason: hit.reason,
        encoding: hit.blob.encoding,
        chars: hit.blob.chars,
        decodedAs: hit.blob.decodedAs,
        field: hit.field,
        excerpt: hit.excerpt,
        blobs,
        ...(hit.secretKinds.length > 0 ? { decodedSecretKinds: hit.secretKinds } : {}),
      },
    });
  },
});
