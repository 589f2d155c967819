/**
 * Required-field validators for the two finding formats, written from the specifications:
 * ASFF (Security Hub's "Required attributes" and the BatchImportFindings limits) and the OCSF
 * Detection Finding class (2004) with the base event attributes it requires. Each returns the
 * list of problems (empty: valid), so a test shows every violation at once.
 */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const ASFF_NAMESPACES = ['Software and Configuration Checks', 'TTPs', 'Effects', 'Unusual Behaviors', 'Sensitive Data Identifications'];
const ASFF_LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const CUSTOMER_OWNED = ['Workflow', 'WorkflowState', 'Note', 'UserDefinedFields', 'VerificationState', 'Compliance'];

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(f: Json, key: string, problems: string[], max?: number): string | undefined {
  const v = f[key];
  if (typeof v !== 'string' || v.length === 0) {
    problems.push(`${key}: required non-empty string`);
    return undefined;
  }
  if (max !== undefined && v.length > max) problems.push(`${key}: longer than ${max}`);
  return v;
}

export function validateAsff(finding: unknown): string[] {
  const p: string[] = [];
  if (!isObject(finding)) return ['finding: not an object'];
  const f = finding;
  if (f.SchemaVersion !== '2018-10-08') p.push('SchemaVersion: must be 2018-10-08');
  str(f, 'Id', p, 512);
  const account = str(f, 'AwsAccountId', p);
  if (account !== undefined && !/^\d{12}$/.test(account)) p.push('AwsAccountId: 12 digits');
  const arn = str(f, 'ProductArn', p);
  if (arn !== undefined && account !== undefined && !new RegExp(`^arn:aws[a-z-]*:securityhub:[a-z0-9-]+:${account}:product/${account}/default$`).test(arn)) {
    p.push('ProductArn: not the default product of AwsAccountId');
  }
  str(f, 'GeneratorId', p, 512);
  str(f, 'Title', p, 256);
  str(f, 'Description', p, 1024);
  for (const key of ['CreatedAt', 'UpdatedAt']) {
    const t = str(f, key, p);
    if (t !== undefined && !ISO_8601.test(t)) p.push(`${key}: not ISO 8601`);
  }
  if (typeof f.CreatedAt === 'string' && typeof f.UpdatedAt === 'string' && Date.parse(f.UpdatedAt) < Date.parse(f.CreatedAt)) p.push('UpdatedAt: before CreatedAt');
  const severity = f.Severity;
  if (!isObject(severity)) p.push('Severity: required object');
  else {
    if (severity.Label === undefined && severity.Normalized === undefined) p.push('Severity: Label or Normalized required');
    if (severity.Label !== undefined && !ASFF_LABELS.includes(String(severity.Label))) p.push(`Severity.Label: ${String(severity.Label)}`);
    if (severity.Normalized !== undefined && !(typeof severity.Normalized === 'number' && severity.Normalized >= 0 && severity.Normalized <= 100)) p.push('Severity.Normalized: 0-100');
  }
  const types = f.Types;
  if (!Array.isArray(types) || types.length === 0 || types.length > 50) p.push('Types: 1 to 50 entries');
  else {
    for (const t of types) {
      const parts = typeof t === 'string' ? t.split('/') : [];
      if (parts.length < 1 || parts.length > 3 || !ASFF_NAMESPACES.includes(parts[0] ?? '')) p.push(`Types: bad type ${String(t)}`);
    }
  }
  const resources = f.Resources;
  if (!Array.isArray(resources) || resources.length === 0 || resources.length > 32) p.push('Resources: 1 to 32 entries');
  else {
    for (const r of resources) {
      if (!isObject(r) || typeof r.Type !== 'string' || typeof r.Id !== 'string' || r.Id.length === 0 || r.Id.length > 512) p.push(`Resources: entry needs Type and Id (${JSON.stringify(r)})`);
    }
  }
  if (f.RecordState !== undefined && f.RecordState !== 'ACTIVE' && f.RecordState !== 'ARCHIVED') p.push('RecordState: ACTIVE or ARCHIVED');
  if (f.ProductFields !== undefined) {
    if (!isObject(f.ProductFields) || Object.keys(f.ProductFields).length > 50) p.push('ProductFields: at most 50 string pairs');
    else for (const [k, v] of Object.entries(f.ProductFields)) if (typeof v !== 'string' || k.length > 128 || v.length > 2048) p.push(`ProductFields.${k}: bad pair`);
  }
  for (const key of CUSTOMER_OWNED) if (key in f) p.push(`${key}: customer-owned, must not be set by the provider`);
  if (Buffer.byteLength(JSON.stringify(f)) > 240 * 1024) p.push('finding: over 240 KB');
  return p;
}

function int(f: Json, key: string, p: string[], allowed?: readonly number[]): number | undefined {
  const v = f[key];
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    p.push(`${key}: required integer`);
    return undefined;
  }
  if (allowed !== undefined && !allowed.includes(v)) p.push(`${key}: ${v} not in ${allowed.join(',')}`);
  return v;
}

export function validateOcsfDetectionFinding(finding: unknown): string[] {
  const p: string[] = [];
  if (!isObject(finding)) return ['finding: not an object'];
  const f = finding;
  const classUid = int(f, 'class_uid', p, [2004]);
  int(f, 'category_uid', p, [2]);
  const activity = int(f, 'activity_id', p, [0, 1, 2, 3, 99]);
  const typeUid = int(f, 'type_uid', p);
  if (classUid !== undefined && activity !== undefined && typeUid !== classUid * 100 + activity) p.push('type_uid: must be class_uid * 100 + activity_id');
  int(f, 'severity_id', p, [0, 1, 2, 3, 4, 5, 6, 99]);
  const time = int(f, 'time', p);
  if (time !== undefined && time <= 0) p.push('time: epoch milliseconds');
  if (f.status_id !== undefined) int(f, 'status_id', p, [0, 1, 2, 3, 4, 99]);
  const metadata = f.metadata;
  if (!isObject(metadata)) p.push('metadata: required object');
  else {
    if (typeof metadata.version !== 'string' || !/^\d+\.\d+\.\d+/.test(metadata.version)) p.push('metadata.version: required semver');
    if (!isObject(metadata.product) || (typeof metadata.product.name !== 'string' && typeof metadata.product.vendor_name !== 'string')) p.push('metadata.product: name or vendor_name required');
  }
  const info = f.finding_info;
  if (!isObject(info)) p.push('finding_info: required object');
  else {
    str(info, 'uid', p);
    str(info, 'title', p);
    for (const key of ['first_seen_time', 'last_seen_time']) if (info[key] !== undefined && typeof info[key] !== 'number') p.push(`finding_info.${key}: timestamp`);
    if (info.types !== undefined && !(Array.isArray(info.types) && info.types.every((t) => typeof t === 'string'))) p.push('finding_info.types: string array');
    if (info.analytic !== undefined) {
      if (!isObject(info.analytic)) p.push('finding_info.analytic: object');
      else if (typeof info.analytic.type_id !== 'number') p.push('finding_info.analytic.type_id: required');
    }
  }
  if (f.evidences !== undefined && !(Array.isArray(f.evidences) && f.evidences.length > 0 && f.evidences.every(isObject))) p.push('evidences: non-empty object array');
  if (f.resources !== undefined && !(Array.isArray(f.resources) && f.resources.every((r) => isObject(r) && (typeof r.uid === 'string' || typeof r.name === 'string')))) p.push('resources: objects with uid or name');
  if (f.actor !== undefined && !isObject(f.actor)) p.push('actor: object');
  return p;
}
