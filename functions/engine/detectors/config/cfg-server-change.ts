import * as z from 'zod';
import { serverExpectation } from '../../config/schema.js';
import { findingContext } from '../../events/accessors.js';
import type { EngineEvent } from '../../events/engine-event.js';
import { GlobSet } from '../../text/glob.js';
import { sha256Hex16 } from '../../text/tool-definition.js';
import { defineDetector, type DetectorContext } from '../detector.js';
import { KeyCache } from '../../state/key-cache.js';
import { keyPart } from '../../state/key-part.js';
import { displayName } from './tool-listing.js';
import { compareVersions, isProtocolVersion } from './version-order.js';

const ID = 'CFG-SERVER-CHANGE';
const DAY_MS = 24 * 3600_000;
const HOUR_MS = 3600_000;
/** A version's last-seen time is rewritten at most this often: steady traffic costs no writes. */
const TOUCH_EVERY_MS = 5 * 60_000;
/** Versions (and protocol versions) remembered per server; the least recently seen go first. */
const MAX_VERSIONS = 16;
const MAX_VERSION_CHARS = 64;
const SUBJECT_PART_MAX = 160;
const EVIDENCE_VALUE_MAX = 256;

// Server-version record fields.
const VERSIONS = 'v'; // server.version → last seen
const PROTOCOLS = 'p'; // protocolVersion → last seen

// CloudTrail read-only calls are not changes (the EventBridge rule should not forward them anyway).
const READ_ONLY_ACTION = /^(?:Get|List|Describe|Head|Lookup|BatchGet)[A-Z]/;
// An STS session ARN also matches allow-list entries written for its IAM role.
const ASSUMED_ROLE = /^arn:(aws[a-z-]{0,20}):sts::(\d{12}):assumed-role\/([^/]{1,128})\/[^/]{1,128}$/;

interface ChangeSettings {
  versionChanges: boolean;
  rollbackAfterHours: number;
  protocolDowngrades: boolean;
  registryTtlDays: number;
  ignoreReadOnlyActions: boolean;
}

/** Per server: the same key string for every event (see KeyCache). */
const versionKeys = new KeyCache((server) => `${ID}|${keyPart(server)}|versions|server`);

function actorAllowed(policy: GlobSet, actor: string | undefined): boolean {
  if (actor === undefined) return false;
  if (policy.matches(actor)) return true;
  const m = ASSUMED_ROLE.exec(actor);
  return m !== null && policy.matches(`arn:${m[1]}:iam::${m[2]}:role/${m[3]}`);
}

function subjectPart(value: string): string {
  const one = value.replace(/\s+/g, ' ');
  return one.length <= SUBJECT_PART_MAX ? one : `#${sha256Hex16(one)}`;
}

/** A `{name: time}` map from state, bounded and typed. */
function timeMap(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [k, v] of Object.entries(value as Record<string, unknown>))
    if (typeof v === 'number') out[k] = v;
  return out;
}

function recentlySeen(map: unknown, value: string | undefined, t: number): boolean {
  if (value === undefined) return true;
  const at = map !== null && typeof map === 'object' ? (map as Record<string, unknown>)[value] : undefined;
  return typeof at === 'number' && t - at < TOUCH_EVERY_MS;
}

/** Keeps the MAX_VERSIONS most recently seen entries that are not expired. */
function bounded(map: Record<string, number>, t: number, ttlMs: number): Record<string, number> {
  const live = Object.entries(map).filter(([, at]) => t - at <= ttlMs);
  live.sort((a, b) => b[1] - a[1]);
  return Object.fromEntries(live.slice(0, MAX_VERSIONS));
}

/** `policy`: config.changes.allowedActors (empty: no actor policy). */
function checkChange(ev: EngineEvent, ctx: DetectorContext<ChangeSettings>, policy: GlobSet): void {
  const e = ev.event;
  const change = e.change;
  if (change === undefined || change === null) return;
  const { actor, action, resource, target, key, source } = change;
  if (ctx.settings.ignoreReadOnlyActions && typeof action === 'string' && READ_ONLY_ACTION.test(action))
    return;
  const hasPolicy = !policy.isEmpty;
  // With an allow-list, an actor that is not on it (or not recorded at all) is not allowed.
  const allowed = hasPolicy && actorAllowed(policy, actor);
  const outsidePolicy = hasPolicy && !allowed;
  const what = action ?? (key !== undefined ? `set ${key}` : 'change');
  const on = resource ?? target ?? e.server?.name;
  const parts = [source, action, resource ?? target, key].filter(
    (p): p is string => typeof p === 'string' && p.length > 0,
  );
  ctx.report({
    ...findingContext(e),
    severity: outsidePolicy ? 'high' : 'medium',
    title: `MCP server change: ${displayName(what, 60)}${on !== undefined ? ` on ${displayName(on, 100)}` : ''} by ${actor !== undefined ? displayName(actor, 100) : 'an unknown actor'}${outsidePolicy ? ' (not an allowed actor)' : ''}`,
    subject: `actor=${subjectPart(actor ?? 'unknown')} change=${subjectPart(parts.join(':') || 'change')}`,
    ts: ev.ts,
    evidence: {
      ...Object.fromEntries(
        Object.entries({ actor, action, resource, target, key, source })
          .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
          .map(([k, v]) => [k, displayName(v, EVIDENCE_VALUE_MAX)]),
      ),
      actorPolicy: hasPolicy ? (allowed ? 'allowed' : 'not allowed') : 'none',
    },
  });
}

function checkVersion(
  ev: EngineEvent,
  ctx: DetectorContext<ChangeSettings>,
  server: string,
  version: string,
  versions: Record<string, number>,
): boolean {
  const t = ev.ts;
  const s = ctx.settings;
  const last = versions[version];
  if (last !== undefined && t - last < TOUCH_EVERY_MS) return false;
  const others = Object.entries(versions).filter(([v]) => v !== version);
  if (s.versionChanges && others.length > 0) {
    let finding: { severity: 'low' | 'medium'; title: string; evidence: Record<string, unknown> } | undefined;
    if (last === undefined) {
      const previous = others.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
      let highest: string | undefined;
      for (const [v] of others) {
        if (compareVersions(v, v) === undefined) continue; // not semver: no order
        if (highest === undefined || compareVersions(v, highest) === 1) highest = v;
      }
      const downgrade = highest !== undefined && compareVersions(version, highest) === -1;
      finding = downgrade
        ? {
            severity: 'medium',
            title: `MCP server ${displayName(server)} downgraded to version ${displayName(version, 40)} (highest seen ${displayName(highest as string, 40)})`,
            evidence: { version, previous, highest },
          }
        : {
            severity: 'low',
            title: `MCP server ${displayName(server)} version changed ${displayName(previous, 40)} \u2192 ${displayName(version, 40)}`,
            evidence: { version, previous, ...(highest !== undefined ? { highest } : {}) },
          };
    } else if (t - last >= s.rollbackAfterHours * HOUR_MS) {
      // An old version returning after a newer one took over: a rollback (or a downgrade attack).
      const newer = others
        .filter(([v, at]) => at > last && compareVersions(v, version) === 1)
        .map(([v]) => v);
      if (newer.length > 0) {
        finding = {
          severity: 'medium',
          title: `MCP server ${displayName(server)} rolled back to version ${displayName(version, 40)} after ${displayName(newer[0] as string, 40)}`,
          evidence: {
            version,
            newerVersionsSeen: newer.slice(0, 5),
            lastSeenBefore: new Date(last).toISOString(),
          },
        };
      }
    }
    if (finding !== undefined) {
      ctx.report({
        ...findingContext(ev.event),
        server,
        severity: finding.severity,
        title: finding.title,
        subject: `version=${version}`,
        ts: t,
        evidence: finding.evidence,
      });
    }
  }
  versions[version] = t;
  return true;
}

function checkProtocol(
  ev: EngineEvent,
  ctx: DetectorContext<ChangeSettings>,
  server: string,
  protocol: string,
  protocols: Record<string, number>,
): boolean {
  const t = ev.ts;
  const last = protocols[protocol];
  if (last !== undefined && t - last < TOUCH_EVERY_MS) return false;
  const minimum = serverExpectation(ctx.config, server).minProtocolVersion;
  const belowMinimum = minimum !== undefined && protocol < minimum;
  // Each older protocol version is reported the first time it is seen after a newer one.
  const newer =
    last === undefined
      ? Object.keys(protocols)
          .filter((p) => p > protocol)
          .sort()
      : [];
  if (ctx.settings.protocolDowngrades && (belowMinimum || newer.length > 0)) {
    const event = ev.event;
    ctx.report({
      ...findingContext(event),
      server,
      severity: 'medium',
      title: belowMinimum
        ? `MCP protocol ${protocol} on ${displayName(server)} is older than the configured minimum ${minimum}`
        : `MCP protocol downgrade on ${displayName(server)}: ${protocol} after ${newer[newer.length - 1]}`,
      subject: `protocol=${protocol}`,
      ts: t,
      evidence: {
        protocolVersion: protocol,
        ...(minimum !== undefined ? { minProtocolVersion: minimum } : {}),
        ...(newer.length > 0 ? { newestSeen: newer[newer.length - 1] } : {}),
        ...(event.client?.name !== undefined
          ? {
              client: `${event.client.name}${event.client.version !== undefined ? `/${event.client.version}` : ''}`,
            }
          : {}),
      },
    });
  }
  protocols[protocol] = t;
  return true;
}

export const cfgServerChange = defineDetector({
  meta: {
    id: ID,
    category: 'config',
    title: 'MCP server change',
    severity: 'medium',
    detects:
      'Changes to MCP servers: a new server version (low; a semantic-version downgrade or rollback medium), an MCP protocol version older than one the server already spoke or than `servers.<name>.minProtocolVersion` (medium), and `mcp.change` events — configuration changes logged by the server and CloudTrail changes to its AWS resources (Lambda code/config, ECS task definitions, IAM role policies, SSM parameters) — medium, high when the actor is not in `changes.allowedActors`.',
    why: "An unannounced deploy, a rollback to a vulnerable version, a client/server pair pushed onto an older protocol without newer security requirements, or a change to the server's code or permissions by someone other than the CI/CD pipeline are how a supply-chain or insider compromise of an MCP server shows up.",
    tuning:
      "List the CI/CD roles in `changes.allowedActors` (globs; an STS assumed-role session also matches its IAM role ARN, e.g. `arn:aws:iam::*:role/deploy-*`): their changes stay medium, everyone else's are high. With an empty list there is no actor policy and every change is medium. A change without a recorded actor counts as not allowed when a policy exists. Versions are tracked per server name: alternating versions during a rolling deploy are silent; a version returning after `rollbackAfterHours` while a newer one ran is a rollback. Versions that are not semver are reported as changes, never as downgrades. Each older protocol version is reported once per server (clients on older SDKs negotiate older versions; set `minProtocolVersion` to make it a policy). Read-only CloudTrail calls (Get*, List*, Describe*) are skipped (`ignoreReadOnlyActions`).",
    runbook:
      "Match the change to a deploy or change ticket; if none exists, find the actor's session in CloudTrail, revert the change and rotate the server's credentials.",
    references: [
      { id: 'OWASP-MCP04', title: 'OWASP MCP Top 10: Software Supply Chain Attacks & Dependency Tampering' },
      { id: 'OWASP-MCP08', title: 'OWASP MCP Top 10: Lack of Audit and Telemetry' },
      { id: 'MCP-SPEC-SECURITY', title: 'MCP Security Best Practices (2025-11-25)' },
      {
        id: 'MITRE-T1578',
        title: 'MITRE ATT&CK T1578 Modify Cloud Compute Infrastructure',
        url: 'https://attack.mitre.org/techniques/T1578/',
      },
      {
        id: 'MITRE-T1098',
        title: 'MITRE ATT&CK T1098 Account Manipulation',
        url: 'https://attack.mitre.org/techniques/T1098/',
      },
    ],
    // The catalogue lists no state, but "older than previously seen" needs the versions seen: one
    // small record per server (≤ 16 versions and 16 protocol versions).
    state: 'registry',
    ignoresTrustedCallers: true,
  },
  settings: z.object({
    versionChanges: z
      .boolean()
      .default(true)
      .describe('Report server version changes (low; a downgrade or rollback medium).'),
    rollbackAfterHours: z
      .number()
      .positive()
      .default(24)
      .describe(
        'A version seen before, returning after this many hours away while a newer version ran, is reported as a rollback.',
      ),
    protocolDowngrades: z
      .boolean()
      .default(true)
      .describe(
        'Report protocol versions older than one the server already used, or than servers.<name>.minProtocolVersion.',
      ),
    registryTtlDays: z
      .number()
      .int()
      .min(1)
      .default(90)
      .describe("Days a server's versions are remembered after they were last seen."),
    ignoreReadOnlyActions: z
      .boolean()
      .default(true)
      .describe(
        'Skip mcp.change events whose action is a read-only API call (Get*, List*, Describe*, Head*, Lookup*, BatchGet*).',
      ),
  }),
  events: [
    'mcp.call',
    'mcp.notification',
    'mcp.tools',
    'mcp.auth',
    'mcp.session',
    'mcp.change',
    'mcp.usage',
    'mcp.ratelimit',
  ],
  prepare(_settings, config) {
    return { allowedActors: new GlobSet(config.changes.allowedActors) };
  },
  evaluate(ev, ctx) {
    const event = ev.event;
    if (event.event === 'mcp.change') checkChange(ev, ctx, ctx.prepared.allowedActors);
    const server = event.server?.name;
    if (server === undefined) return;
    const rawVersion = event.server?.version;
    const version =
      typeof rawVersion === 'string' && rawVersion.length > 0 && rawVersion.length <= MAX_VERSION_CHARS
        ? rawVersion
        : undefined;
    const rawProtocol = event.protocolVersion;
    const protocol =
      typeof rawProtocol === 'string' && isProtocolVersion(rawProtocol) ? rawProtocol : undefined;
    if (version === undefined && protocol === undefined) return;
    const t = ev.ts;
    const ttlMs = ctx.settings.registryTtlDays * DAY_MS;
    const record = ctx.state.record(versionKeys.key(server), { ttlMs, maxFields: 4 });
    // Steady state (the same version and protocol seen within TOUCH_EVERY_MS) returns before allocating.
    if (recentlySeen(record.get(VERSIONS), version, t) && recentlySeen(record.get(PROTOCOLS), protocol, t))
      return;
    if (version !== undefined) {
      const versions = bounded(timeMap(record.get(VERSIONS)), t, ttlMs);
      if (checkVersion(ev, ctx, server, version, versions))
        record.set(VERSIONS, bounded(versions, t, ttlMs), t);
    }
    if (protocol !== undefined) {
      const protocols = bounded(timeMap(record.get(PROTOCOLS)), t, ttlMs);
      if (checkProtocol(ev, ctx, server, protocol, protocols))
        record.set(PROTOCOLS, bounded(protocols, t, ttlMs), t);
    }
  },
});
