/**
 * An alert as an OCSF Detection Finding (class 2004, category 2 Findings), schema version
 * OCSF_VERSION: activity Create (new), Update (updated), Close (resolved); `finding_info.uid` is the
 * fingerprint, so every event of one incident is the same finding. This is the shape Amazon
 * Security Lake custom sources and OCSF-reading SIEMs take.
 */
import type { Alert, AlertStatus } from '../alert.js';
import type { Severity } from '../severity.js';
import { clip, epochMs, eventTime, logGroupArn, partitionOf, sanitizeAlert, utf8Bytes } from './bounded.js';
import { asffType } from './finding-types.js';

export const OCSF_VERSION = '1.3.0';
export const DETECTION_FINDING_CLASS_UID = 2004;
export const FINDINGS_CATEGORY_UID = 2;
/** Our own bound per finding (Security Lake and most SIEMs take far more; a line must stay small). */
export const OCSF_MAX_BYTES = 64 * 1024;

const ACTIVITY: Readonly<Record<AlertStatus, { readonly id: 1 | 2 | 3; readonly name: 'Create' | 'Update' | 'Close' }>> = {
  new: { id: 1, name: 'Create' },
  updated: { id: 2, name: 'Update' },
  resolved: { id: 3, name: 'Close' },
};

/** OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical. */
export const OCSF_SEVERITY: Readonly<Record<Severity, { readonly id: 1 | 2 | 3 | 4 | 5; readonly name: string }>> = {
  info: { id: 1, name: 'Informational' },
  low: { id: 2, name: 'Low' },
  medium: { id: 3, name: 'Medium' },
  high: { id: 4, name: 'High' },
  critical: { id: 5, name: 'Critical' },
};

export interface OcsfOptions {
  readonly account?: string;
  readonly region?: string;
  /** Product version in metadata.product. @default '0.1.0' */
  readonly productVersion?: string;
}

export type OcsfDetectionFinding = Record<string, unknown> & {
  readonly class_uid: 2004;
  readonly category_uid: 2;
  readonly activity_id: 1 | 2 | 3;
  readonly type_uid: number;
  readonly severity_id: number;
  readonly time: number;
  readonly finding_info: Record<string, unknown> & { readonly uid: string; readonly title: string };
  readonly metadata: Record<string, unknown> & { readonly version: string; readonly product: Record<string, unknown> };
};

export function toOcsf(raw: Alert, options: OcsfOptions = {}): OcsfDetectionFinding {
  const alert = sanitizeAlert(raw);
  const status = alert.status ?? 'new';
  const activity = ACTIVITY[status];
  const severity = OCSF_SEVERITY[alert.severity];
  const account = alert.account ?? options.account;
  const region = alert.region ?? options.region;
  const firstSeen = epochMs(alert.firstSeen);
  const lastSeen = epochMs(alert.lastSeen);
  const logGroup = logGroupArn(alert, account, region);
  const resources: Record<string, unknown>[] = [
    { uid: clip(`mcp-server/${alert.server}`, 512), name: clip(alert.server, 256), type: 'MCP Server', ...(region !== undefined ? { region } : {}) },
  ];
  if (logGroup !== undefined) resources.push({ uid: logGroup, name: alert.source?.logGroup, type: 'AWS::Logs::LogGroup', region, cloud_partition: partitionOf(region as string) });
  const changed = alert.evidence.resource;
  if (typeof changed === 'string' && changed.startsWith('arn:')) resources.push({ uid: clip(changed, 512), type: 'AWS Resource' });
  const actor: Record<string, unknown> = {};
  if (alert.principal !== undefined) actor.user = { name: alert.principal, uid: alert.principal };
  if (alert.session !== undefined) actor.session = { uid: alert.session };
  const evidence: Record<string, unknown> = { data: alert.evidence };
  if (alert.clientIp !== undefined) evidence.src_endpoint = { ip: alert.clientIp };
  if (alert.tool !== undefined) evidence.api = { operation: 'tools/call', request: { uid: clip(alert.tool, 256) } };
  if (Object.keys(actor).length > 0) evidence.actor = actor;
  const build = (withEvidence: boolean): OcsfDetectionFinding => ({
    class_uid: DETECTION_FINDING_CLASS_UID,
    class_name: 'Detection Finding',
    category_uid: FINDINGS_CATEGORY_UID,
    category_name: 'Findings',
    activity_id: activity.id,
    activity_name: activity.name,
    type_uid: DETECTION_FINDING_CLASS_UID * 100 + activity.id,
    type_name: `Detection Finding: ${activity.name}`,
    severity_id: severity.id,
    severity: severity.name,
    status_id: status === 'resolved' ? 4 : status === 'updated' ? 2 : 1,
    status: status === 'resolved' ? 'Resolved' : status === 'updated' ? 'In Progress' : 'New',
    time: epochMs(eventTime(alert)),
    start_time: firstSeen,
    end_time: lastSeen,
    count: alert.count,
    message: clip(alert.title, 1024),
    finding_info: {
      uid: alert.fingerprint,
      title: clip(`${alert.detector} on ${alert.server}: ${alert.title}`, 512),
      desc: clip(alert.description, 2048),
      types: [asffType(alert.detector, alert.category), alert.category],
      analytic: { uid: alert.detector, name: alert.detector, type_id: 1, type: 'Rule', category: alert.category },
      first_seen_time: firstSeen,
      last_seen_time: lastSeen,
      created_time: firstSeen,
      modified_time: epochMs(eventTime(alert)),
      ...(alert.source?.format !== undefined ? { data_sources: [alert.source.format] } : {}),
    },
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'MCP Watchtower', vendor_name: 'mcp-watchtower', version: options.productVersion ?? '0.1.0' },
      uid: `${alert.fingerprint}:${activity.id}:${epochMs(eventTime(alert))}`,
      log_name: 'mcp-watchtower',
    },
    resources,
    ...(Object.keys(actor).length > 0 ? { actor } : {}),
    evidences: [withEvidence ? evidence : { ...evidence, data: { truncated: 'evidence too large' } }],
    remediation: {
      desc: clip(alert.runbook, 2048),
      references: alert.references.filter((r) => r.url !== undefined).map((r) => r.url as string).slice(0, 10),
    },
    ...(account !== undefined ? { cloud: { provider: 'AWS', account: { uid: account }, ...(region !== undefined ? { region } : {}) } } : {}),
    unmapped: { server: alert.server, ...(alert.tool !== undefined ? { tool: alert.tool } : {}), ...(alert.resolvedAt !== undefined ? { resolved_at: alert.resolvedAt } : {}) },
  });
  const finding = build(true);
  return utf8Bytes(finding) <= OCSF_MAX_BYTES ? finding : build(false);
}
