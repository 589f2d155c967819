/**
 * From findings to alerts: suppression, shadow mode, severity override, folding a batch's repeats
 * of one incident, dedup across batches (state), escalation, and the per-detector storm cap.
 * Runs inside the batch transaction, so dedup holds across invocations and concurrent Lambdas.
 */
import type { CompiledDetector, Engine } from '../compile.js';
import type { Finding } from '../detectors/detector.js';
import type { EngineEvent } from '../events/engine-event.js';
import type { StateView } from '../state/view.js';
import type { Alert, AlertRepeat } from './alert.js';
import { alertFingerprint } from './fingerprint.js';
import { redactEvidence, redactText } from './redact.js';
import { maxSeverity, severityRank, type Severity } from './severity.js';

export interface RawFinding {
  readonly compiled: CompiledDetector;
  readonly finding: Finding;
  readonly origin?: EngineEvent['origin'];
}

export interface AlertStageResult {
  readonly alerts: Alert[];
  readonly repeats: AlertRepeat[];
  readonly suppressed: number;
  readonly shadow: Record<string, number>;
  readonly stormSuppressed: number;
}

interface Group {
  readonly compiled: CompiledDetector;
  readonly fingerprint: string;
  readonly server: string;
  representative: Finding;
  origin: EngineEvent['origin'] | undefined;
  severity: Severity;
  count: number;
  firstTs: number;
  lastTs: number;
}

interface DedupFacts {
  first?: number;
  last?: number;
  count?: number;
  emittedAt?: number;
  rank?: number;
}

const HOUR_MS = 3600_000;
/** Detector metadata can come from user rules: it goes through the same sink-safe redaction. */
const META_TEXT_MAX = 8192;
const DAY_MS = 24 * HOUR_MS;

export function alertStateKey(fingerprint: string): string {
  return `alert|${fingerprint}`;
}

function iso(ts: number): string {
  return new Date(ts).toISOString();
}

export function runAlertStage(engine: Engine, findings: readonly RawFinding[], view: StateView): AlertStageResult {
  const groups = new Map<string, Group>();
  const shadow: Record<string, number> = {};
  let suppressed = 0;
  for (const { compiled, finding, origin } of findings) {
    const meta = compiled.detector.meta;
    if (engine.suppressor.reason(meta, finding) !== undefined) {
      suppressed++;
      continue;
    }
    if (compiled.shadow) {
      shadow[meta.id] = (shadow[meta.id] ?? 0) + 1;
      continue;
    }
    const severity = compiled.settings.severity ?? finding.severity;
    const server = finding.server ?? 'unknown';
    const fingerprint = alertFingerprint(meta.id, server, finding.subject);
    const group = groups.get(fingerprint);
    if (!group) {
      groups.set(fingerprint, {
        compiled, fingerprint, server, representative: finding, origin, severity,
        count: 1, firstTs: finding.ts, lastTs: finding.ts,
      });
      continue;
    }
    group.count++;
    group.firstTs = Math.min(group.firstTs, finding.ts);
    group.lastTs = Math.max(group.lastTs, finding.ts);
    if (severityRank(severity) > severityRank(group.severity)) {
      group.severity = severity;
      group.representative = finding;
      group.origin = origin;
    }
  }

  const alerts: Alert[] = [];
  const repeats: AlertRepeat[] = [];
  let stormSuppressed = 0;
  const { dedupSeconds, stormCap, evidenceMaxBytes } = engine.config.alerts;
  for (const group of groups.values()) {
    const meta = group.compiled.detector.meta;
    const dedupMs = (group.compiled.settings.dedupSeconds ?? dedupSeconds) * 1000;
    const ttlMs = Math.max(2 * dedupMs, DAY_MS);
    const record = view.record(alertStateKey(group.fingerprint), { ttlMs, maxFields: 8 });
    const facts: DedupFacts = {
      first: record.get<number>('first'),
      last: record.get<number>('last'),
      count: record.get<number>('count'),
      emittedAt: record.get<number>('emittedAt'),
      rank: record.get<number>('rank'),
    };
    const rank = severityRank(group.severity);
    const first = Math.min(facts.first ?? group.firstTs, group.firstTs);
    const last = Math.max(facts.last ?? group.lastTs, group.lastTs);
    const inWindow = facts.emittedAt !== undefined && group.firstTs - facts.emittedAt < dedupMs && group.firstTs >= facts.emittedAt - dedupMs;
    const repeat = inWindow && rank <= (facts.rank ?? 0);
    const storm = repeat ? undefined : view.counter(`storm|${meta.id}`, { windowMs: HOUR_MS, bucketMs: 60_000 });
    const stormed = storm !== undefined && storm.total(group.firstTs) >= stormCap;
    // A repeat (or a finding folded into a storm) changes no future alert unless it moves `first`
    // (a later alert's firstSeen) or the record nears its expiry: leave the record alone otherwise,
    // so a remote store does not rewrite it for every batch the incident recurs in (`count` and
    // `last` are bookkeeping no alert reads).
    if (!(repeat || stormed) || first !== facts.first || record.expiresAt < group.lastTs + ttlMs / 2) {
      record.set('first', first, group.lastTs);
      record.set('last', last, group.lastTs);
      record.set('count', (facts.count ?? 0) + group.count, group.lastTs);
    }
    if (repeat) {
      repeats.push({ fingerprint: group.fingerprint, detector: meta.id, count: group.count, lastSeen: iso(group.lastTs) });
      continue;
    }
    if (stormed || storm === undefined) {
      stormSuppressed += group.count;
      emitStormSummary(group, view, alerts, repeats, stormCap);
      continue;
    }
    storm.add(group.firstTs);
    record.set('emittedAt', group.firstTs, group.lastTs);
    record.set('rank', rank, group.lastTs);
    alerts.push(buildAlert(group, first, evidenceMaxBytes));
  }
  return { alerts, repeats, suppressed, shadow, stormSuppressed };
}

function buildAlert(group: Group, firstSeen: number, evidenceMaxBytes: number): Alert {
  const meta = group.compiled.detector.meta;
  const f = group.representative;
  const source = group.origin
    ? {
        format: group.origin.format,
        ...(group.origin.logGroup !== undefined ? { logGroup: redactText(group.origin.logGroup, 512) } : {}),
        ...(group.origin.logStream !== undefined ? { logStream: redactText(group.origin.logStream, 512) } : {}),
      }
    : undefined;
  return {
    detector: meta.id,
    category: meta.category,
    severity: group.severity,
    title: redactText(f.title, 200),
    description: redactText(meta.detects, META_TEXT_MAX),
    fingerprint: group.fingerprint,
    time: iso(group.firstTs),
    firstSeen: iso(firstSeen),
    lastSeen: iso(group.lastTs),
    count: group.count,
    server: redactText(group.server, 128),
    ...(f.session !== undefined ? { session: redactText(f.session, 128) } : {}),
    ...(f.principal !== undefined ? { principal: redactText(f.principal, 128) } : {}),
    ...(f.clientIp !== undefined ? { clientIp: redactText(f.clientIp, 64) } : {}),
    ...(f.tool !== undefined ? { tool: redactText(f.tool, 128) } : {}),
    evidence: redactEvidence(f.evidence, evidenceMaxBytes),
    references: meta.references,
    runbook: redactText(meta.runbook, META_TEXT_MAX),
    ...(source ? { source } : {}),
  };
}

function emitStormSummary(
  group: Group,
  view: StateView,
  alerts: Alert[],
  repeats: AlertRepeat[],
  stormCap: number,
): void {
  const meta = group.compiled.detector.meta;
  const hour = Math.floor(group.firstTs / HOUR_MS);
  const fingerprint = alertFingerprint(meta.id, '*', `storm:${hour}`);
  const record = view.record(alertStateKey(fingerprint), { ttlMs: DAY_MS, maxFields: 8 });
  const suppressedSoFar = (record.get<number>('count') ?? 0) + group.count;
  record.set('count', suppressedSoFar, group.lastTs);
  const lastSeen = new Date(group.lastTs).toISOString();
  if (record.get<number>('emittedAt') !== undefined) {
    repeats.push({ fingerprint, detector: meta.id, count: group.count, lastSeen });
    return;
  }
  record.set('emittedAt', group.firstTs, group.lastTs);
  const severity = maxSeverity(group.severity, 'medium');
  alerts.push({
    detector: meta.id,
    category: meta.category,
    severity,
    title: `Alert storm: ${meta.id} raised more than ${stormCap} alerts this hour; further ones are folded into this alert`,
    description: meta.detects,
    fingerprint,
    time: new Date(group.firstTs).toISOString(),
    firstSeen: new Date(group.firstTs).toISOString(),
    lastSeen,
    count: group.count,
    server: '*',
    evidence: { stormCap, hourStarting: new Date(hour * HOUR_MS).toISOString(), example: redactText(group.representative.title, 200) },
    references: meta.references,
    runbook: `Alert storm: look at the dashboard for ${meta.id}; one cause (a scanner, a misconfigured client) usually explains most. ${meta.runbook}`,
  });
}
