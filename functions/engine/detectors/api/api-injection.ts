import * as z from 'zod';
import { findingContext } from '../../events/accessors.js';
import type { McpEvent } from '../../events/schema.js';
import { GlobSet } from '../../text/glob.js';
import { argumentLeaves, type StringLeaf } from '../../text/leaves.js';
import { defineDetector } from '../detector.js';
import {
  findInjectionMarkers,
  INJECTION_PREFILTER,
  isProse,
  JS_OPERATORS,
  QUERY_OPERATORS,
  type InjectionCategory,
  type InjectionHit,
} from '../../text/injection-patterns.js';
import { FILE_TOOL, NOSQL_TOOL, RUN_TOOL, SHELL_TOOL, SQL_TOOL, toolKinds } from './tool-kinds.js';

const ID = 'API-INJECTION';

const CATEGORY_TITLES: Record<InjectionCategory, string> = {
  sql: 'SQL injection',
  command: 'OS command injection',
  'path-traversal': 'Path traversal',
  template: 'Template/expression injection',
  nosql: 'NoSQL operator injection',
  html: 'HTML/script injection',
  ldap: 'LDAP filter injection',
  xpath: 'XPath injection',
};

const MAX_KEYS_WALKED = 256;
const MAX_DEPTH = 8;

interface CategoryHits {
  markers: Set<string>;
  fields: string[];
  excerpt: string;
  decoded: boolean;
}


function percentDecodeOnce(value: string): string {
  return value.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function excerptOf(value: string, hit: InjectionHit): string {
  const from = Math.max(0, hit.index - 16);
  return value
    .slice(from, Math.min(value.length, hit.index + Math.min(hit.length, 64) + 8))
    .replace(/\s+/g, ' ');
}

/** Mongo operators used as keys of argument objects (`{"password": {"$ne": null}}`). */
function operatorKeys(args: unknown, allowQueryOperators: boolean): Array<{ key: string; path: string }> {
  const out: Array<{ key: string; path: string }> = [];
  // The walk below builds a path for every key; most arguments have no `$` key at all.
  if (!hasOperatorKey(args, allowQueryOperators, { walked: 0 }, 0)) return out;
  let walked = 0;
  const walk = (value: unknown, path: string, depth: number): void => {
    if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH || out.length >= 4) return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length && walked < MAX_KEYS_WALKED; i++)
        walk(value[i], `${path}[${i}]`, depth + 1);
      return;
    }
    for (const key in value as Record<string, unknown>) {
      if (++walked > MAX_KEYS_WALKED) return;
      const child = path ? `${path}.${key}` : key;
      if (isOperatorKey(key, allowQueryOperators)) out.push({ key, path: child });
      walk((value as Record<string, unknown>)[key], child, depth + 1);
    }
  };
  walk(args, '', 0);
  return out;
}

function isOperatorKey(key: string, allowQueryOperators: boolean): boolean {
  return key.charCodeAt(0) === 36 && (JS_OPERATORS.has(key) || (!allowQueryOperators && QUERY_OPERATORS.has(key)));
}

/**
 * Whether `operatorKeys`' walk (same order, same bounds) meets an operator key. Until it meets
 * one nothing is pushed, so its `out.length >= 4` stop never applies before that.
 */
function hasOperatorKey(value: unknown, allowQueryOperators: boolean, state: { walked: number }, depth: number): boolean {
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && state.walked < MAX_KEYS_WALKED; i++)
      if (hasOperatorKey(value[i], allowQueryOperators, state, depth + 1)) return true;
    return false;
  }
  for (const key in value as Record<string, unknown>) {
    if (++state.walked > MAX_KEYS_WALKED) return false;
    if (isOperatorKey(key, allowQueryOperators)) return true;
    if (hasOperatorKey((value as Record<string, unknown>)[key], allowQueryOperators, state, depth + 1)) return true;
  }
  return false;
}

export const apiInjection = defineDetector({
  meta: {
    id: ID,
    category: 'api',
    title: 'Injection in tool arguments or resource URIs',
    severity: 'medium',
    detects:
      'SQL (tautologies, UNION probes, stacked statements, quote-then-comment, time-based), OS command (separator + command, $(…), reverse shells, download-and-execute), path traversal (../ climbs, encoded dot-dot, system files), template/expression (SSTI probes, Log4Shell lookups) and NoSQL operator injection in string arguments of tools/call and in resources/read URIs.',
    why: "An agent passes text it read elsewhere (web pages, issues, emails) into tool arguments; a tool that builds SQL, shell commands, paths or templates from them executes the attacker's payload with the server's privileges. Markers are syntax, not words: prose about SQL or a SELECT sent to a SQL tool does not match.",
    tuning:
      'Severity is high for shell, SQL and file tools (by name words). A SQL tool only trips on markers no agent-written query contains; a shell tool only on reverse shells and decode-and-execute. Add argument names to `freeTextKeys` when they carry documentation or code (only unambiguous markers apply there), search fields to `patternKeys`, and trusted security-testing tools to `ignoreTools`.',
    runbook:
      "Check the tool's result and server logs for the payload's effect; find which earlier result (page, issue, email) the agent copied it from, and fix the tool to parameterise its input.",
    references: [
      { id: 'OWASP-MCP05', title: 'OWASP MCP Top 10: Command Injection & Execution' },
      { id: 'MCP-SPEC-SECURITY', title: 'MCP Security Best Practices (2025-11-25)' },
      { id: 'CWE-89', title: 'SQL Injection', url: 'https://cwe.mitre.org/data/definitions/89.html' },
      { id: 'CWE-78', title: 'OS Command Injection', url: 'https://cwe.mitre.org/data/definitions/78.html' },
      { id: 'CWE-22', title: 'Path Traversal', url: 'https://cwe.mitre.org/data/definitions/22.html' },
      {
        id: 'CWE-1336',
        title: 'Server-Side Template Injection',
        url: 'https://cwe.mitre.org/data/definitions/1336.html',
      },
      {
        id: 'CWE-943',
        title: 'NoSQL / query logic injection',
        url: 'https://cwe.mitre.org/data/definitions/943.html',
      },
      {
        id: 'MITRE-T1190',
        title: 'MITRE ATT&CK T1190 Exploit Public-Facing Application',
        url: 'https://attack.mitre.org/techniques/T1190/',
      },
    ],
    state: 'none',
  },
  settings: z.object({
    freeTextKeys: z
      .array(z.string().min(1))
      .default([
        'content',
        'contents',
        'body',
        'text',
        'code',
        'script',
        'source',
        'patch',
        'diff',
        'markdown',
        'html',
        'description',
        'message',
        'comment',
        'note',
        'notes',
        'prompt',
        'template',
        'readme',
      ])
      .describe(
        'Argument names carrying documents or code: only unambiguous markers (reverse shells, encoded traversal, SSTI code execution, Log4Shell) apply to them.',
      ),
    patternKeys: z
      .array(z.string().min(1))
      .default([
        'pattern',
        'regex',
        'regexp',
        'glob',
        'grep',
        'filter',
        'match',
        'include',
        'exclude',
        'search',
      ])
      .describe('Argument names holding search patterns, where `|` is alternation rather than a pipe.'),
    ignoreTools: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Tools (globs, `tool` or `server/tool`) whose arguments are not scanned, e.g. a sanctioned security scanner.',
      ),
    scanResourceUris: z
      .boolean()
      .default(true)
      .describe('Also scan the `uri` of resources/read and other calls.'),
  }),
  events: ['mcp.call'],
  prepare(s) {
    return { ignoreTools: new GlobSet(s.ignoreTools) };
  },
  evaluate(ev, ctx) {
    const e = ev.event;
    const hasArgs = e.arguments !== undefined && e.arguments !== null && typeof e.arguments === 'object';
    const uri = ctx.settings.scanResourceUris ? e.uri : undefined;
    if (!hasArgs && uri === undefined) return;
    const server = e.server?.name;
    if (e.tool !== undefined && ctx.prepared.ignoreTools.matchesTool(server, e.tool)) return;

    const kinds = toolKinds(e.tool);
    const sqlTool = (kinds & SQL_TOOL) !== 0;
    const shellTool = (kinds & SHELL_TOOL) !== 0;

    // Created on the first hit: the benign path allocates no map.
    let byCategory: Map<InjectionCategory, CategoryHits> | undefined;
    if (hasArgs) for (const leaf of argumentLeaves(e.arguments)) byCategory = scanLeaf(leaf, byCategory, sqlTool, shellTool, ctx.settings);
    if (uri !== undefined) byCategory = scanLeaf({ path: 'uri', key: 'uri', value: uri }, byCategory, sqlTool, shellTool, ctx.settings);
    if (hasArgs) {
      for (const op of operatorKeys(e.arguments, (kinds & (NOSQL_TOOL | SQL_TOOL)) !== 0)) {
        byCategory = record(
          byCategory,
          'nosql',
          JS_OPERATORS.has(op.key) ? 'nosql-js-operator-key' : 'nosql-operator-key',
          op.path,
          op.key,
          false,
        );
      }
    }
    if (byCategory === undefined || byCategory.size === 0) return;

    const sensitiveTool =
      (kinds & (SHELL_TOOL | SQL_TOOL | FILE_TOOL | RUN_TOOL)) !== 0 ||
      (e.tool === undefined && e.rpc?.method === 'resources/read');
    const where = target(e);
    for (const [category, hits] of byCategory) {
      const markers = [...hits.markers];
      ctx.report({
        ...findingContext(e),
        severity: sensitiveTool ? 'high' : 'medium',
        title: `${CATEGORY_TITLES[category]} markers (${markers.join(', ')}) in ${where.label}`,
        subject: `${where.subject} category=${category}`,
        ts: ev.ts,
        evidence: {
          category,
          markers,
          fields: hits.fields,
          excerpt: hits.excerpt,
          ...(hits.decoded ? { percentDecoded: true } : {}),
          ...(sensitiveTool ? { toolClass: toolClassOf(kinds, e) } : {}),
        },
      });
    }
  },
});

function scanLeaf(
  leaf: StringLeaf,
  found: Map<InjectionCategory, CategoryHits> | undefined,
  sqlTool: boolean,
  shellTool: boolean,
  settings: { readonly freeTextKeys: readonly string[]; readonly patternKeys: readonly string[] },
): Map<InjectionCategory, CategoryHits> | undefined {
  const value = leaf.value;
  if (value.length < 2 || !INJECTION_PREFILTER.test(value)) return found;
  let byCategory = found;
  const document = settings.freeTextKeys.includes(leaf.key);
  const valueCtx = {
    sqlTool,
    shellTool,
    document,
    prose: !document && !sqlTool && !shellTool && isProse(value),
    patternField: settings.patternKeys.includes(leaf.key),
  };
  for (const hit of findInjectionMarkers(value, valueCtx))
    byCategory = record(byCategory, hit.category, hit.marker, leaf.path, excerptOf(value, hit), false);
  // Payloads are often percent-encoded once (query strings, form fields): look at the decoded text too.
  if (value.includes('%')) {
    const decoded = percentDecodeOnce(value);
    if (decoded !== value) {
      for (const hit of findInjectionMarkers(decoded, valueCtx)) {
        if (!byCategory?.get(hit.category)?.markers.has(hit.marker))
          byCategory = record(byCategory, hit.category, hit.marker, leaf.path, excerptOf(decoded, hit), true);
      }
    }
  }
  return byCategory;
}

function record(
  byCategory: Map<InjectionCategory, CategoryHits> | undefined,
  category: InjectionCategory,
  marker: string,
  field: string,
  excerpt: string,
  decoded: boolean,
): Map<InjectionCategory, CategoryHits> {
  const map = byCategory ?? new Map<InjectionCategory, CategoryHits>();
  let hits = map.get(category);
  if (!hits) {
    hits = { markers: new Set(), fields: [], excerpt, decoded };
    map.set(category, hits);
  }
  hits.markers.add(marker);
  if (!hits.fields.includes(field) && hits.fields.length < 4) hits.fields.push(field);
  return map;
}

function target(e: McpEvent): { label: string; subject: string } {
  if (e.tool !== undefined) return { label: `arguments of ${e.tool}`, subject: `tool=${e.tool}` };
  const method = e.rpc?.method ?? 'unknown';
  return { label: `the URI of ${method}`, subject: `method=${method}` };
}

function toolClassOf(kinds: number, e: McpEvent): string {
  if (kinds & SQL_TOOL) return 'sql';
  if (kinds & (SHELL_TOOL | RUN_TOOL)) return 'shell';
  if (kinds & FILE_TOOL) return 'file';
  return e.rpc?.method === 'resources/read' ? 'resource-read' : 'other';
}
