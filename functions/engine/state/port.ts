/**
 * The state port. A batch runs inside one transaction:
 *
 *   begin → [detection pass → unloadedKeys() → load(keys)]* → commit → (publish → markPublished)*
 *
 * A remote store cannot answer synchronous reads, so the pipeline runs a discovery pass: every key
 * the detectors touch that is not loaded is reported by `unloadedKeys()`, loaded in bulk, and the
 * pass is rerun from the loaded values. `commit` then applies the whole batch with at most one
 * write per touched key. Stores that hold everything in memory report no unloaded keys, so they
 * run a single pass.
 *
 * Exactly-once: `batchId` is deterministic for a delivery (a retried delivery has the same id). A
 * remote store makes `commit` idempotent per batch and keeps the alerts the first attempt raised
 * (its outbox): a redelivery publishes those, never a re-derivation. `publishOnce` publishes each of
 * them at most once per batch however many deliveries run at once (stores without it fall back to
 * `isPublished`/`markPublished`).
 */
import type { Alert } from '../alerts/alert.js';
import type { StateView } from './view.js';

export interface CommitResult {
  /** Items written. */
  readonly writes: number;
  /** Items whose change this batch had already applied (a retried delivery). */
  readonly alreadyApplied: number;
  /**
   * The alerts this batch publishes: the outbox given to `commit`, or — on a redelivery — the
   * outbox its first attempt recorded. Absent: publish the outbox given.
   */
  readonly alerts?: readonly Alert[];
}

export type PublishOutcome =
  | { readonly status: 'published' }
  /** An earlier or concurrent delivery of this batch published it. */
  | { readonly status: 'already' }
  /** It can never be published (or failed too often): isolated and reported, the batch goes on. */
  | { readonly status: 'unpublishable'; readonly reason: string };

export interface StateTransaction {
  readonly view: StateView;
  unloadedKeys(): string[];
  /** Loads `keys` and resets every item to its stored value, ready for a fresh pass. */
  load(keys: readonly string[]): Promise<void>;
  /** Applies the batch once; `outbox` is the alerts this attempt derived (recorded before any state is written). */
  commit(outbox?: readonly Alert[]): Promise<CommitResult>;
  /**
   * Publishes one alert of the committed batch at most once (claim with a lease, publish, mark
   * sent). Throws when it cannot tell yet (another delivery holds the claim, the store is down):
   * the batch fails and its redelivery finishes the job.
   */
  publishOnce?(alert: Alert, publish: () => Promise<void>): Promise<PublishOutcome>;
  /** Whether this batch already published the alert (a retried delivery). */
  isPublished(fingerprint: string): boolean;
  markPublished(fingerprint: string): Promise<void>;
}

export interface StateStore {
  /** `now` is the batch's latest event time: stores expire items by event time, not wall clock. */
  begin(batchId: string, now: number): Promise<StateTransaction>;
}
