/**
 * D2: a lone surrogate in a server name (`files-\ud800-mcp`) used to make SNS publishing throw
 * `URIError` on every attempt (the SDK URL-encodes message attributes), so the batch could never
 * succeed. Every string that leaves the engine now passes one choke point (`redactText`): well-formed,
 * secrets redacted, bounded. Proven through the ingest handler publishing to fauxqs (SNS → SQS).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createSnsClient } from '../../functions/adapters/aws-clients.js';
import { snsMessageFor } from '../../functions/adapters/alert-message.js';
import { emfRecordsFor } from '../../functions/adapters/emf-metrics.js';
import { SnsAlertSink } from '../../functions/adapters/sns-alert-sink.js';
import * as redact from '../../functions/engine/alerts/redact.js';
import { createAlertTopic, receiveAlerts, type AlertTopic } from '../helpers/aws-fixtures.js';
import { canonicalLine, subscriptionEvent } from '../helpers/cloudwatch-payloads.js';
import { captureStdout } from '../helpers/capture-stdout.js';
import { emulators, useFakeAwsEnvironment, type EmulatorEndpoints } from '../helpers/emulators.js';
import { CollectingSink } from '../helpers/engine-harness.js';
import { inMemoryIngestHandler } from './support/ingest.js';

const LONE_HIGH = '\ud800';
const LONE_LOW = '\udc00';
const WELL_FORMED = /^(?:[^\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;

function authFailures(server: string, from = 0) {
  return [0, 10, 20, 30, 40, 50].map((t) =>
    canonicalLine(from + t, {
      event: 'mcp.auth',
      server: { name: server },
      client: { ip: '203.0.113.7' },
      principal: { sub: `user-${LONE_LOW}-42`, tokenPresent: true },
      auth: { outcome: 'failure', reason: `invalid_token ${LONE_HIGH}` },
      http: { status: 401 },
    }),
  );
}

describe('sink-safe strings (D2)', () => {
  let endpoints: EmulatorEndpoints;
  let topic: AlertTopic;

  beforeAll(async () => {
    useFakeAwsEnvironment();
    endpoints = await emulators();
    topic = await createAlertTopic(endpoints.fauxqs);
  });

  it('alerts about a server named with a lone surrogate are published to SNS, with U+FFFD in its place', async () => {
    const sink = new SnsAlertSink({ client: createSnsClient({ endpoint: endpoints.fauxqs }), topicArn: topic.topicArn });
    const { handler } = inMemoryIngestHandler({ sink, only: ['AUTH-BRUTE-FORCE'] });
    const { result, lines } = await captureStdout(() => handler(subscriptionEvent(authFailures(`files-${LONE_HIGH}-mcp`))));
    expect(result).toMatchObject({ status: 'processed', events: 6, alerts: 2, published: 2 });
    const received = await receiveAlerts(endpoints.fauxqs, topic.queueUrl);
    expect(received).toHaveLength(2);
    for (const { alert, attributes } of received) {
      expect(alert.server).toBe('files-\ufffd-mcp');
      expect(attributes.server).toBe('files-\ufffd-mcp');
      expect(JSON.stringify(alert)).toMatch(WELL_FORMED);
    }
    // The logs and metrics of the invocation carry the same safe name.
    const emf = lines.filter((l) => l.Server !== undefined).map((l) => l.Server);
    expect(emf).toEqual(['files-\ufffd-mcp']);
  });

  it('every string of an SNS message is well-formed and URL-encodable, whatever the alert holds', async () => {
    const sink = new CollectingSink();
    const { handler } = inMemoryIngestHandler({ sink, only: ['AUTH-BRUTE-FORCE'] });
    await captureStdout(() => handler(subscriptionEvent(authFailures(`a${LONE_LOW}${LONE_HIGH}b\u0000c\uffff`), { logStream: `s${LONE_HIGH}` })));
    expect(sink.alerts.length).toBeGreaterThan(0);
    for (const alert of sink.alerts) {
      const message = snsMessageFor(alert);
      for (const value of [message.Subject, message.Message, ...Object.values(message.MessageAttributes).map((a) => a.StringValue)]) {
        expect(value).toMatch(WELL_FORMED);
        expect(() => encodeURIComponent(value)).not.toThrow();
      }
      for (const record of emfRecordsFor({ deliveries: [], published: [alert], batchesFailed: 0 }))
        for (const set of record.dimensionSets) for (const v of Object.values(set)) expect(() => encodeURIComponent(v)).not.toThrow();
    }
  });

  it('redactText: sink-safe, and cutting never splits a surrogate pair', () => {
    expect(redact.sinkSafe(`a${LONE_HIGH}b${LONE_LOW}c\u0001d`)).toBe('a\ufffdb\ufffdc\ufffdd');
    expect(redact.sinkSafe('emoji 😀 ok')).toBe('emoji 😀 ok');
    const cut = redact.redactText(`${'x'.repeat(9)}😀tail`, 10);
    expect(cut).toMatch(WELL_FORMED);
    expect(cut.startsWith('xxxxxxxxx…')).toBe(true);
  });
});
