import * as z from 'zod';
import { actorKey, findingContext } from '../../events/accessors.js';
import { toolWords } from '../../labels/tool-labels.js';
import { findCredentialPaths, type CredentialPath } from '../../text/credential-paths.js';
import { argumentLeaves, type StringLeaf } from '../../text/leaves.js';
import { defineDetector } from '../detector.js';
import { keyPart } from '../../state/key-part.js';

/**
 * Which argument leaves are file accesses. A credential path in free text (a search query "how do I
 * set up ~/.aws/config profiles", an email body) is talk about a file, not an access, so:
 * - leaves under path-like keys (last word of the key: path, file, dir, uri, url, src, dest, cwd,
 *   target, pattern, …) and command-like keys (command, cmd, script, shell, code) are scanned whole;
 * - leaves under free-text keys (query, text, body, content, message, …) are never scanned;
 * - any other leaf is scanned only when it looks like one path: no whitespace (Windows drive paths
 *   may hold spaces) and a path shape (starts with / ~ . $ % \ or a drive letter, or contains a
 *   separator);
 * - http(s) URLs are scanned up to their query string: `?q=.env+files` is a search, not a file.
 * The event's `uri` (resources/read and friends) is always a path.
 */
const PATH_KEY_WORDS = new Set([
  'path', 'paths', 'file', 'files', 'filename', 'filenames', 'filepath', 'dir', 'dirs', 'directory', 'folder', 'uri',
  'uris', 'url', 'urls', 'cwd', 'src', 'source', 'sources', 'dest', 'destination', 'dst', 'target', 'location',
  'pattern', 'glob', 'command', 'commands', 'cmd', 'script', 'shell', 'code',
]);
const TEXT_KEY_WORDS = new Set([
  'query', 'q', 'question', 'prompt', 'text', 'message', 'messages', 'body', 'content', 'contents', 'description',
  'title', 'comment', 'subject', 'summary', 'note', 'notes', 'search', 'term', 'terms', 'keywords', 'instructions',
]);

const PATH_SHAPE = /^(?:[/~.$%\\]|[a-z]:[\\/]|file:)/i;
const WINDOWS_DRIVE_PATH = /^[a-z]:[\\/]/i;
const WHITESPACE = /\s/;
const NEWLINE = /[\r\n]/;
const HTTP_URL = /^https?:\/\//i;
const MAX_PATHS_IN_EVIDENCE = 3;
const MAX_EVIDENCE_PATH_CHARS = 200;

type LeafRole = 'path' | 'text' | 'other';

function lastKey(leaf: StringLeaf): string {
  // `options.filePath`, `paths[2]` → `filePath`, `paths`: the key as written, for camelCase words.
  let path = leaf.path;
  while (path.endsWith(']')) path = path.slice(0, Math.max(0, path.lastIndexOf('[')));
  return path.slice(path.lastIndexOf('.') + 1);
}

function roleOfKey(key: string): LeafRole {
  const words = toolWords(key);
  const word = words[words.length - 1];
  if (word === undefined) return 'other';
  if (PATH_KEY_WORDS.has(word)) return 'path';
  if (TEXT_KEY_WORDS.has(word)) return 'text';
  return 'other';
}

// Argument names repeat across calls: the role of each short one is computed once (bounded memo).
const roleCache = new Map<string, LeafRole>();
const MEMO_KEY_MAX_CHARS = 64;

function leafRole(leaf: StringLeaf): LeafRole {
  const key = lastKey(leaf);
  if (key.length > MEMO_KEY_MAX_CHARS) return roleOfKey(key);
  let role = roleCache.get(key);
  if (role === undefined) {
    role = roleOfKey(key);
    if (roleCache.size >= 4096) roleCache.clear();
    roleCache.set(key, role);
  }
  return role;
}

function looksLikeOnePath(value: string): boolean {
  if (WHITESPACE.test(value)) return WINDOWS_DRIVE_PATH.test(value) && !NEWLINE.test(value);
  return PATH_SHAPE.test(value) || value.includes('/') || value.includes('\\');
}

/** The part of a value that names a file: an http(s) URL without its query and fragment. */
function fileNamePart(value: string): string {
  if (!HTTP_URL.test(value)) return value;
  const cut = value.search(/[?#]/);
  return cut < 0 ? value : value.slice(0, cut);
}

interface Access {
  readonly field: string;
  readonly found: CredentialPath[];
}

export const agtCredentialAccess = defineDetector({
  meta: {
    id: 'AGT-CREDENTIAL-ACCESS',
    category: 'agent',
    title: 'Credential file access',
    severity: 'high',
    detects:
      'Tool arguments and resource URIs that touch credential files: SSH private keys, ~/.aws/credentials, .env files, .npmrc/.pypirc/.netrc, ~/.kube/config, ~/.docker/config.json, .git-credentials, gcloud/azure token stores, /proc/<pid>/environ, /etc/shadow — also URL-encoded or with Windows separators.',
    why:
      'Poisoned tool descriptions and injected instructions make agents read credential files and pass them on (Invariant Labs\' tool-poisoning proof of concept reads ~/.ssh/id_rsa and ~/.cursor/mcp.json). An agent has no business opening these files for an ordinary task.',
    tuning:
      'Only path-like argument fields (path, file, uri, url, dir, command, …) and values shaped like a single path are checked, so questions about these files in search queries or message text do not fire. Public keys (*.pub) and dotenv templates (.env.example, .env.sample, .env.template) are not credentials. Give automation that legitimately manages these files (a secrets-sync principal) a trusted principal entry in allowLists.',
    runbook:
      'Find the prompt or tool result that led the agent to this call (same session, just before); if the call succeeded, rotate the credentials in that file.',
    references: [
      { id: 'OWASP-MCP01', title: 'OWASP MCP Top 10: Token Mismanagement & Secret Exposure' },
      { id: 'OWASP-MCP03', title: 'OWASP MCP Top 10: Tool Poisoning' },
      {
        id: 'INVARIANT-TOOL-POISONING',
        title: 'Invariant Labs: MCP Security Notification — Tool Poisoning Attacks',
        url: 'https://invariantlabs.ai/blog/mcp-security-notification-tool-poisoning-attacks',
      },
      { id: 'MITRE-T1552.001', title: 'MITRE ATT&CK T1552.001 Unsecured Credentials: Credentials In Files', url: 'https://attack.mitre.org/techniques/T1552/001/' },
      { id: 'MITRE-T1552.004', title: 'MITRE ATT&CK T1552.004 Unsecured Credentials: Private Keys', url: 'https://attack.mitre.org/techniques/T1552/004/' },
      { id: 'CWE-522', title: 'CWE-522 Insufficiently Protected Credentials' },
    ],
    state: 'none',
  },
  settings: z.object({
    includeUrls: z
      .boolean()
      .default(true)
      .describe('Also check http(s) URL arguments (an agent fetching https://host/.env probes for exposed credentials).'),
  }),
  events: ['mcp.call'],
  evaluate(ev, ctx) {
    const e = ev.event;
    if (e.arguments === undefined && e.uri === undefined) return;
    // Created on the first access: the benign path allocates nothing.
    let accesses: Access[] | undefined;
    if (typeof e.uri === 'string' && (ctx.settings.includeUrls || !HTTP_URL.test(e.uri))) {
      const found = findCredentialPaths(fileNamePart(e.uri));
      if (found.length > 0) (accesses ??= []).push({ field: 'uri', found });
    }
    if (e.arguments !== undefined) {
      for (const leaf of argumentLeaves(e.arguments)) {
        const role = leafRole(leaf);
        if (role === 'text') continue;
        if (role === 'other' && !looksLikeOnePath(leaf.value)) continue;
        if (!ctx.settings.includeUrls && HTTP_URL.test(leaf.value)) continue;
        const found = findCredentialPaths(fileNamePart(leaf.value));
        if (found.length > 0) (accesses ??= []).push({ field: leaf.path || '(root)', found });
      }
    }
    const first = accesses?.[0]?.found[0];
    if (accesses === undefined || first === undefined) return;
    const kinds = [...new Set(accesses.flatMap((a) => a.found.map((f) => f.kind)))];
    const paths = accesses.flatMap((a) => a.found.map((f) => f.path.slice(0, MAX_EVIDENCE_PATH_CHARS))).slice(0, MAX_PATHS_IN_EVIDENCE);
    const operation = e.tool ?? e.rpc?.method ?? 'unknown';
    const actor = actorKey(e);
    const failed = e.error !== undefined || e.result?.isError === true;
    ctx.report({
      ...findingContext(e),
      severity: 'high',
      title: `Credential file access (${first.kind}) via ${keyPart(operation)}: ${first.path.slice(0, 120)}`,
      subject: `${actor !== undefined ? keyPart(actor) : 'actor=unknown'} op=${keyPart(operation)} kind=${first.kind}`,
      ts: ev.ts,
      evidence: {
        kinds,
        paths,
        fields: accesses.map((a) => a.field).slice(0, MAX_PATHS_IN_EVIDENCE),
        outcome: failed ? 'failed' : e.result !== undefined ? 'succeeded' : 'unknown',
      },
    });
  },
});
