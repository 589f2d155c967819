/**
 * Raw log records → canonical events → one pipeline batch. The entry every runtime shares: the
 * CLI (files, stdin, a log group), the ingest Lambda (a CloudWatch or Kinesis delivery), redrive.
 */
import { createHash } from 'node:crypto';
import type { Engine } from './compile.js';
import { normalizeRecords, type FormatChoice, type NormalizeStats, type RawLogRecord } from './events/normalize.js';
import { runBatch, type BatchOutcome, type PipelineDeps } from './pipeline.js';

export interface RecordsBatch {
  /** Deterministic per delivery; derive it with `batchIdOf` when the source gives none. */
  readonly batchId: string;
  readonly records: readonly RawLogRecord[];
}

export interface ProcessedBatch {
  readonly outcome: BatchOutcome;
  readonly input: NormalizeStats;
}

/** A content hash of the records: the same delivery always gets the same id. */
export function batchIdOf(records: readonly RawLogRecord[], scope = ''): string {
  const hash = createHash('sha256').update(scope);
  // The same bytes as one `\0group\0stream\0id\0message` string per record (ids stay stable), fed
  // in two parts: the message is not copied into a new string per record (~1 KB of garbage an event).
  for (const r of records) {
    hash.update(`\u0000${r.logGroup ?? ''}\u0000${r.logStream ?? ''}\u0000${r.id ?? ''}\u0000`);
    hash.update(r.message);
  }
  return hash.digest('hex').slice(0, 32);
}

export async function processRecords(
  engine: Engine,
  batch: RecordsBatch,
  deps: PipelineDeps,
  options: { readonly format?: FormatChoice } = {},
): Promise<ProcessedBatch> {
  const { events, stats } = normalizeRecords(
    batch.records,
    options.format !== undefined ? { format: options.format } : {},
  );
  const outcome = await runBatch(engine, { batchId: batch.batchId, events }, deps);
  return { outcome, input: stats };
}
