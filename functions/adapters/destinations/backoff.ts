/** Exponential backoff with full jitter: attempt 1 waits up to base, attempt 2 up to 2×base, … capped. */
export function backoffMs(attempt: number, baseMs: number, capMs = 20_000, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1)));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
