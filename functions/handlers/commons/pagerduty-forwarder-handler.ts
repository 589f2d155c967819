/**
 * The PagerDuty forwarder: an SQS queue subscribed to the integration topic (filtered to the
 * minimum severity) feeds it lifecycle events; each becomes a PagerDuty Events v2 event with the
 * fingerprint as `dedup_key` (trigger for new and updated: repeats fold into one incident;
 * resolve for resolved). Transient failures (429, 5xx, network) are retried with backoff, then
 * returned as `batchItemFailures` (SQS redelivers, then its redrive policy moves them to the DLQ);
 * permanent ones (PagerDuty rejected the event, or the message is not an alert) go to the DLQ at once.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Alert } from '../../engine/alerts/alert.js';
import { toPagerDutyEvent } from '../../engine/alerts/formats/pagerduty.js';
import { atLeast, type Severity } from '../../engine/alerts/severity.js';
import { alertFromMessageBody } from '../../adapters/destinations/alert-envelope.js';
import { PagerDutyDeliveryError, type PagerDutyClient } from '../../adapters/destinations/pagerduty-client.js';

export interface PagerDutyForwarderDeps {
  readonly client: Pick<PagerDutyClient, 'send'>;
  readonly routingKey: { get(): Promise<string> };
  readonly deadLetter: { park(body: string, reason: string): Promise<void> };
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Alerts below it are not sent (the subscription's filter policy already drops most). */
  readonly minSeverity?: Severity;
}

export interface ForwardFigures {
  sent: number;
  skipped: number;
  parked: number;
  failed: number;
}

export function createPagerDutyForwarder(deps: PagerDutyForwarderDeps): (event: SQSEvent) => Promise<SQSBatchResponse & { figures: ForwardFigures }> {
  return async (event) => {
    const figures: ForwardFigures = { sent: 0, skipped: 0, parked: 0, failed: 0 };
    const failures: string[] = [];
    const park = async (body: string, messageId: string, reason: string): Promise<void> => {
      try {
        await deps.deadLetter.park(body, reason);
        figures.parked++;
        deps.logger.error('message parked in the DLQ', { messageId, reason });
      } catch (error) {
        figures.failed++;
        failures.push(messageId);
        deps.logger.error('could not park a message in the DLQ: SQS will redeliver it', { messageId, error: (error as Error).message });
      }
    };
    const alerts: Array<{ alert: Alert; messageId: string; body: string }> = [];
    for (const record of event.Records) {
      const parsed = alertFromMessageBody(record.body);
      if (parsed.ok) alerts.push({ alert: parsed.alert, messageId: record.messageId, body: record.body });
      else await park(record.body, record.messageId, parsed.error);
    }
    // Within a batch: earlier lifecycle events first, so a trigger never lands after its resolve.
    alerts.sort((a, b) => Date.parse(a.alert.resolvedAt ?? a.alert.lastSeen) - Date.parse(b.alert.resolvedAt ?? b.alert.lastSeen));
    let routingKey: string | undefined;
    for (const { alert, messageId, body } of alerts) {
      if (deps.minSeverity !== undefined && !atLeast(alert.severity, deps.minSeverity)) {
        figures.skipped++;
        continue;
      }
      try {
        routingKey ??= await deps.routingKey.get();
        await deps.client.send(toPagerDutyEvent(alert), routingKey);
        figures.sent++;
      } catch (error) {
        if (error instanceof PagerDutyDeliveryError && error.permanent) {
          await park(body, messageId, error.message);
          continue;
        }
        figures.failed++;
        failures.push(messageId);
        deps.logger.warn('PagerDuty delivery failed: SQS will redeliver', { messageId, fingerprint: alert.fingerprint, error: (error as Error).message });
      }
    }
    deps.logger.info('PagerDuty events forwarded', { ...figures });
    return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })), figures };
  };
}
