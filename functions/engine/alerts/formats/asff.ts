/**
 * An alert as an AWS Security Finding Format (ASFF) finding for Security Hub's
 * `BatchImportFindings` with the account's default product
 * (`arn:aws:securityhub:<region>:<account>:product/<account>/default`).
 *
 * - `Id` is stable per fingerprint, so a repeat or an escalation updates the same finding (a newer
 *   `UpdatedAt`) and a resolution archives it (`RecordState: ARCHIVED`).
 * - Severity and Types also go in `FindingProviderFields`: after creation Security Hub takes a
 *   provider's changes to them only from there.
 * - Workflow, Note, UserDefinedFields, VerificationState and Compliance belong to the customer and
 *   are never set.
 * - At most 240 KB: evidence is cut first, then the resource details.
 */
import type { Alert } from '../alert.js';
import type { Severity } from '../severity.js';
import { clip, eventTime, logGroupArn, partitionOf, sanitizeAlert, utf8Bytes } from './bounded.js';
import { asffType } from './finding-types.js';

export const ASFF_SCHEMA_VERSION = '2018-10-08';
/** Security Hub rejects findings over 240 KB. */
export const ASFF_MAX_BYTES = 240 * 1024;
const PRODUCT_FIELD_MAX = 2048;
const EVIDENCE_FIELD_BUDGETS = [PRODUCT_FIELD_MAX, 512, 0];

export type AsffSeverityLabel = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

/** Label and the Normalized value in the middle-to-top of the label's documented range. */
export const ASFF_SEVERITY: Readonly<Record<Severity, { readonly Label: AsffSeverityLabel; readonly Normalized: number }>> = {
  info: { Label: 'INFORMATIONAL', Normalized: 0 },
  low: { Label: 'LOW', Normalized: 30 },
  medium: { Label: 'MEDIUM', Normalized: 50 },
  high: { Label: 'HIGH', Normalized: 80 },
  critical: { Label: 'CRITICAL', Normalized: 95 },
};

export interface AsffResource {
  readonly Type: string;
  readonly Id: string;
  readonly Partition?: string;
  readonly Region?: string;
  readonly Details?: { readonly Other?: Readonly<Record<string, string>> };
}

/** The subset of ASFF this project writes (field names and shapes as Security Hub defines them). */
export interface AsffFinding {
  readonly SchemaVersion: string;
  readonly Id: string;
  readonly ProductArn: string;
  readonly GeneratorId: string;
  readonly AwsAccountId: string;
  readonly Types: readonly string[];
  readonly CreatedAt: string;
  readonly UpdatedAt: string;
  readonly FirstObservedAt: string;
  readonly LastObservedAt: string;
  readonly Severity: { readonly Label: AsffSeverityLabel; readonly Normalized: number; readonly Original: string };
  readonly Title: string;
  readonly Description: string;
  readonly Resources: readonly AsffResource[];
  readonly RecordState: 'ACTIVE' | 'ARCHIVED';
  readonly ProductName: string;
  readonly CompanyName: string;
  readonly Region: string;
  readonly Remediation?: { readonly Recommendation: { readonly Text: string; readonly Url?: string } };
  readonly ProductFields: Readonly<Record<string, string>>;
  readonly FindingProviderFields: {
    readonly Severity: { readonly Label: AsffSeverityLabel; readonly Original: string };
    readonly Types: readonly string[];
  };
}

export interface AsffOptions {
  /** Fallbacks when the alert does not carry them. */
  readonly account?: string;
  readonly region?: string;
}

export class AsffTargetError extends Error {
  override readonly name = 'AsffTargetError';
}

export function defaultProductArn(account: string, region: string): string {
  return `arn:${partitionOf(region)}:securityhub:${region}:${account}:product/${account}/default`;
}

/** Stable per incident: the same fingerprint is always the same Security Hub finding. */
export function asffFindingId(fingerprint: string): string {
  return `mcp-watchtower/${fingerprint}`;
}

function awsResource(arn: string): AsffResource | undefined {
  const m = /^arn:([a-z-]+):([a-z0-9-]+):([a-z0-9-]*):(\d{12})?:(.+)$/.exec(arn);
  if (!m) return undefined;
  const [, partition, service, region, , rest] = m as unknown as [string, string, string, string, string, string];
  const type =
    service === 'lambda' && rest.startsWith('function:') ? 'AwsLambdaFunction'
    : service === 'iam' && rest.startsWith('role/') ? 'AwsIamRole'
    : service === 'ecs' && rest.startsWith('service/') ? 'AwsEcsService'
    : service === 'ecs' && rest.startsWith('task-definition/') ? 'AwsEcsTaskDefinition'
    : service === 'ssm' && rest.startsWith('parameter/') ? 'AwsSsmParameter'
    : 'Other';
  return { Type: type, Id: clip(arn, 512), Partition: partition, ...(region !== '' ? { Region: region } : {}) };
}

function serverDetails(alert: Alert): Record<string, string> {
  const out: Record<string, string> = { server: clip(alert.server, 1024) };
  if (alert.tool !== undefined) out.tool = clip(alert.tool, 1024);
  if (alert.session !== undefined) out.session = clip(alert.session, 1024);
  if (alert.principal !== undefined) out.principal = clip(alert.principal, 1024);
  if (alert.clientIp !== undefined) out.clientIp = clip(alert.clientIp, 1024);
  return out;
}

function resources(alert: Alert, account: string, region: string, withDetails: boolean): AsffResource[] {
  const partition = partitionOf(region);
  const out: AsffResource[] = [
    {
      Type: 'Other',
      Id: clip(`mcp-server/${alert.server}`, 512),
      Partition: partition,
      Region: region,
      ...(withDetails ? { Details: { Other: serverDetails(alert) } } : {}),
    },
  ];
  const logGroup = logGroupArn(alert, account, region);
  if (logGroup !== undefined) out.push({ Type: 'Other', Id: clip(logGroup, 512), Partition: partition, Region: region });
  const changed = alert.evidence.resource;
  if (typeof changed === 'string' && changed.startsWith('arn:')) {
    const resource = awsResource(changed);
    if (resource !== undefined) out.push(resource);
  }
  return out;
}

function productFields(alert: Alert, evidenceBudget: number): Record<string, string> {
  const fields: Record<string, string> = {
    'mcp-watchtower/detector': alert.detector,
    'mcp-watchtower/category': alert.category,
    'mcp-watchtower/fingerprint': alert.fingerprint,
    'mcp-watchtower/status': alert.status ?? 'new',
    'mcp-watchtower/count': String(alert.count),
    'mcp-watchtower/server': clip(alert.server, PRODUCT_FIELD_MAX),
  };
  if (alert.source?.logStream !== undefined) fields['mcp-watchtower/logStream'] = clip(alert.source.logStream, PRODUCT_FIELD_MAX);
  if (alert.resolvedAt !== undefined) fields['mcp-watchtower/resolvedAt'] = alert.resolvedAt;
  if (evidenceBudget > 0) fields['mcp-watchtower/evidence'] = clip(JSON.stringify(alert.evidence), evidenceBudget);
  alert.references.slice(0, 5).forEach((r, i) => {
    fields[`mcp-watchtower/reference/${i}`] = clip(`${r.id} ${r.title}${r.url !== undefined ? ` ${r.url}` : ''}`, PRODUCT_FIELD_MAX);
  });
  return fields;
}

/** Throws AsffTargetError when neither the alert nor the options give account and region. */
export function toAsff(raw: Alert, options: AsffOptions = {}): AsffFinding {
  const account = raw.account ?? options.account;
  const region = raw.region ?? options.region;
  if (account === undefined || !/^\d{12}$/.test(account)) throw new AsffTargetError('ASFF needs a 12-digit AWS account id (--aws-account-id)');
  if (region === undefined || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new AsffTargetError('ASFF needs an AWS region like us-east-1 (--aws-region)');
  const alert = sanitizeAlert(raw);
  const severity = ASFF_SEVERITY[alert.severity];
  const types = [asffType(alert.detector, alert.category)];
  const reference = alert.references.find((r) => r.url !== undefined);
  for (const [i, evidenceBudget] of EVIDENCE_FIELD_BUDGETS.entries()) {
    const finding: AsffFinding = {
      SchemaVersion: ASFF_SCHEMA_VERSION,
      Id: asffFindingId(alert.fingerprint),
      ProductArn: defaultProductArn(account, region),
      GeneratorId: clip(`mcp-watchtower/${alert.detector}`, 512),
      AwsAccountId: account,
      Types: types,
      CreatedAt: alert.firstSeen,
      UpdatedAt: eventTime(alert),
      FirstObservedAt: alert.firstSeen,
      LastObservedAt: alert.lastSeen,
      Severity: { ...severity, Original: alert.severity },
      Title: clip(`${alert.detector} on ${alert.server}: ${alert.title}`, 256),
      Description: clip(`${alert.description}${alert.status === 'resolved' ? ` Resolved: no occurrence since ${alert.lastSeen}.` : ''}`, 1024),
      Resources: resources(alert, account, region, i < EVIDENCE_FIELD_BUDGETS.length - 1),
      RecordState: alert.status === 'resolved' ? 'ARCHIVED' : 'ACTIVE',
      ProductName: 'MCP Watchtower',
      CompanyName: 'mcp-watchtower',
      Region: region,
      Remediation: { Recommendation: { Text: clip(alert.runbook, 512), ...(reference?.url !== undefined ? { Url: reference.url } : {}) } },
      ProductFields: productFields(alert, evidenceBudget),
      FindingProviderFields: { Severity: { Label: severity.Label, Original: alert.severity }, Types: types },
    };
    if (utf8Bytes(finding) <= ASFF_MAX_BYTES) return finding;
  }
  // Unreachable with the bounds above (every field is clipped); kept as a hard stop.
  throw new AsffTargetError(`finding ${alert.fingerprint} exceeds ${ASFF_MAX_BYTES} bytes`);
}
