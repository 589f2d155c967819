/**
 * The CLI's alert sink: keeps alerts in order and folds later repeats (same fingerprint, inside the
 * dedup window) into the alert they repeat, so a replay reports each incident once with its count.
 */
import type { Alert, AlertRepeat } from '../engine/alerts/alert.js';
import type { AlertSink } from '../engine/alerts/sink.js';

export class AlertCollector implements AlertSink {
  private readonly list: Alert[] = [];
  private readonly latest = new Map<string, number>();

  constructor(
    private readonly onAlert?: (alert: Alert) => void,
    /** Lifecycle events (updates of open incidents, resolutions); `--output asff|ocsf` prints them. */
    private readonly onLifecycle?: (event: Alert) => void,
  ) {}

  get alerts(): readonly Alert[] {
    return this.list;
  }

  async publish(alert: Alert): Promise<void> {
    this.latest.set(alert.fingerprint, this.list.length);
    this.list.push(alert);
    this.onAlert?.(alert);
  }

  async lifecycle(event: Alert): Promise<void> {
    this.onLifecycle?.(event);
  }

  repeat(repeat: AlertRepeat): void {
    const index = this.latest.get(repeat.fingerprint);
    if (index === undefined) return;
    const alert = this.list[index] as Alert;
    this.list[index] = {
      ...alert,
      count: alert.count + repeat.count,
      lastSeen: repeat.lastSeen > alert.lastSeen ? repeat.lastSeen : alert.lastSeen,
    };
  }
}
