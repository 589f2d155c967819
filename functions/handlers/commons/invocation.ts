/**
 * One invocation's bookkeeping: the sink that logs each published alert as the `alert` JSON line
 * (the dashboard's Logs Insights widget queries it), the figures of every delivery processed, and
 * the EMF metrics written when the invocation ends — also when it fails.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { emfRecordsFor, publishEmfRecords, type DeliveryFigures, type MetricsWriter } from '../../adapters/emf-metrics.js';
import type { AlertSink } from '../../engine/alerts/sink.js';
import { alertLogFields, ReportingSink } from './reporting-sink.js';

export class Invocation {
  readonly sink: ReportingSink;
  readonly deliveries: DeliveryFigures[] = [];
  batchesFailed = 0;

  constructor(
    inner: AlertSink,
    private readonly logger: Logger,
    private readonly metrics: MetricsWriter,
  ) {
    this.sink = new ReportingSink(inner, (alert) => logger.info('alert', alertLogFields(alert)));
  }

  add(figures: DeliveryFigures): void {
    this.deliveries.push(figures);
    const o = figures.outcome;
    // Isolated, not lost silently: each alert that can never be published is reported (without its content).
    for (const u of o.unpublishable ?? []) {
      this.logger.error('alert could not be published: isolated, the rest of the batch was published', {
        batchId: o.batchId,
        detector: u.detector,
        fingerprint: u.fingerprint,
        reason: u.reason,
      });
    }
    this.logger.debug('batch processed', {
      batchId: o.batchId,
      ...(figures.logGroup !== undefined ? { logGroup: figures.logGroup } : {}),
      events: o.events,
      unparsed: figures.unparsed,
      findings: o.findings,
      alerts: o.alerts.length,
      published: o.published,
      unpublishable: o.unpublishable?.length ?? 0,
      stateWrites: o.stateWrites,
      alreadyApplied: o.alreadyApplied,
      ...(Object.keys(o.detectorErrors).length > 0 ? { detectorErrors: o.detectorErrors } : {}),
    });
  }

  /** Logs a one-line summary and writes the invocation's metrics; never throws (metrics must not fail a batch). */
  flushMetrics(): void {
    if (this.deliveries.length > 0 || this.batchesFailed > 0) {
      const sum = (pick: (o: DeliveryFigures) => number) => this.deliveries.reduce((n, d) => n + pick(d), 0);
      this.logger.info('invocation summary', {
        batches: this.deliveries.length,
        batchesFailed: this.batchesFailed,
        events: sum((d) => d.outcome.events),
        unparsed: sum((d) => d.unparsed),
        findings: sum((d) => d.outcome.findings),
        published: this.sink.published.length,
        stateWrites: sum((d) => d.outcome.stateWrites),
        alreadyApplied: sum((d) => d.outcome.alreadyApplied),
      });
    }
    try {
      publishEmfRecords(this.metrics, emfRecordsFor({ deliveries: this.deliveries, published: this.sink.published, batchesFailed: this.batchesFailed }));
    } catch (error) {
      this.logger.warn('could not write metrics', { error: error as Error });
    }
  }
}

/** An error as log fields, without dumping whole SDK responses. */
export function errorFields(error: unknown): { error: string; errorName?: string } {
  if (error instanceof Error) return { error: error.message, errorName: error.name };
  return { error: String(error) };
}
