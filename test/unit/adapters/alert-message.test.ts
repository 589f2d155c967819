import { describe, expect, it } from 'vitest';
import { alertSubject, snsMessageFor } from '../../../functions/adapters/alert-message.js';
import type { Alert } from '../../../functions/engine/alerts/alert.js';

const SNS_LIMIT_BYTES = 262_144;

function alert(overrides: Partial<Alert> = {}): Alert {
  return {
    detector: 'AUTH-BRUTE-FORCE',
    category: 'auth',
    severity: 'high',
    title: '5 failed authentications in 300s for ip 203.0.113.7',
    description: 'Repeated failed authentication.',
    fingerprint: '0123456789abcdef',
    time: '2026-11-24T10:00:00.000Z',
    firstSeen: '2026-11-24T10:00:00.000Z',
    lastSeen: '2026-11-24T10:02:00.000Z',
    count: 1,
    server: 'files-mcp',
    clientIp: '203.0.113.7',
    evidence: { failures: 5, threshold: 5 },
    references: [{ id: 'MITRE-T1110', title: 'Brute Force', url: 'https://attack.mitre.org/techniques/T1110/' }],
    runbook: 'Block the IP.',
    ...overrides,
  };
}

/** What SNS counts against its limit: the message and every attribute name, type and value. */
function snsBytes(message: ReturnType<typeof snsMessageFor>): number {
  let bytes = Buffer.byteLength(message.Message) + Buffer.byteLength(message.Subject);
  for (const [name, value] of Object.entries(message.MessageAttributes)) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value.DataType) + Buffer.byteLength(value.StringValue);
  }
  return bytes;
}

describe('SNS alert message', () => {
  it('carries the routing attributes, a subject, JSON for machines and text for email', () => {
    const message = snsMessageFor(alert());
    expect(message.MessageStructure).toBe('json');
    expect(message.MessageAttributes).toEqual({
      severity: { DataType: 'String', StringValue: 'high' },
      category: { DataType: 'String', StringValue: 'auth' },
      detector: { DataType: 'String', StringValue: 'AUTH-BRUTE-FORCE' },
      server: { DataType: 'String', StringValue: 'files-mcp' },
    });
    expect(message.Subject).toBe('[HIGH] AUTH-BRUTE-FORCE on files-mcp: 5 failed authentications in 300s for ip 203.0.113.7');
    const structure = JSON.parse(message.Message) as { default: string; email: string };
    expect(JSON.parse(structure.default)).toEqual(alert());
    expect(structure.email).toContain('Detector:    AUTH-BRUTE-FORCE (auth)');
    expect(structure.email).toContain('"failures": 5');
  });

  it('keeps subjects to 100 printable ASCII characters', () => {
    const subject = alertSubject(alert({ title: `Ünïcode ${'x'.repeat(300)}` }));
    expect(subject).toHaveLength(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject.endsWith('...')).toBe(true);
  });

  it('stays under 256 KiB with the largest evidence the config allows, in multi-byte text full of quotes', () => {
    // evidenceMaxBytes tops out at 65,536 characters; 3-byte characters and quotes (escaped twice
    // in a MessageStructure document) make that far more bytes.
    const big = '€"'.repeat(16_000);
    const evidence = { a: big, b: big, c: big.slice(0, 1000) };
    const message = snsMessageFor(alert({ evidence }));
    expect(snsBytes(message)).toBeLessThan(SNS_LIMIT_BYTES);
    const structure = JSON.parse(message.Message) as { default: string; email: string };
    const body = JSON.parse(structure.default) as Alert;
    expect(body.fingerprint).toBe('0123456789abcdef');
    expect(structure.email).toContain('(too large for email: see the JSON alert)');
  });

  it('drops evidence from the JSON too when even that would not fit', () => {
    const huge = '€"'.repeat(40_000);
    const message = snsMessageFor(alert({ evidence: { a: huge } }));
    expect(snsBytes(message)).toBeLessThan(SNS_LIMIT_BYTES);
    const body = JSON.parse((JSON.parse(message.Message) as { default: string }).default) as Alert;
    expect(body.evidence).toEqual({ truncated: 'evidence too large for SNS' });
    expect(body.detector).toBe('AUTH-BRUTE-FORCE');
  });

  it('keeps evidence in both parts when it fits', () => {
    const evidence = { sample: 'ü'.repeat(2000) };
    const structure = JSON.parse(snsMessageFor(alert({ evidence })).Message) as { default: string; email: string };
    expect((JSON.parse(structure.default) as Alert).evidence).toEqual(evidence);
    expect(structure.email).toContain('ü'.repeat(2000));
  });
});
