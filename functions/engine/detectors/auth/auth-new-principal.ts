import * as z from 'zod';
import type { SourceFormat } from '../../events/engine-event.js';
import { clientIp, findingContext, principalId } from '../../events/accessors.js';
import type { StateRecord } from '../../state/state-record.js';
import { defineDetector } from '../detector.js';
import { KeyCache2 } from '../../state/key-cache.js';
import { hash16, keyPart } from '../../state/key-part.js';
import { BoundedKeyCache, BoundedKeyCache2 } from '../bounded-key-cache.js';
import { sourceNetwork } from './source-network.js';

const DAY_MS = 24 * 3600 * 1000;
const NONE = '(none)';
const LEARNED = 'n';
const LEARNED_DAY = 'day';

/** Formats whose lines never name the client application: there a combination is principal and network. */
const NAMELESS_FORMATS: ReadonlySet<SourceFormat> = new Set<SourceFormat>(['apigw-access', 'agentgateway']);

const MEMO_MAX = 10_000;
/** Longer is no address; never memoise attacker-sized strings. */
const MAX_IP_LENGTH = 64;

// Memoised: a busy server sees the same few thousand clients and addresses over and over.
/** client → network → record field (hash16 of the combination). */
const fieldMemo = new KeyCache2((client, network) => hash16(`${client}\n${network}`), MEMO_MAX);
/** Per raw server name (and principal): the same key strings for every event (see KeyCache). */
const learningKeys = new BoundedKeyCache((server) => `AUTH-NEW-PRINCIPAL|${keyPart(server)}|learning`);
const principalKeys = new BoundedKeyCache2((server, principal) => `AUTH-NEW-PRINCIPAL|${keyPart(server)}|principal|${keyPart(principal)}`);
/** Address → its network at the configured prefix lengths (one per compiled engine, made by `prepare`). */
class NetworkMemo {
  private readonly memo = new Map<string, string | undefined>();

  constructor(
    private readonly ipv4Prefix: number,
    private readonly ipv6Prefix: number,
  ) {}

  of(ip: string): string | undefined {
    if (this.memo.has(ip)) return this.memo.get(ip);
    const network = sourceNetwork(ip, this.ipv4Prefix, this.ipv6Prefix);
    if (this.memo.size >= MEMO_MAX) this.memo.clear();
    this.memo.set(ip, network);
    return network;
  }
}

/** Forgets the combination seen least recently so a new one fits (the record refuses fields past its cap). */
function evictOldest(history: StateRecord, t: number): void {
  let oldest: string | undefined;
  let oldestDay = Infinity;
  for (const field of history.fields()) {
    const day = history.get<number>(field) ?? 0;
    if (day < oldestDay) [oldest, oldestDay] = [field, day];
  }
  if (oldest !== undefined) history.delete(oldest, t);
}

export const authNewPrincipal = defineDetector({
  meta: {
    id: 'AUTH-NEW-PRINCIPAL',
    category: 'auth',
    title: 'New principal, client or source network',
    severity: 'low',
    detects:
      'The first time a combination of principal (sub, else OAuth client id), client application name and source network (IPv4 /24, IPv6 /48) is seen on a server, in served calls and session starts. A session\'s end (the Streamable HTTP DELETE) and events that do not name the client (HTTP-layer records such as transport errors) are not sightings; API Gateway access logs and agentgateway lines, which never name the client, count as principal and network only.',
    why:
      'A stolen token is usually replayed from somewhere new, often with a different client; a new principal on a sensitive server may be an unapproved integration. Low severity: it is context for other alerts and a trail for audits rather than an incident by itself.',
    tuning:
      'Every combination alerts once, from the first event on (`learningEvents: 0`), so deploying onto a busy server or replaying old logs raises one alert per combination (the per-detector storm cap folds a flood into a summary). Set `learningEvents` to let the first N events per server only learn. A combination unseen for `retentionDays` is new again. Each principal keeps at most `maxCombinationsPerPrincipal` combinations (least recently seen forgotten first). Widen `ipv4Prefix`/`ipv6Prefix` (smaller numbers) for mobile users whose addresses change within a provider. Canonical and JSON-RPC logs must name the client (`client.name`, from the session\'s initialize) for a call to count: a producer that never logs it leaves the detector silent.',
    runbook: 'Confirm with the principal\'s owner that the client and network are theirs; if not, revoke the principal\'s tokens and review its recent calls.',
    references: [
      { id: 'OWASP-MCP07', title: 'OWASP MCP Top 10: Insufficient Authentication & Authorization' },
      { id: 'OWASP-MCP08', title: 'OWASP MCP Top 10: Lack of Audit and Telemetry' },
      { id: 'MITRE-T1078', title: 'MITRE ATT&CK T1078 Valid Accounts', url: 'https://attack.mitre.org/techniques/T1078/' },
      { id: 'MITRE-T1550.001', title: 'MITRE ATT&CK T1550.001 Use Alternate Authentication Material: Application Access Token', url: 'https://attack.mitre.org/techniques/T1550/001/' },
    ],
    state: 'baseline',
  },
  settings: z.object({
    learningEvents: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe('Events with a principal per server that only learn combinations before alerts start (0: alert from the first event).'),
    retentionDays: z.number().int().min(1).default(90).describe('A combination not seen for this many days is new again.'),
    maxCombinationsPerPrincipal: z
      .number()
      .int()
      .min(4)
      .max(256)
      .default(64)
      .describe('Combinations remembered per principal and server (least recently seen forgotten first).'),
    ipv4Prefix: z.number().int().min(8).max(32).default(24).describe('IPv4 prefix length of a source network.'),
    ipv6Prefix: z.number().int().min(16).max(128).default(48).describe('IPv6 prefix length of a source network.'),
  }),
  // Served requests only: auth decisions are logged before the client is known (no client name), and
  // would double every combination.
  events: ['mcp.call', 'mcp.session'],
  prepare(s) {
    return { networks: new NetworkMemo(s.ipv4Prefix, s.ipv6Prefix) };
  },
  evaluate(ev, ctx) {
    const e = ev.event;
    // Session teardown follows the session's initialize, which was the sighting.
    if (e.rpc?.method === 'DELETE' && e.event === 'mcp.session') return;
    const clientName = e.client?.name;
    // Without the client's name the combination is unknown, not a new "(none)" client: the HTTP
    // layer writes such records (transport errors, teardown) for sessions whose calls name it.
    if (clientName === undefined && !NAMELESS_FORMATS.has(ev.origin.format)) return;
    const principal = principalId(e);
    if (principal === undefined) return;
    // Identity claims of a rejected token are not a principal that got in.
    if (e.auth?.outcome === 'failure' || e.http?.status === 401) return;
    const s = ctx.settings;
    const t = ev.ts;
    const day = Math.floor(t / DAY_MS);
    const serverName = e.server?.name ?? 'unknown';
    const retentionMs = s.retentionDays * DAY_MS;

    let learning = false;
    if (s.learningEvents > 0) {
      const progress = ctx.state.record(learningKeys.key(serverName), { ttlMs: retentionMs, maxFields: 4 });
      const seen = progress.get<number>(LEARNED) ?? 0;
      if (seen < s.learningEvents) {
        progress.set(LEARNED, seen + 1, t);
        learning = true;
      } else if (progress.get<number>(LEARNED_DAY) !== day) {
        // Keep the finished learning alive (once a day), or it would expire and start over.
        progress.set(LEARNED_DAY, day, t);
      }
    }

    const client = clientName !== undefined ? keyPart(clientName) : NONE;
    const ip = clientIp(e);
    const network = (ip === undefined || ip.length > MAX_IP_LENGTH ? undefined : ctx.prepared.networks.of(ip)) ?? NONE;
    const history = ctx.state.record(principalKeys.key(serverName, principal), {
      ttlMs: retentionMs,
      maxFields: s.maxCombinationsPerPrincipal,
    });
    const field = fieldMemo.key(client, network);
    const lastDay = history.get<number>(field);
    const known = typeof lastDay === 'number' && day - lastDay <= s.retentionDays;
    if (known) {
      // One write per combination per day keeps it from expiring while in use.
      if (lastDay < day) history.set(field, day, t);
      return;
    }
    const newPrincipal = history.size === 0;
    if (lastDay === undefined && history.size >= s.maxCombinationsPerPrincipal) evictOldest(history, t);
    history.set(field, day, t);
    if (learning) return;
    const principalPart = keyPart(principal);
    ctx.report({
      ...findingContext(e),
      severity: 'low',
      title: `${newPrincipal ? 'New principal' : 'New client or network for'} ${principalPart} on ${e.server?.name ?? 'unknown'}: client ${client} from ${network}`,
      subject: `principal=${principalPart} client=${client} net=${network}`,
      ts: t,
      evidence: {
        principal: principalPart,
        client,
        network,
        newPrincipal,
        knownCombinations: history.size - 1,
      },
    });
  },
});
