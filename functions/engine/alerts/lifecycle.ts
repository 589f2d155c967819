/**
 * Alert lifecycle: every incident (one fingerprint) is `new` when first raised, `updated` when it
 * escalates or folds repeats while open, and `resolved` once its condition has been quiet for its
 * dedup window. Destinations speak it in their own terms (ASFF UpdatedAt / RecordState, OCSF
 * activity Create/Update/Close, PagerDuty trigger/resolve, a chat thread per fingerprint).
 *
 * Runs after the alert stage inside the batch transaction and keeps its own state through the
 * StateView only:
 *
 *   incident|<fp>        open, openedAt, lastSeen, count, dedupMs (small: written per repeat)
 *   incident|<fp>|alert  the last published alert of the incident (written when it is raised or
 *                        escalates; read to render updates and resolutions with full content)
 *   incidents|open       fingerprint → earliest time it may resolve (the resolve index, bounded)
 *
 * Resolution is checked at batch time (the batch's latest event time) and on the scheduled tick
 * (the handler's clock), so an incident resolves even when its server goes quiet.
 *
 * Which detectors resolve (documented rule): those whose condition is a rate, a threshold or an
 * anomaly over a window or baseline (metadata `state` of `window`, `baseline`, `window+baseline`,
 * `baseline (scheduled)`): when the window has been quiet for the dedup period the condition has
 * cleared. One-shot content detections (`none`: an injection or a leaked secret happened and stays
 * happened), registries (`registry`: a poisoned or drifted tool stays so until its definition
 * changes) and session facts (`session`) never resolve on silence; nor do storm summaries.
 */
import type { Engine } from '../compile.js';
import type { DetectorMeta } from '../detectors/detector.js';
import type { StateView } from '../state/view.js';
import type { Alert, AlertRepeat, AlertStatus } from './alert.js';

/** Account and region stamped on every alert (the handler's Lambda context, the CLI's flags). */
export interface AlertOrigin {
  readonly account?: string;
  readonly region?: string;
}

export interface LifecycleResult {
  /** The alert stage's alerts, with `status` (`new`, or `updated` for an escalation) and origin. */
  readonly alerts: Alert[];
  /** Updates of open incidents by folded repeats, and resolutions, as full alerts. */
  readonly events: Alert[];
}

const RESOLVABLE_STATE: ReadonlySet<DetectorMeta['state']> = new Set(['window', 'baseline', 'window+baseline', 'baseline (scheduled)']);
/** Open incidents tracked for resolution; past it new incidents still alert but never resolve. */
export const MAX_OPEN_INCIDENTS = 256;
const DAY_MS = 24 * 3600_000;
const INDEX_TTL_MS = 30 * DAY_MS;
export const OPEN_INDEX_KEY = 'incidents|open';

export function incidentKey(fingerprint: string): string {
  return `incident|${fingerprint}`;
}

function snapshotKey(fingerprint: string): string {
  return `incident|${fingerprint}|alert`;
}

/** Whether an incident of this detector can resolve on silence (the rule above). */
export function isResolvable(meta: Pick<DetectorMeta, 'state'>): boolean {
  return RESOLVABLE_STATE.has(meta.state);
}

interface DetectorFacts {
  readonly resolvable: boolean;
  readonly dedupMs: number;
}

function ms(iso: string): number {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : 0;
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

/** The alert with account and region, when given (no lifecycle tracking). */
export function stampOrigin(alert: Alert, origin: AlertOrigin = {}): Alert {
  if (origin.account === undefined && origin.region === undefined) return alert;
  return { ...alert, ...(origin.account !== undefined ? { account: origin.account } : {}), ...(origin.region !== undefined ? { region: origin.region } : {}) };
}

export function runLifecycle(
  engine: Engine,
  stage: { readonly alerts: readonly Alert[]; readonly repeats: readonly AlertRepeat[] },
  view: StateView,
  now: number,
  origin: AlertOrigin = {},
): LifecycleResult {
  const facts = new Map<string, DetectorFacts>();
  const defaultDedupMs = engine.config.alerts.dedupSeconds * 1000;
  for (const c of engine.detectors) {
    facts.set(c.detector.meta.id, {
      resolvable: isResolvable(c.detector.meta),
      dedupMs: (c.settings.dedupSeconds ?? engine.config.alerts.dedupSeconds) * 1000,
    });
  }
  const factsOf = (alert: Pick<Alert, 'detector' | 'server'>): DetectorFacts => {
    const f = facts.get(alert.detector);
    // Storm summaries (server '*') and detectors this engine does not know never resolve.
    if (f === undefined || alert.server === '*') return { resolvable: false, dedupMs: f?.dedupMs ?? defaultDedupMs };
    return f;
  };
  const stamp = (alert: Alert, status: AlertStatus, extra: Partial<Alert> = {}): Alert => ({
    ...alert,
    ...extra,
    status,
    ...(origin.account !== undefined ? { account: origin.account } : {}),
    ...(origin.region !== undefined ? { region: origin.region } : {}),
  });

  const index = view.record(OPEN_INDEX_KEY, { ttlMs: INDEX_TTL_MS, maxFields: MAX_OPEN_INCIDENTS });
  const alerts: Alert[] = [];
  const events: Alert[] = [];
  const touchedNow = new Set<string>();

  for (const alert of stage.alerts) {
    const { resolvable, dedupMs } = factsOf(alert);
    const ttlMs = Math.max(2 * dedupMs, DAY_MS);
    const incident = view.record(incidentKey(alert.fingerprint), { ttlMs, maxFields: 8 });
    const t = ms(alert.lastSeen);
    const lastSeen = incident.get<number>('lastSeen');
    const open = incident.get<number>('open') === 1 && lastSeen !== undefined && ms(alert.time) - lastSeen < dedupMs;
    const count = (open ? (incident.get<number>('count') ?? 0) : 0) + alert.count;
    const seen = Math.max(t, open ? (lastSeen ?? t) : t);
    const stamped = stamp(alert, open ? 'updated' : 'new', { count, lastSeen: iso(seen) });
    incident.set('open', 1, t);
    if (!open) incident.set('openedAt', ms(alert.firstSeen), t);
    incident.set('lastSeen', seen, t);
    incident.set('count', count, t);
    incident.set('dedupMs', dedupMs, t);
    view.record(snapshotKey(alert.fingerprint), { ttlMs, maxFields: 2 }).set('a', stamped, t);
    if (resolvable) index.set(alert.fingerprint, seen + dedupMs, t);
    touchedNow.add(alert.fingerprint);
    alerts.push(stamped);
  }

  for (const repeat of stage.repeats) {
    if (touchedNow.has(repeat.fingerprint)) continue;
    const { dedupMs } = factsOf({ detector: repeat.detector, server: '' });
    const ttlMs = Math.max(2 * dedupMs, DAY_MS);
    const incident = view.record(incidentKey(repeat.fingerprint), { ttlMs, maxFields: 8 });
    const snapshot = view.record(snapshotKey(repeat.fingerprint), { ttlMs, maxFields: 2 }).get<Alert>('a');
    if (incident.get<number>('open') !== 1 || snapshot === undefined) continue;
    const t = ms(repeat.lastSeen);
    const seen = Math.max(incident.get<number>('lastSeen') ?? t, t);
    const count = (incident.get<number>('count') ?? 0) + repeat.count;
    incident.set('lastSeen', seen, t);
    incident.set('count', count, t);
    // The snapshot is not rewritten (it is the large item); the update carries count and lastSeen.
    events.push(stamp(snapshot, 'updated', { count, lastSeen: iso(seen) }));
    touchedNow.add(repeat.fingerprint);
  }

  for (const fingerprint of index.fieldNames()) {
    const checkAt = index.get<number>(fingerprint);
    if (typeof checkAt !== 'number' || checkAt > now || touchedNow.has(fingerprint)) continue;
    const incident = view.record(incidentKey(fingerprint), { ttlMs: DAY_MS, maxFields: 8 });
    const snapshot = view.record(snapshotKey(fingerprint), { ttlMs: DAY_MS, maxFields: 2 }).get<Alert>('a');
    const lastSeen = incident.get<number>('lastSeen');
    const dedupMs = incident.get<number>('dedupMs');
    if (incident.get<number>('open') !== 1 || lastSeen === undefined || dedupMs === undefined || snapshot === undefined) {
      // Expired or already closed: nothing to resolve any more.
      index.delete(fingerprint, now);
      continue;
    }
    if (lastSeen + dedupMs > now) {
      index.set(fingerprint, lastSeen + dedupMs, now);
      continue;
    }
    incident.set('open', 0, now);
    index.delete(fingerprint, now);
    events.push(stamp(snapshot, 'resolved', { count: incident.get<number>('count') ?? snapshot.count, lastSeen: iso(lastSeen), resolvedAt: iso(now) }));
  }
  return { alerts, events };
}
