import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../functions/engine/alerts/alert.js';
import { ASFF_MAX_BYTES, AsffTargetError, toAsff } from '../../../functions/engine/alerts/formats/asff.js';
import { CHAT_DESCRIPTION_MAX, CHAT_TITLE_MAX, toChatNotification } from '../../../functions/engine/alerts/formats/chat.js';
import { toOcsf } from '../../../functions/engine/alerts/formats/ocsf.js';
import { toPagerDutyEvent } from '../../../functions/engine/alerts/formats/pagerduty.js';
import { SEVERITIES } from '../../../functions/engine/alerts/severity.js';
import { validateAsff, validateOcsfDetectionFinding } from '../../helpers/finding-validators.js';

const GITHUB_TOKEN = 'ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5';

const ALERT: Alert = {
  detector: 'AUTH-BRUTE-FORCE',
  category: 'auth',
  severity: 'high',
  title: '5 failed authentications in 300s for ip 203.0.113.7',
  description: 'Repeated failed authentication from one source IP or against one principal.',
  fingerprint: '3f0c6e1b9a2d4c57',
  time: '2026-11-24T10:01:20.000Z',
  firstSeen: '2026-11-24T10:01:20.000Z',
  lastSeen: '2026-11-24T10:01:20.000Z',
  count: 1,
  server: 'files-mcp',
  principal: 'user-42',
  clientIp: '203.0.113.7',
  evidence: { failures: 5, threshold: 5, windowSeconds: 300 },
  references: [{ id: 'MITRE-T1110', title: 'Brute Force', url: 'https://attack.mitre.org/techniques/T1110/' }],
  runbook: 'Look up the source IP and principal; block the IP if it is not yours.',
  source: { format: 'canonical', logGroup: '/aws/lambda/files-mcp', logStream: 's1' },
  status: 'new',
  account: '111122223333',
  region: 'us-east-1',
};

const UPDATED: Alert = { ...ALERT, status: 'updated', count: 7, lastSeen: '2026-11-24T10:09:00.000Z' };
const RESOLVED: Alert = { ...UPDATED, status: 'resolved', resolvedAt: '2026-11-24T11:09:00.000Z' };
/** A secret that reached the alert unredacted (e.g. an alert parsed back from a topic). */
const LEAKY: Alert = { ...ALERT, title: `token ${GITHUB_TOKEN} seen`, principal: GITHUB_TOKEN, evidence: { argument: `Bearer ${GITHUB_TOKEN}`, api_key: 'x'.repeat(40) } };

describe('ASFF', () => {
  it('is valid against the required attributes for every status and severity', () => {
    for (const severity of SEVERITIES) {
      for (const alert of [ALERT, UPDATED, RESOLVED]) expect(validateAsff(toAsff({ ...alert, severity }))).toEqual([]);
    }
  });

  it('keeps one Id per fingerprint, moves UpdatedAt on updates and archives on resolve', () => {
    const [a, b, c] = [ALERT, UPDATED, RESOLVED].map((x) => toAsff(x));
    expect(new Set([a?.Id, b?.Id, c?.Id]).size).toBe(1);
    expect(Date.parse(b?.UpdatedAt ?? '')).toBeGreaterThan(Date.parse(a?.UpdatedAt ?? ''));
    expect(Date.parse(c?.UpdatedAt ?? '')).toBeGreaterThan(Date.parse(b?.UpdatedAt ?? ''));
    expect(b?.CreatedAt).toBe(a?.CreatedAt);
    expect([a?.RecordState, b?.RecordState, c?.RecordState]).toEqual(['ACTIVE', 'ACTIVE', 'ARCHIVED']);
    expect(a?.ProductArn).toBe('arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default');
    expect(toAsff({ ...ALERT, fingerprint: 'ffffffffffffffff' }).Id).not.toBe(a?.Id);
  });

  it('maps severity, types and resources (the server and its log group)', () => {
    const f = toAsff(ALERT);
    expect(f.Severity).toEqual({ Label: 'HIGH', Normalized: 80, Original: 'high' });
    expect(f.FindingProviderFields).toEqual({ Severity: { Label: 'HIGH', Original: 'high' }, Types: ['TTPs/Credential Access/AUTH-BRUTE-FORCE'] });
    expect(f.Resources.map((r) => r.Id)).toEqual(['mcp-server/files-mcp', 'arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/files-mcp']);
    const change = toAsff({ ...ALERT, detector: 'CFG-SERVER-CHANGE', category: 'config', evidence: { resource: 'arn:aws:lambda:us-east-1:111122223333:function:files-mcp' } });
    expect(change.Resources.map((r) => r.Type)).toContain('AwsLambdaFunction');
  });

  it('takes account and region from options when the alert has none, and refuses without them', () => {
    const { account: _a, region: _r, ...bare } = ALERT;
    expect(validateAsff(toAsff(bare, { account: '444455556666', region: 'eu-central-1' }))).toEqual([]);
    expect(() => toAsff(bare)).toThrow(AsffTargetError);
    expect(() => toAsff(bare, { account: '1234', region: 'eu-central-1' })).toThrow(/12-digit/);
  });

  it('stays under 240 KB with huge evidence and never sets customer-owned fields', () => {
    const big: Alert = { ...ALERT, title: 'x'.repeat(10_000), evidence: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, 'y'.repeat(300_000)])) };
    const f = toAsff(big);
    expect(Buffer.byteLength(JSON.stringify(f))).toBeLessThanOrEqual(ASFF_MAX_BYTES);
    expect(validateAsff(f)).toEqual([]);
  });
});

describe('OCSF Detection Finding', () => {
  it('is valid and uses activity Create / Update / Close for new / updated / resolved', () => {
    const out = [ALERT, UPDATED, RESOLVED].map((a) => toOcsf(a));
    for (const f of out) expect(validateOcsfDetectionFinding(f)).toEqual([]);
    expect(out.map((f) => [f.activity_id, f.type_uid])).toEqual([
      [1, 200401],
      [2, 200402],
      [3, 200403],
    ]);
    expect(out[0]).toMatchObject({ class_uid: 2004, category_uid: 2, severity_id: 4, finding_info: { uid: ALERT.fingerprint, analytic: { uid: 'AUTH-BRUTE-FORCE', type_id: 1 } } });
    expect(out[0]?.metadata.version).toBe('1.3.0');
    expect(new Set(out.map((f) => f.finding_info.uid)).size).toBe(1);
    expect(out[2]?.status_id).toBe(4);
  });

  it('carries actor, evidences and resources', () => {
    const f = toOcsf(ALERT);
    expect(f.actor).toEqual({ user: { name: 'user-42', uid: 'user-42' } });
    expect(f.evidences).toEqual([expect.objectContaining({ data: ALERT.evidence, src_endpoint: { ip: '203.0.113.7' } })]);
    expect((f.resources as { uid: string }[]).map((r) => r.uid)).toContain('arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/files-mcp');
  });
});

describe('chat custom notification', () => {
  it('has the custom notification shape with the fingerprint as thread id', () => {
    const n = toChatNotification(ALERT);
    expect(n).toMatchObject({ version: '1.0', source: 'custom', content: { textType: 'client-markdown' }, metadata: { threadId: ALERT.fingerprint } });
    expect(n.content.title).toContain('AUTH-BRUTE-FORCE on files-mcp');
    expect(n.content.description).toContain('"failures": 5');
    expect(n.content.nextSteps).toEqual([ALERT.runbook]);
    expect(toChatNotification(RESOLVED).content.title).toMatch(/RESOLVED/);
    expect(toChatNotification(RESOLVED).metadata.threadId).toBe(ALERT.fingerprint);
  });

  it('bounds title and description, and escapes markdown from the logs', () => {
    const n = toChatNotification({ ...ALERT, server: '*evil*`x`', title: 't'.repeat(5000), evidence: { blob: 'z'.repeat(50_000) } });
    expect(n.content.title.length).toBeLessThanOrEqual(CHAT_TITLE_MAX);
    expect(n.content.description.length).toBeLessThanOrEqual(CHAT_DESCRIPTION_MAX);
    expect(n.content.description).toContain('\\*evil\\*');
  });
});

describe('PagerDuty Events v2', () => {
  it('triggers with the fingerprint as dedup_key and mapped severity, resolves by dedup_key', () => {
    const t = toPagerDutyEvent(ALERT);
    expect(t).toMatchObject({ event_action: 'trigger', dedup_key: ALERT.fingerprint, payload: { severity: 'error', source: '/aws/lambda/files-mcp', component: 'files-mcp' } });
    expect(toPagerDutyEvent(UPDATED)).toMatchObject({ event_action: 'trigger', dedup_key: ALERT.fingerprint });
    expect(toPagerDutyEvent(RESOLVED)).toEqual({ event_action: 'resolve', dedup_key: ALERT.fingerprint });
    expect(SEVERITIES.map((severity) => (toPagerDutyEvent({ ...ALERT, severity }) as { payload: { severity: string } }).payload.severity)).toEqual(['critical', 'error', 'warning', 'info', 'info']);
    expect('routing_key' in t).toBe(false);
  });
});

describe('every format', () => {
  it('redacts secrets that reached the alert, in every field', () => {
    const outputs = [JSON.stringify(toAsff(LEAKY)), JSON.stringify(toOcsf(LEAKY)), JSON.stringify(toChatNotification(LEAKY)), JSON.stringify(toPagerDutyEvent(LEAKY))];
    for (const out of outputs) {
      expect(out).not.toContain(GITHUB_TOKEN);
      expect(out).not.toContain('x'.repeat(40));
      expect(out).toContain('REDACTED');
    }
  });

  it('leaves benign security words alone (near miss: no redaction without a secret)', () => {
    const benign: Alert = { ...ALERT, title: 'password reset token endpoint called 5 times', evidence: { note: 'the secret word is tokenization' } };
    for (const out of [JSON.stringify(toAsff(benign)), JSON.stringify(toChatNotification(benign)), JSON.stringify(toPagerDutyEvent(benign))]) {
      expect(out).toContain('password reset token endpoint');
      expect(out).not.toContain('REDACTED');
    }
  });
});

describe('the validators themselves', () => {
  it('report missing and malformed required fields', () => {
    const good = toAsff(ALERT) as unknown as Record<string, unknown>;
    const { Resources: _r, ...noResources } = good;
    expect(validateAsff(noResources)).toEqual(['Resources: 1 to 32 entries']);
    expect(validateAsff({ ...good, SchemaVersion: '2020-01-01', Types: ['Bogus/x'], Workflow: { Status: 'NEW' } })).toEqual([
      'SchemaVersion: must be 2018-10-08',
      'Types: bad type Bogus/x',
      'Workflow: customer-owned, must not be set by the provider',
    ]);
    expect(validateAsff({ ...good, ProductArn: 'arn:aws:securityhub:us-east-1:999999999999:product/999999999999/default' })).toEqual(['ProductArn: not the default product of AwsAccountId']);
    const ocsf = toOcsf(ALERT) as unknown as Record<string, unknown>;
    const { finding_info: _f, ...noInfo } = ocsf;
    expect(validateOcsfDetectionFinding(noInfo)).toEqual(['finding_info: required object']);
    expect(validateOcsfDetectionFinding({ ...ocsf, type_uid: 200402 })).toEqual(['type_uid: must be class_uid * 100 + activity_id']);
  });
});
