import * as z from 'zod';
import type { Severity } from '../../alerts/severity.js';
import { maxSeverity } from '../../alerts/severity.js';
import { findingContext } from '../../events/accessors.js';
import { parseIpv4, parseIpv6 } from '../../net/ip.js';
import {
  classifyHost,
  extractUrlTargets,
  hostOf,
  type AddressClass,
  type UrlTarget,
} from '../../net/ssrf-address.js';
import { GlobSet } from '../../text/glob.js';
import { redactSecrets } from '../../text/secrets.js';
import { argumentLeaves, type StringLeaf } from '../../text/leaves.js';
import { defineDetector } from '../detector.js';
import { FETCH_TOOL, toolKinds } from './tool-kinds.js';

const ID = 'API-SSRF';
const MAX_TARGETS_PER_LEAF = 4;
const MAX_FINDINGS_PER_EVENT = 4;

// Argument names whose value is a host or URL even without a scheme ("host": "127.1").
const HOST_KEY =
  /(?:url|uri|href|link|host|hostname|(?:^|[_-])ip|address|addr|endpoint|server|domain|origin|webhook|callback|redirect|proxy|upstream)$/;
// Paths a file: URL must never reach from a tool call (system and credential files).
const SENSITIVE_PATH =
  /^\/{0,3}(?:etc|proc|sys|root|dev|boot|var\/run\/secrets|run\/secrets|var\/lib\/kubelet)(?:\/|$)|\/\.(?:ssh|aws|kube|docker|gnupg)\/|\/\.(?:env|netrc|git-credentials|npmrc|pgpass)\b|\/id_(?:rsa|ed25519|ecdsa|dsa)\b|^\/{0,3}[a-z]:[\\/]windows\b|\/etc\/(?:passwd|shadow)\b/i;

// The value starts with a scheme ("http:", "jar:", "file:") or is protocol-relative.
const URL_START = /^\s{0,4}(?:[A-Za-z][A-Za-z0-9+.-]{1,15}:|\/\/)/;

const INTERNAL_CLASSES = new Set<AddressClass>([
  'loopback',
  'unspecified',
  'private',
  'link-local',
  'cgnat',
  'unique-local',
  'internal-name',
]);


interface Assessment {
  readonly severity: Severity;
  readonly reasons: string[];
  readonly subjectTarget: string;
  readonly evidence: Record<string, unknown>;
}

interface Candidate {
  readonly target: UrlTarget;
  /** Written without a scheme (a host argument). */
  readonly bare: boolean;
  readonly field: string;
}

/** `host[:port][/path]` written without a scheme, e.g. "127.1:8080/admin" or "//169.254.169.254/". */
function bareTarget(leaf: StringLeaf): UrlTarget | undefined {
  let value = leaf.value.trim();
  if (value.length === 0 || value.length > 300 || /\s/.test(value) || value.includes('://')) return undefined;
  if (value.startsWith('//')) value = value.slice(2);
  const end = value.search(/[/?#\\]/);
  const authority = end < 0 ? value : value.slice(0, end);
  const at = authority.lastIndexOf('@');
  const host = hostOf(at >= 0 ? authority.slice(at + 1) : authority);
  if (host.length === 0) return undefined;
  if (!HOST_KEY.test(leaf.key)) {
    // Any other field: only an unmistakable IP literal (not "10.0.1", which is a version).
    const isIp = host.startsWith('[') ? parseIpv6(host) !== undefined : parseIpv4(host) !== undefined;
    if (!isIp) return undefined;
  }
  return { scheme: '', host, path: end < 0 ? '' : value.slice(end), userinfo: at >= 0 };
}

export const apiSsrf = defineDetector({
  meta: {
    id: ID,
    category: 'api',
    title: 'Server-side request forgery target',
    severity: 'critical',
    detects:
      'URL-valued arguments and resource URIs pointing at cloud metadata endpoints (169.254.169.254, fd00:ec2::254, metadata.google.internal, 169.254.170.2, 100.100.100.200), loopback/link-local/private/CGNAT/unique-local addresses — also written in decimal, hex, octal, short, IPv4-mapped/NAT64/6to4 IPv6, percent-encoded, full-width or wildcard-DNS (nip.io) form, or behind userinfo — and dangerous schemes (gopher, dict, ldap, jar, netdoc, tftp, php, phar, expect, smb; file: in fetch tools or at system paths).',
    why: "A fetch-capable MCP tool runs inside the cloud network: an agent tricked into fetching the metadata endpoint hands over the instance role's credentials, and internal addresses or gopher/dict URLs reach services that trust the network. Obfuscated address forms exist only to slip past naive filters.",
    tuning:
      "Only URL-valued arguments count: values that are a URL or host, host-named keys (url, host, endpoint, …), any argument of a fetch-like tool, and resource URIs — a link inside an email body or a runbook page is text. Metadata → critical; scheme smuggling (gopher/dict/ldap…) to an internal host → high; other dangerous schemes and file: URLs → medium; internal addresses → low. Development servers that legitimately call localhost: add the host to `allowHosts` or set `reportInternal: false`. resources/read URIs with file: are the server's own resources and only count when they reach system or credential paths.",
    runbook:
      'Check whether the tool actually fetched the URL (result, server egress logs); if it reached metadata, rotate the instance/task role credentials and enforce IMDSv2 / egress filtering.',
    references: [
      {
        id: 'CWE-918',
        title: 'Server-Side Request Forgery',
        url: 'https://cwe.mitre.org/data/definitions/918.html',
      },
      {
        id: 'MCP-SPEC-SECURITY',
        title: 'MCP Security Best Practices (2025-11-25): SSRF in OAuth metadata discovery and tools',
      },
      { id: 'OWASP-MCP05', title: 'OWASP MCP Top 10: Command Injection & Execution' },
      {
        id: 'MITRE-T1552.005',
        title: 'MITRE ATT&CK T1552.005 Cloud Instance Metadata API',
        url: 'https://attack.mitre.org/techniques/T1552/005/',
      },
    ],
    state: 'none',
  },
  settings: z.object({
    allowHosts: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Hosts or IPs (globs) that tools may legitimately reach, e.g. "localhost" on a dev box or an internal API name.',
      ),
    reportInternal: z
      .boolean()
      .default(true)
      .describe(
        'Report loopback/private/link-local/internal-name targets (low). Metadata is always reported.',
      ),
    dangerousSchemes: z
      .array(z.string().min(1))
      .default(['gopher', 'dict', 'ldap', 'ldaps', 'jar', 'netdoc', 'tftp', 'php', 'phar', 'expect', 'smb'])
      .describe('URL schemes that smuggle protocols or load code (file: is handled separately).'),
  }),
  events: ['mcp.call'],
  prepare(s) {
    return { allowHosts: new GlobSet(s.allowHosts) };
  },
  evaluate(ev, ctx) {
    const e = ev.event;
    const hasArgs = e.arguments !== undefined && e.arguments !== null && typeof e.arguments === 'object';
    if (!hasArgs && e.uri === undefined) return;
    const fetchTool = (toolKinds(e.tool) & FETCH_TOOL) !== 0;
    // Created on the first candidate: the benign path allocates nothing.
    let candidates: Candidate[] | undefined;
    if (hasArgs) for (const leaf of argumentLeaves(e.arguments)) candidates = collect(leaf, false, fetchTool, candidates);
    const uriStart = candidates?.length ?? 0;
    if (e.uri !== undefined)
      candidates = collect({ path: 'uri', key: 'uri', value: e.uri.length > 4096 ? e.uri.slice(0, 4096) : e.uri }, true, fetchTool, candidates);
    if (candidates === undefined || candidates.length === 0) return;

    const isResourceRead = e.rpc?.method === 'resources/read';
    const where = e.tool !== undefined ? `tool=${e.tool}` : `method=${e.rpc?.method ?? 'unknown'}`;
    const reported = new Set<string>();
    for (let i = 0; i < candidates.length && reported.size < MAX_FINDINGS_PER_EVENT; i++) {
      const candidate = candidates[i] as Candidate;
      const inResourceUri = i >= uriStart && isResourceRead;
      const assessment = assess(candidate, { fetchTool, inResourceUri, settings: ctx.settings, allowHosts: ctx.prepared.allowHosts });
      if (!assessment) continue;
      const subject = `${where} target=${assessment.subjectTarget}`;
      if (reported.has(subject)) continue;
      reported.add(subject);
      ctx.report({
        ...findingContext(e),
        severity: assessment.severity,
        title: `${describe(assessment)} in ${e.tool !== undefined ? `arguments of ${e.tool}` : `the URI of ${e.rpc?.method ?? 'a call'}`}`,
        subject,
        ts: ev.ts,
        evidence: { field: candidate.field, reasons: assessment.reasons, ...assessment.evidence },
      });
    }
  },
});

function collect(leaf: StringLeaf, always: boolean, fetchTool: boolean, found: Candidate[] | undefined): Candidate[] | undefined {
  let candidates = found;
  const value = leaf.value;
  const hostKey = HOST_KEY.test(leaf.key);
  // URL-valued: the value is a URL or host, or the tool fetches. A link inside an email body or a
  // runbook page ("curl http://169.254.169.254/…" in docs) is text, not a request target.
  if (value.includes(':') && (always || fetchTool || hostKey || URL_START.test(value))) {
    for (const target of extractUrlTargets(value, MAX_TARGETS_PER_LEAF)) (candidates ??= []).push({ target, bare: false, field: leaf.path });
  }
  const first = value.charCodeAt(0);
  if (!value.includes('://') && (hostKey || (first >= 48 && first <= 57) || first === 91 || first === 47)) {
    const target = bareTarget(leaf);
    if (target) (candidates ??= []).push({ target, bare: true, field: leaf.path });
  }
  return candidates;
}

function describe(a: Assessment): string {
  if (a.reasons.includes('cloud-metadata')) return `Cloud metadata endpoint ${a.subjectTarget}`;
  const scheme = a.reasons.find((r) => r.startsWith('scheme:'));
  if (scheme) return `Dangerous URL scheme ${scheme.slice(7)}: (${a.subjectTarget})`;
  if (a.reasons.includes('file-url')) return `file: URL ${a.subjectTarget}`;
  return `Internal address ${a.subjectTarget}`;
}

function assess(
  candidate: Candidate,
  opts: {
    fetchTool: boolean;
    inResourceUri: boolean;
    settings: { reportInternal: boolean; dangerousSchemes: string[] };
    /** settings.allowHosts, compiled. */
    allowHosts: GlobSet;
  },
): Assessment | undefined {
  const { target } = candidate;
  const reasons: string[] = [];
  const evidence: Record<string, unknown> = {};
  let severity: Severity | undefined;
  let subjectTarget = '';
  const raise = (s: Severity): void => {
    severity = severity === undefined ? s : maxSeverity(severity, s);
  };

  if (target.scheme === 'file') {
    const sensitive = SENSITIVE_PATH.test(target.path);
    const remoteHost = target.host !== '' && target.host.toLowerCase() !== 'localhost';
    // The canonical resources/read URI is file:///srv/…: only system or credential paths count there.
    if (sensitive || remoteHost || (!opts.inResourceUri && opts.fetchTool)) {
      reasons.push('file-url');
      if (sensitive) reasons.push('sensitive-path');
      if (remoteHost) reasons.push('remote-file-host');
      raise('medium');
      subjectTarget = remoteHost ? `file://${target.host.toLowerCase()}` : `file:${redactSecrets(target.path).slice(0, 64)}`;
      // Redacted before it is cut: a secret in the path is never kept in part.
      evidence.path = redactSecrets(target.path).slice(0, 128);
    }
    if (!remoteHost)
      return severity === undefined ? undefined : { severity, reasons, subjectTarget, evidence };
  }

  const dangerous = target.scheme !== '' && opts.settings.dangerousSchemes.includes(target.scheme);
  if (dangerous) {
    reasons.push(`scheme:${target.scheme}`);
    raise('medium');
    subjectTarget = `${target.scheme}:${target.host ? `//${target.host.toLowerCase()}` : redactSecrets(target.path).slice(0, 48)}`;
  }

  if (target.host !== '') {
    const host = classifyHost(target.host);
    const allowed =
      !opts.allowHosts.isEmpty && (opts.allowHosts.matches(host.host) || opts.allowHosts.matches(host.ip));
    if (host.class !== 'public' && !allowed) {
      const shown = host.ip ?? host.host;
      evidence.host = host.host;
      evidence.addressClass = host.class;
      if (host.ip !== undefined) evidence.ip = host.ip;
      if (host.forms.length > 0) evidence.obfuscation = host.forms;
      if (target.userinfo) evidence.userinfo = true;
      if (host.class === 'metadata') {
        reasons.unshift('cloud-metadata');
        raise('critical');
        subjectTarget = shown;
      } else if (INTERNAL_CLASSES.has(host.class) && (opts.settings.reportInternal || dangerous)) {
        reasons.push(host.class);
        // gopher://127.0.0.1:6379/… speaks Redis/SMTP/… to an internal service.
        raise(dangerous ? 'high' : 'low');
        if (!dangerous) subjectTarget = shown;
      }
      if (target.scheme !== '') evidence.scheme = target.scheme;
    }
  }
  if (severity === undefined) return undefined;
  return { severity, reasons, subjectTarget, evidence };
}
