/** A problem with how the CLI was called or configured: printed without a stack, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_USAGE = 2;
/** An alert at or above `--fail-on` fired. */
export const EXIT_ALERTS = 3;
