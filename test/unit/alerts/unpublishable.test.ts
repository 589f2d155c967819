/**
 * A poison alert (one the sink can never publish) is isolated and reported; the batch's other
 * alerts are published and the batch succeeds. Transient sink errors still fail the batch.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../functions/engine/alerts/alert.js';
import type { AlertSink } from '../../../functions/engine/alerts/sink.js';
import { UnpublishableAlertError } from '../../../functions/engine/alerts/unpublishable.js';
import { runBatch } from '../../../functions/engine/pipeline.js';
import { MemoryStateStore } from '../../../functions/engine/state/memory-store.js';
import { buildEngine, mcpEvent } from '../../helpers/engine-harness.js';

const ID = 'AUTH-BRUTE-FORCE';

function failures(ip: string) {
  return [0, 10, 20, 30, 40].map((t) =>
    mcpEvent({
      event: 'mcp.auth',
      time: t,
      server: { name: 'files-mcp' },
      client: { ip },
      principal: { tokenPresent: true },
      auth: { outcome: 'failure', reason: 'invalid_token' },
    }),
  );
}

class RejectingSink implements AlertSink {
  readonly published: Alert[] = [];
  constructor(private readonly reject: (alert: Alert) => Error | undefined) {}
  async publish(alert: Alert): Promise<void> {
    const error = this.reject(alert);
    if (error) throw error;
    this.published.push(alert);
  }
}

describe('unpublishable alerts', () => {
  const engine = buildEngine({ only: [ID] });
  const events = [...failures('203.0.113.7'), ...failures('198.51.100.9'), ...failures('192.0.2.4')];

  it('isolates the poison alert, publishes the others and reports it without its content', async () => {
    const sink = new RejectingSink((a) => (a.clientIp === '198.51.100.9' ? new UnpublishableAlertError('SNS rejected the alert (InvalidParameterException)') : undefined));
    const outcome = await runBatch(engine, { batchId: 'b', events }, { store: new MemoryStateStore(), sink });
    expect(sink.published.map((a) => a.clientIp).sort()).toEqual(['192.0.2.4', '203.0.113.7']);
    expect(outcome.published).toBe(2);
    expect(outcome.unpublishable).toEqual([
      { fingerprint: expect.any(String), detector: ID, reason: 'SNS rejected the alert (InvalidParameterException)' },
    ]);
  });

  it('a transient sink error still fails the batch (it is retried, not isolated)', async () => {
    const sink = new RejectingSink((a) => (a.clientIp === '198.51.100.9' ? new Error('SNS unavailable') : undefined));
    await expect(runBatch(engine, { batchId: 'b', events }, { store: new MemoryStateStore(), sink })).rejects.toThrow('SNS unavailable');
  });
});
