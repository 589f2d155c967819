import type { Alert, AlertRepeat } from './alert.js';

/**
 * Where alerts go: printed (CLI), collected (tests), or published (SNS adapter). `publish` must
 * reject if the alert was not delivered, so the batch fails and is retried instead of lost.
 */
export interface AlertSink {
  publish(alert: Alert): Promise<void>;
  /** An already published alert occurred again inside its dedup window (optional). */
  repeat?(repeat: AlertRepeat): void | Promise<void>;
}
