/**
 * Imports ASFF findings into Security Hub with `BatchImportFindings`: at most 100 per call, calls
 * that throw (throttling, 5xx) and findings Security Hub reports as failed are retried with
 * exponential backoff, and whatever still failed is returned with Security Hub's error code, so
 * the caller reports it (the forwarder hands those messages back to SQS, then its DLQ).
 */
import { BatchImportFindingsCommand, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { AsffFinding } from '../../engine/alerts/formats/asff.js';
import { backoffMs, sleep as realSleep } from './backoff.js';

export const MAX_FINDINGS_PER_CALL = 100;

export interface FailedFinding {
  readonly Id: string;
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
}

export interface SecurityHubImporterOptions {
  readonly client: Pick<SecurityHubClient, 'send'>;
  /** Rounds over the pending findings. @default 4 */
  readonly maxAttempts?: number;
  /** @default 200 */
  readonly baseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface ImportResult {
  readonly imported: number;
  readonly calls: number;
  readonly failed: readonly FailedFinding[];
}

export class SecurityHubImporter {
  constructor(private readonly options: SecurityHubImporterOptions) {}

  async import(findings: readonly AsffFinding[]): Promise<ImportResult> {
    const maxAttempts = this.options.maxAttempts ?? 4;
    const wait = this.options.sleep ?? realSleep;
    let pending = [...findings];
    let failed = new Map<string, FailedFinding>();
    let imported = 0;
    let calls = 0;
    for (let attempt = 1; attempt <= maxAttempts && pending.length > 0; attempt++) {
      if (attempt > 1) await wait(backoffMs(attempt - 1, this.options.baseDelayMs ?? 200));
      failed = new Map();
      const retry: AsffFinding[] = [];
      for (let i = 0; i < pending.length; i += MAX_FINDINGS_PER_CALL) {
        const chunk = pending.slice(i, i + MAX_FINDINGS_PER_CALL);
        calls++;
        try {
          const out = await this.options.client.send(new BatchImportFindingsCommand({ Findings: chunk as never }));
          const failedIds = new Set<string>();
          for (const f of out.FailedFindings ?? []) {
            const id = f.Id ?? '';
            failedIds.add(id);
            failed.set(id, { Id: id, ErrorCode: f.ErrorCode ?? 'Unknown', ErrorMessage: f.ErrorMessage ?? '' });
          }
          for (const finding of chunk) if (failedIds.has(finding.Id)) retry.push(finding);
          imported += chunk.length - failedIds.size;
        } catch (error) {
          const name = error instanceof Error ? error.name : 'Error';
          const message = error instanceof Error ? error.message : String(error);
          for (const finding of chunk) failed.set(finding.Id, { Id: finding.Id, ErrorCode: name, ErrorMessage: message });
          retry.push(...chunk);
        }
      }
      pending = retry;
    }
    return { imported, calls, failed: [...failed.values()] };
  }
}
