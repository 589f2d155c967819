/**
 * The ingest function's alert sink when integrations are on: the alert topic (the contract every
 * subscriber relies on: new alerts and escalations) plus the destination topics (chat, and the
 * integration topic the Security Hub and PagerDuty forwarders read, which also receives lifecycle
 * events).
 *
 * Destinations are published first and the alert topic last: the pipeline marks an alert sent
 * only after `publish` resolves, so a failure anywhere retries the whole alert. A retry may repeat
 * a destination message, never an alert topic message that already went out; every destination
 * applies repeats idempotently (same ASFF Id, PagerDuty dedup_key, chat threadId).
 */
import type { Alert, AlertRepeat } from '../../engine/alerts/alert.js';
import type { AlertSink } from '../../engine/alerts/sink.js';

export class FanoutSink implements AlertSink {
  constructor(
    private readonly primary: AlertSink,
    private readonly destinations: readonly AlertSink[],
  ) {}

  async publish(alert: Alert): Promise<void> {
    for (const destination of this.destinations) await destination.publish(alert);
    await this.primary.publish(alert);
  }

  async repeat(repeat: AlertRepeat): Promise<void> {
    await this.primary.repeat?.(repeat);
  }

  async lifecycle(event: Alert): Promise<void> {
    for (const destination of this.destinations) await destination.lifecycle?.(event);
    await this.primary.lifecycle?.(event);
  }
}
