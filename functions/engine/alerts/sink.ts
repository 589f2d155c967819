import type { Alert, AlertRepeat } from './alert.js';

/**
 * Where alerts go: printed (CLI), collected (tests), or published (SNS adapter). `publish` must
 * reject if the alert was not delivered, so the batch fails and is retried instead of lost.
 */
export interface AlertSink {
  publish(alert: Alert): Promise<void>;
  /** An already published alert occurred again inside its dedup window (optional). */
  repeat?(repeat: AlertRepeat): void | Promise<void>;
  /**
   * A lifecycle event of an open incident (alerts/lifecycle.ts): `updated` (folded repeats, as the
   * full alert with its new count and lastSeen) or `resolved`. At-least-once: a retried batch may
   * send one again, so destinations apply them idempotently (same finding Id, dedup_key, threadId).
   */
  lifecycle?(event: Alert): Promise<void>;
}
