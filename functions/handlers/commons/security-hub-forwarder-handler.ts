/**
 * The Security Hub forwarder: an SQS queue subscribed to the integration topic feeds it batches of
 * lifecycle events; each becomes an ASFF finding (one Id per fingerprint, so repeats update and a
 * resolution archives), the batch is imported with BatchImportFindings (≤ 100 per call, retried
 * with backoff), and the messages whose findings still failed are returned as
 * `batchItemFailures`: SQS delivers them again and, after maxReceiveCount, moves them to the DLQ.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { toAsff, type AsffFinding } from '../../engine/alerts/formats/asff.js';
import { alertFromMessageBody } from '../../adapters/destinations/alert-envelope.js';
import type { SecurityHubImporter } from '../../adapters/destinations/security-hub-importer.js';

export interface SecurityHubForwarderDeps {
  readonly importer: Pick<SecurityHubImporter, 'import'>;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Account and region for alerts that carry none (this function's own). */
  readonly account?: string;
  readonly region?: string;
}

export function createSecurityHubForwarder(deps: SecurityHubForwarderDeps): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return async (event) => {
    const failures = new Set<string>();
    // One finding per Id: the latest lifecycle event of an incident in this batch wins.
    const latest = new Map<string, { finding: AsffFinding; messageIds: string[] }>();
    for (const record of event.Records) {
      const parsed = alertFromMessageBody(record.body);
      if (!parsed.ok) {
        deps.logger.error('not an alert: left for the DLQ', { messageId: record.messageId, error: parsed.error });
        failures.add(record.messageId);
        continue;
      }
      let finding: AsffFinding;
      try {
        finding = toAsff(parsed.alert, { ...(deps.account !== undefined ? { account: deps.account } : {}), ...(deps.region !== undefined ? { region: deps.region } : {}) });
      } catch (error) {
        deps.logger.error('cannot build the ASFF finding: left for the DLQ', { messageId: record.messageId, error: (error as Error).message });
        failures.add(record.messageId);
        continue;
      }
      const seen = latest.get(finding.Id);
      if (seen === undefined) latest.set(finding.Id, { finding, messageIds: [record.messageId] });
      else {
        seen.messageIds.push(record.messageId);
        if (Date.parse(finding.UpdatedAt) >= Date.parse(seen.finding.UpdatedAt)) seen.finding = finding;
      }
    }
    const findings = [...latest.values()].map((e) => e.finding);
    const result = await deps.importer.import(findings);
    for (const failed of result.failed) {
      deps.logger.error('Security Hub did not import a finding', { id: failed.Id, errorCode: failed.ErrorCode, errorMessage: failed.ErrorMessage });
      for (const messageId of latest.get(failed.Id)?.messageIds ?? []) failures.add(messageId);
    }
    deps.logger.info('findings imported', { imported: result.imported, failed: result.failed.length, calls: result.calls, messages: event.Records.length });
    return { batchItemFailures: [...failures].map((itemIdentifier) => ({ itemIdentifier })) };
  };
}
