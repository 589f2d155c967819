import type { Category, Reference } from '../detectors/detector.js';
import type { Severity } from './severity.js';

/**
 * Where an incident stands (alerts/lifecycle.ts): `new` when first raised, `updated` on an
 * escalation or folded repeats of an open incident, `resolved` when its condition has cleared for
 * its dedup window (only detectors whose condition can clear; see `isResolvable`).
 */
export type AlertStatus = 'new' | 'updated' | 'resolved';

/**
 * An alert as published (SNS body, CLI `--output json` line). Field names are a contract:
 * subscribers filter and route on them.
 */
export interface Alert {
  readonly detector: string;
  readonly category: Category;
  readonly severity: Severity;
  readonly title: string;
  /** What the detector detects (from its metadata). */
  readonly description: string;
  /** Stable per incident: detector + server + subject. */
  readonly fingerprint: string;
  /** Event time of the first finding this alert reports (ISO-8601). */
  readonly time: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** Findings folded into this alert. */
  readonly count: number;
  /** MCP server name ("unknown" when the logs did not say). */
  readonly server: string;
  readonly session?: string;
  readonly principal?: string;
  readonly clientIp?: string;
  readonly tool?: string;
  /** Redacted, bounded evidence. */
  readonly evidence: Readonly<Record<string, unknown>>;
  readonly references: readonly Reference[];
  readonly runbook: string;
  /** Where the triggering event came from. */
  readonly source?: { readonly format?: string; readonly logGroup?: string; readonly logStream?: string };
  /** Lifecycle status (set by the pipeline's lifecycle stage). */
  readonly status?: AlertStatus;
  /** When the incident was resolved (ISO-8601; `status: resolved` only). */
  readonly resolvedAt?: string;
  /** AWS account and region the alert came from (passed in by the handler or the CLI). */
  readonly account?: string;
  readonly region?: string;
}

/** A later occurrence of an alert already published inside its dedup window. */
export interface AlertRepeat {
  readonly fingerprint: string;
  readonly detector: string;
  /** Occurrences added by this batch. */
  readonly count: number;
  readonly lastSeen: string;
}
