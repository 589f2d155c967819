/**
 * Sends PagerDuty Events API v2 events. 202 is delivered; 429 and 5xx (and network errors) are
 * retried with exponential backoff (honouring Retry-After), then reported as transient; any other
 * answer (400: the event is invalid) is permanent — retrying cannot help, so the caller parks the
 * message in the DLQ at once.
 */
import type { PagerDutyEvent } from '../../engine/alerts/formats/pagerduty.js';
import { backoffMs, sleep as realSleep } from './backoff.js';

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

export class PagerDutyDeliveryError extends Error {
  override readonly name = 'PagerDutyDeliveryError';
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface PagerDutyClientOptions {
  /** @default PAGERDUTY_EVENTS_URL */
  readonly url?: string;
  /** @default 4 */
  readonly maxAttempts?: number;
  /** @default 500 */
  readonly baseDelayMs?: number;
  /** Per request. @default 5000 */
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly fetch?: typeof fetch;
}

export class PagerDutyClient {
  constructor(private readonly options: PagerDutyClientOptions = {}) {}

  async send(event: PagerDutyEvent, routingKey: string): Promise<{ attempts: number }> {
    const maxAttempts = this.options.maxAttempts ?? 4;
    const wait = this.options.sleep ?? realSleep;
    const doFetch = this.options.fetch ?? fetch;
    const body = JSON.stringify({ routing_key: routingKey, ...event });
    let last = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      let status: number | undefined;
      let retryAfterMs: number | undefined;
      try {
        const response = await doFetch(this.options.url ?? PAGERDUTY_EVENTS_URL, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
        });
        status = response.status;
        const text = (await response.text()).slice(0, 300);
        if (status === 202 || status === 200) return { attempts: attempt };
        last = `HTTP ${status}: ${text}`;
        const retryAfter = Number(response.headers.get('retry-after'));
        if (Number.isFinite(retryAfter) && retryAfter > 0) retryAfterMs = Math.min(retryAfter * 1000, 30_000);
        if (status !== 429 && status < 500) throw new PagerDutyDeliveryError(`PagerDuty rejected the event (${last})`, true, status);
      } catch (error) {
        if (error instanceof PagerDutyDeliveryError) throw error;
        last = error instanceof Error ? error.message : String(error);
      }
      if (attempt < maxAttempts) await wait(retryAfterMs ?? backoffMs(attempt, this.options.baseDelayMs ?? 500));
    }
    throw new PagerDutyDeliveryError(`PagerDuty did not accept the event after ${maxAttempts} attempts (${last})`, false);
  }
}
