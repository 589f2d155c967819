/**
 * An alert that can never be published as it is (the sink rejected its content, or building the
 * message failed). Sinks throw this instead of a transient error, so the pipeline isolates the one
 * alert — reports it and publishes the rest — rather than failing the batch for ever.
 */
export class UnpublishableAlertError extends Error {
  override readonly name = 'UnpublishableAlertError';

  constructor(reason: string, options?: { readonly cause?: unknown }) {
    super(reason, options);
  }
}

export function isUnpublishable(error: unknown): error is UnpublishableAlertError {
  return error instanceof UnpublishableAlertError;
}

/** An alert the batch could not publish, as reported (no alert content: it may be what is broken). */
export interface UnpublishableAlert {
  readonly fingerprint: string;
  readonly detector: string;
  readonly reason: string;
}
