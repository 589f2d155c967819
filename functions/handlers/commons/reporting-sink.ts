/**
 * Wraps the alert sink of one invocation: keeps the alerts it really published (the Alerts metric
 * counts those, so a redelivery does not count an alert twice) and reports each after it was
 * delivered (the handler logs it as the `alert` JSON line the dashboard queries).
 */
import type { Alert, AlertRepeat } from '../../engine/alerts/alert.js';
import type { AlertSink } from '../../engine/alerts/sink.js';

export class ReportingSink implements AlertSink {
  readonly published: Alert[] = [];

  constructor(
    private readonly inner: AlertSink,
    private readonly onPublished: (alert: Alert) => void = () => {},
  ) {}

  async publish(alert: Alert): Promise<void> {
    await this.inner.publish(alert);
    this.published.push(alert);
    this.onPublished(alert);
  }

  async repeat(repeat: AlertRepeat): Promise<void> {
    await this.inner.repeat?.(repeat);
  }

  async lifecycle(event: Alert): Promise<void> {
    await this.inner.lifecycle?.(event);
  }
}

/** The fields of the `alert` log line (the dashboard's Logs Insights widget reads these). */
export function alertLogFields(alert: Alert): Record<string, string> {
  return {
    detector: alert.detector,
    severity: alert.severity,
    category: alert.category,
    title: alert.title,
    server: alert.server,
    fingerprint: alert.fingerprint,
  };
}
