/**
 * Raw log lines → canonical events. One Normalizer reads a stream of records (a CloudWatch
 * delivery, a file, stdin), parses it at most once (JSON when it opens with `{` or `[`), hands it
 * to the first registered format that recognises it (./formats/registry.ts), validates every event it emits (the fast check that agrees with
 * McpEventSchema, repairing wrongly typed optional fields) and counts what it could not read.
 * Nothing here throws on input: a line that cannot be read is counted as unparsed and skipped.
 *
 * JSON-RPC requests wait for their response (`drain` returns what is complete); `flush` ends the
 * batch and turns requests still waiting into calls without a result.
 */
import { redactText } from '../alerts/redact.js';
import { repairCanonical } from './canonical.js';
import type { EngineEvent, EventOrigin, SourceFormat } from './engine-event.js';
import type { JsonObject } from './fields.js';
import type { AnySourceFormat, LineValue } from './formats/format.js';
import { FORMAT_REGISTRY, SOURCE_FORMATS } from './formats/registry.js';
import type { ConvertResult, LineContext, RawLogRecord } from './line-context.js';
import { timeFromEpochMs, type EventTime } from './time.js';

export type { RawLogRecord } from './line-context.js';

export type FormatChoice = SourceFormat | 'auto';

export { SOURCE_FORMATS };

export interface NormalizeStats {
  /** Records pushed. */
  lines: number;
  /** Events emitted (drained or still ready). */
  events: number;
  /** Lines in no known format, or too broken to convert; skipped. */
  unparsed: number;
  /** Lines recognised per source format (with or without an event); lines = Σ byFormat + unparsed. */
  byFormat: Partial<Record<SourceFormat, number>>;
  /** The first unparsed lines (at most 5), secrets redacted, each at most 200 characters. */
  unparsedSamples: string[];
}

const MAX_SAMPLES = 5;
const SAMPLE_CHARS = 200;

/** Marks an unparsed line without an allocation; converters' reasons document the cause. */
const UNPARSED = undefined;
type Verdict = SourceFormat | typeof UNPARSED;

function isControl(code: number): boolean {
  return (code < 32 && code !== 9) || code === 127;
}

/** A line fit for a report: control characters replaced, secrets redacted, ≤ 200 characters. */
function sampleOf(message: string): string {
  let text = message.length > SAMPLE_CHARS * 4 ? message.slice(0, SAMPLE_CHARS * 4) : message;
  let clean = '';
  for (let i = 0; i < text.length; i++) clean += isControl(text.charCodeAt(i)) ? '\uFFFD' : text[i];
  text = redactText(clean, SAMPLE_CHARS);
  return text.length > SAMPLE_CHARS ? `${text.slice(0, SAMPLE_CHARS - 1)}\u2026` : text;
}

function originOf(format: SourceFormat, record: RawLogRecord): EventOrigin {
  const origin: { format: SourceFormat; logGroup?: string; logStream?: string; id?: string } = { format };
  if (record.logGroup !== undefined) origin.logGroup = record.logGroup;
  if (record.logStream !== undefined) origin.logStream = record.logStream;
  if (record.id !== undefined) origin.id = record.id;
  return origin;
}

/** The per-line context handed to converters; one instance, reset for every line. */
class Line implements LineContext {
  record: RawLogRecord = { message: '' };
  format: SourceFormat = 'canonical';
  /** A wrapper's own time (console prefix, JSON logger timestamp), preferred to the ingest time. */
  wrapperTime: EventTime | undefined;
  private originMemo: EventOrigin | undefined;
  private ingestTime: EventTime | null | undefined;

  constructor(
    private readonly accept: (event: JsonObject, ts: number, origin: EventOrigin) => boolean,
    private readonly inner: (inner: JsonObject | string) => ConvertResult,
  ) {}

  reset(record: RawLogRecord): void {
    this.record = record;
    this.wrapperTime = undefined;
    this.originMemo = undefined;
    this.ingestTime = undefined;
  }

  as(format: SourceFormat): this {
    if (format !== this.format) this.originMemo = undefined;
    this.format = format;
    return this;
  }

  origin(): EventOrigin {
    return (this.originMemo ??= originOf(this.format, this.record));
  }

  fallbackTime(): EventTime | undefined {
    if (this.wrapperTime) return this.wrapperTime;
    if (this.ingestTime === undefined) {
      const ts = this.record.timestamp;
      this.ingestTime = (typeof ts === 'number' ? timeFromEpochMs(ts) : undefined) ?? null;
    }
    return this.ingestTime ?? undefined;
  }

  emit(event: JsonObject, ts: number, origin?: EventOrigin): boolean {
    return this.accept(event, ts, origin ?? this.origin());
  }

  readInner(inner: JsonObject | string, time: EventTime | undefined): ConvertResult {
    if (time) this.wrapperTime = time;
    return this.inner(inner);
  }
}

export class Normalizer {
  readonly stats: NormalizeStats = { lines: 0, events: 0, unparsed: 0, byFormat: {}, unparsedSamples: [] };
  private ready: EngineEvent[] = [];
  private readonly only: SourceFormat | undefined;
  private readonly line: Line;
  private readonly formats: readonly AnySourceFormat[] = FORMAT_REGISTRY;
  /** Each format's state (by registry index), created once per Normalizer. */
  private readonly states: unknown[];

  constructor(options: { format?: FormatChoice } = {}) {
    this.only = options.format === undefined || options.format === 'auto' ? undefined : options.format;
    const accept = (event: JsonObject, ts: number, origin: EventOrigin): boolean =>
      this.accept(event, ts, origin);
    this.line = new Line(accept, (inner) => this.readInner(inner));
    const emit = (event: JsonObject, ts: number, origin: EventOrigin): void => void accept(event, ts, origin);
    this.states = this.formats.map((format) => format.createState?.(emit));
  }

  /** Reads one record; its events become available from `drain` (paired calls once their response is read). */
  push(record: RawLogRecord): void {
    const stats = this.stats;
    stats.lines++;
    const message: unknown = record.message;
    let verdict: Verdict = UNPARSED;
    if (typeof message === 'string' && message.length > 0) {
      this.line.reset(record);
      try {
        verdict = this.read(message);
      } catch {
        // A converter bug must not fail the batch: the line is counted as unparsed.
        verdict = UNPARSED;
      }
    }
    if (verdict === UNPARSED) {
      stats.unparsed++;
      if (stats.unparsedSamples.length < MAX_SAMPLES)
        stats.unparsedSamples.push(sampleOf(typeof message === 'string' ? message : String(message)));
    } else stats.byFormat[verdict] = (stats.byFormat[verdict] ?? 0) + 1;
  }

  /** The events completed so far, in the order they were completed. */
  drain(): EngineEvent[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  /** End of batch: what formats still hold (requests without a response) becomes events; returns every remaining event. */
  flush(): EngineEvent[] {
    for (let i = 0; i < this.formats.length; i++) this.formats[i]?.flush?.(this.states[i]);
    return this.drain();
  }

  private accept(event: JsonObject, ts: number, origin: EventOrigin): boolean {
    const valid = repairCanonical(event);
    if (!valid || !Number.isFinite(ts)) return false;
    this.ready.push({ event: valid, ts, origin });
    this.stats.events++;
    return true;
  }

  private parse(text: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  }

  /** A JSON object or array when `text` parses as one, else `undefined`. */
  private parseJson(text: string): JsonObject | unknown[] | undefined {
    const value = this.parse(text);
    return typeof value === 'object' && value !== null ? (value as JsonObject | unknown[]) : undefined;
  }

  private read(message: string): Verdict {
    let text = message;
    let c = text.charCodeAt(0);
    if (c <= 32) {
      text = text.trim();
      c = text.charCodeAt(0);
    }
    // `{` and `[` open JSON; a line that opens so and does not parse is text (a `[INFO]` console line).
    const value = c === 123 /* { */ || c === 91 /* [ */ ? (this.parseJson(text) ?? text) : text;
    return this.dispatch(value, undefined);
  }

  /**
   * The first registered format that recognises `value` reads it. `outer` is the wrapper format
   * already taken off (the line is counted under it; no second wrapper is looked for); a named
   * `--format` must be the format that recognises the outer line.
   */
  private dispatch(value: LineValue, outer: SourceFormat | undefined): Verdict {
    // No closures here: this runs once per line (and tsx's keepNames makes closures costly).
    const formats = this.formats;
    for (let i = 0; i < formats.length; i++) {
      const format = formats[i] as AnySourceFormat;
      if (outer !== undefined && format.wrapper === true) continue;
      if (!format.detect(value)) continue;
      if (outer === undefined && this.only !== undefined && format.name !== this.only) return UNPARSED;
      const counted = outer ?? format.name;
      return format.normalize(value, this.line.as(counted), this.states[i]) === undefined ? counted : UNPARSED;
    }
    return UNPARSED;
  }

  /** What a wrapper holds: a JSON object, or a string holding JSON (a batch array included). */
  private readInner(inner: JsonObject | string): ConvertResult {
    const value = typeof inner === 'string' ? this.parseJson(inner) : inner;
    if (value === undefined) return 'wrapped text is not JSON';
    return this.dispatch(value, this.line.format) === UNPARSED ? 'nothing readable inside the wrapper' : undefined;
  }
}

/** Normalizes a whole batch: every record, then the end-of-batch flush. */
export function normalizeRecords(
  records: Iterable<RawLogRecord>,
  options: { format?: FormatChoice } = {},
): { events: EngineEvent[]; stats: NormalizeStats } {
  const normalizer = new Normalizer(options);
  for (const record of records) normalizer.push(record);
  const events = normalizer.drain();
  for (const event of normalizer.flush()) events.push(event);
  return { events, stats: normalizer.stats };
}
