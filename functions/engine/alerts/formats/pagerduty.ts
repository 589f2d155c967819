/**
 * An alert as a PagerDuty Events API v2 event: `trigger` for new and updated incidents (the same
 * `dedup_key`, our fingerprint, folds repeats into one PagerDuty incident) and `resolve` when the
 * incident resolved. The routing key is added by the forwarder, never here.
 */
import type { Alert } from '../alert.js';
import type { Severity } from '../severity.js';
import { clip, eventTime, sanitizeAlert, utf8Bytes } from './bounded.js';

export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

export const PAGERDUTY_SEVERITY: Readonly<Record<Severity, PagerDutySeverity>> = {
  critical: 'critical',
  high: 'error',
  medium: 'warning',
  low: 'info',
  info: 'info',
};

/** PagerDuty accepts up to 512 KB per event; we stay far below. */
export const PAGERDUTY_MAX_BYTES = 64 * 1024;

export type PagerDutyEvent =
  | {
      readonly event_action: 'trigger';
      readonly dedup_key: string;
      readonly payload: {
        readonly summary: string;
        readonly source: string;
        readonly severity: PagerDutySeverity;
        readonly timestamp: string;
        readonly component: string;
        readonly group: string;
        readonly class: string;
        readonly custom_details: Readonly<Record<string, unknown>>;
      };
      readonly client: string;
      readonly links?: readonly { readonly href: string; readonly text: string }[];
    }
  | { readonly event_action: 'resolve'; readonly dedup_key: string };

export function toPagerDutyEvent(raw: Alert): PagerDutyEvent {
  const alert = sanitizeAlert(raw, 4096);
  const dedupKey = alert.fingerprint;
  if (alert.status === 'resolved') return { event_action: 'resolve', dedup_key: dedupKey };
  const details: Record<string, unknown> = {
    detector: alert.detector,
    category: alert.category,
    status: alert.status ?? 'new',
    description: alert.description,
    runbook: alert.runbook,
    count: alert.count,
    firstSeen: alert.firstSeen,
    lastSeen: alert.lastSeen,
    server: alert.server,
    ...(alert.principal !== undefined ? { principal: alert.principal } : {}),
    ...(alert.clientIp !== undefined ? { clientIp: alert.clientIp } : {}),
    ...(alert.tool !== undefined ? { tool: alert.tool } : {}),
    ...(alert.session !== undefined ? { session: alert.session } : {}),
    ...(alert.source?.logGroup !== undefined ? { logGroup: alert.source.logGroup } : {}),
    ...(alert.account !== undefined ? { account: alert.account } : {}),
    ...(alert.region !== undefined ? { region: alert.region } : {}),
    evidence: alert.evidence,
  };
  const event: PagerDutyEvent = {
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: {
      summary: clip(`[${alert.severity.toUpperCase()}] ${alert.detector} on ${alert.server}: ${alert.title}`, 1024),
      source: clip(alert.source?.logGroup ?? `mcp-server/${alert.server}`, 255),
      severity: PAGERDUTY_SEVERITY[alert.severity],
      timestamp: eventTime(alert),
      component: clip(alert.server, 255),
      group: alert.category,
      class: alert.detector,
      custom_details: details,
    },
    client: 'MCP Watchtower',
    links: alert.references.filter((r) => r.url !== undefined).slice(0, 5).map((r) => ({ href: r.url as string, text: clip(`${r.id} ${r.title}`, 255) })),
  };
  if (utf8Bytes(event) <= PAGERDUTY_MAX_BYTES) return event;
  return { ...event, payload: { ...event.payload, custom_details: { ...details, evidence: { truncated: 'evidence too large' } } } };
}
