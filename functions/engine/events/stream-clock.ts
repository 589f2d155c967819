/**
 * The last event time seen per stream of a local input (a file, stdin, a log stream without
 * CloudWatch timestamps), so a line without a time of its own takes its stream's latest time
 * instead of being dropped. Bounded: the least recently updated stream is forgotten first.
 */
export const MAX_STREAMS = 10_000;

export class StreamClock {
  private readonly last = new Map<string, number>();

  seen(stream: string, ts: number): void {
    // Re-inserted so the Map's order is least recently updated first.
    if (this.last.has(stream)) this.last.delete(stream);
    else if (this.last.size >= MAX_STREAMS) {
      const oldest = this.last.keys().next().value;
      if (oldest !== undefined) this.last.delete(oldest);
    }
    this.last.set(stream, ts);
  }

  lastSeen(stream: string): number | undefined {
    return this.last.get(stream);
  }
}
