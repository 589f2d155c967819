/**
 * The ingest handler as the adversarial suites drive it: the real handler code (decode, normalize,
 * detectors, alert stage, EMF metrics) with in-memory state, a chosen alert sink, and the
 * production Logger setup (the redacting JSON replacer), so every output can be inspected.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { AlertSink } from '../../../functions/engine/alerts/sink.js';
import { createIngestHandler, type IngestResult } from '../../../functions/handlers/commons/ingest-handler.js';
import { LogGroupFilter } from '../../../functions/handlers/commons/log-sources.js';
import { redactLogValue } from '../../../functions/handlers/commons/log-redaction.js';
import { MemoryStateStore } from '../../../functions/engine/state/memory-store.js';
import { buildEngine, CollectingSink } from '../../helpers/engine-harness.js';

export type Handler = (event: unknown) => Promise<IngestResult>;

export interface AdversarialHandler {
  readonly handler: Handler;
  readonly store: MemoryStateStore;
}

export function inMemoryIngestHandler(options: { sink?: AlertSink; only?: readonly string[]; config?: Record<string, unknown> } = {}): AdversarialHandler {
  const store = new MemoryStateStore();
  const engine = buildEngine({ ...(options.only ? { only: options.only } : {}), ...(options.config ? { config: options.config } : {}) });
  const handler = createIngestHandler({
    engine,
    store,
    sink: options.sink ?? new CollectingSink(),
    filter: LogGroupFilter.from({ ownLogGroupPrefixes: ['/aws/lambda/McpWatchtower-'], sourceLogGroupNames: [], sourceLogGroupPrefixes: [] }),
    // The production logger setup (functions/handlers/commons/powertools.ts), at DEBUG so every line is seen.
    logger: new Logger({ serviceName: 'mcp-watchtower', logLevel: 'DEBUG', jsonReplacerFn: redactLogValue }),
    metrics: new Metrics({ serviceName: 'mcp-watchtower', namespace: 'McpWatchtower' }),
  });
  return { handler, store };
}
