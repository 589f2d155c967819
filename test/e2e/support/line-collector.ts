/**
 * Collects the log lines an instrumented server writes, each stamped with the wall-clock time it
 * was read (what a CloudWatch agent records as the log event timestamp), and lets a test await a
 * line instead of sleeping.
 */
export interface CapturedLine {
  readonly message: string;
  /** Epoch ms when the line was read. */
  readonly timestamp: number;
}

export type ParsedEvent = Record<string, unknown> & { event?: string; session?: string };

export class LineCollector {
  readonly lines: CapturedLine[] = [];
  private readonly listeners = new Set<() => void>();

  /** A LineWriter: pass it as `write` to instrument()/mcpHttpLogger, or feed it stderr lines. */
  readonly write = (message: string): void => {
    this.lines.push({ message, timestamp: Date.now() });
    for (const listener of [...this.listeners]) listener();
  };

  events(): ParsedEvent[] {
    return this.lines.map((line) => JSON.parse(line.message) as ParsedEvent);
  }

  /** The lines written since `mark` (a previous `lines.length`). */
  since(mark: number): CapturedLine[] {
    return this.lines.slice(mark);
  }

  /** Resolves once `predicate` holds for the parsed events; rejects after `timeoutMs` naming `what`. */
  waitFor(what: string, predicate: (events: ParsedEvent[]) => boolean, timeoutMs = 10_000): Promise<void> {
    if (predicate(this.events())) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!predicate(this.events())) return;
        this.listeners.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(
          new Error(`timed out after ${timeoutMs} ms waiting for ${what}; have ${this.lines.length} lines`),
        );
      }, timeoutMs);
      this.listeners.add(check);
    });
  }
}
