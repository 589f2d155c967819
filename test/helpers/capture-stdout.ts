/**
 * Captures what a handler writes — Powertools Logger JSON lines (errors go to stderr) and EMF
 * metric lines (stdout) — while `work` runs.
 */
export interface Captured<T> {
  readonly result: T;
  readonly lines: Array<Record<string, unknown>>;
}

type Write = typeof process.stdout.write;

export async function captureStdout<T>(work: () => Promise<T>): Promise<Captured<T>> {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((s) => s.write);
  const capture = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as Write;
  for (const s of streams) s.write = capture;
  let result: T;
  try {
    result = await work();
  } finally {
    streams.forEach((s, i) => (s.write = originals[i] as Write));
  }
  const lines: Array<Record<string, unknown>> = [];
  for (const line of chunks.join('').split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // not a JSON line
    }
  }
  return { result, lines };
}

type EmfLine = Record<string, unknown> & { _aws: { CloudWatchMetrics: Array<{ Dimensions: string[][] }> } };

/** EMF lines (those with an `_aws` block). */
export function emfLines(lines: ReadonlyArray<Record<string, unknown>>): EmfLine[] {
  return lines.filter((l) => '_aws' in l) as EmfLine[];
}
