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
 * remote store makes `commit` idempotent per batch and presents, on a retry, the values the first
 * attempt saw; `isPublished`/`markPublished` let the pipeline publish each alert of a batch once.
 */
import type { StateView } from './view.js';

export interface CommitResult {
  /** Items written. */
  readonly writes: number;
  /** Items whose change this batch had already applied (a retried delivery). */
  readonly alreadyApplied: number;
}

export interface StateTransaction {
  readonly view: StateView;
  unloadedKeys(): string[];
  /** Loads `keys` and resets every item to its stored value, ready for a fresh pass. */
  load(keys: readonly string[]): Promise<void>;
  commit(): Promise<CommitResult>;
  /** Whether this batch already published the alert (a retried delivery). */
  isPublished(fingerprint: string): boolean;
  markPublished(fingerprint: string): Promise<void>;
}

export interface StateStore {
  /** `now` is the batch's latest event time: stores expire items by event time, not wall clock. */
  begin(batchId: string, now: number): Promise<StateTransaction>;
}
