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
import { redactText, safeSlice } from '../alerts/redact.js';
import { repairCanonical } from './canonical.js';
import type { EngineEvent, EventOrigin, SourceFormat } from './engine-event.js';
import { boundIdentityStrings } from './identity-bounds.js';
import { parseJsonBounded, TOO_DEEP } from './json-depth.js';
import type { JsonObject } from './fields.js';
import type { AnySourceFormat, LineValue } from './formats/format.js';
import { FORMAT_REGISTRY, SOURCE_FORMATS } from './formats/registry.js';
import { CurrentLine, streamKeyOf } from './current-line.js';
import type { ConvertResult, RawLogRecord } from './line-context.js';
import { StreamClock } from './stream-clock.js';

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
  /** Of the unparsed lines, those skipped because their JSON nests deeper than MAX_JSON_DEPTH. */
  tooDeep: number;
  /** Parts of recognised lines (an OTLP span or log record) that could not be read and were skipped; the rest of each line was read. */
  itemsSkipped: number;
  /**
   * Lines read without a time of their own or from CloudWatch (local files): timed by the last
   * time seen in the same file, else the file's modification time.
   */
  timestampsInferred: number;
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
  // Redacted before it is cut (redactText), so a secret crossing the cut is not shown in part.
  const text = redactText(message, SAMPLE_CHARS);
  let clean = '';
  for (let i = 0; i < text.length; i++) clean += isControl(text.charCodeAt(i)) ? '\uFFFD' : text[i];
  return clean.length > SAMPLE_CHARS ? `${safeSlice(clean, SAMPLE_CHARS - 1)}\u2026` : clean;
}

export class Normalizer {
  readonly stats: NormalizeStats = {
    lines: 0,
    events: 0,
    unparsed: 0,
    byFormat: {},
    unparsedSamples: [],
    tooDeep: 0,
    itemsSkipped: 0,
    timestampsInferred: 0,
  };
  /** Set when the current line's JSON was refused for its nesting depth. */
  private tooDeep = false;
  private ready: EngineEvent[] = [];
  private readonly only: SourceFormat | undefined;
  private readonly line: CurrentLine;
  private readonly clock = new StreamClock();
  /** Time of the last event accepted: the stream's latest time for lines without CloudWatch timestamps. */
  private lastTs = 0;
  private readonly formats: readonly AnySourceFormat[] = FORMAT_REGISTRY;
  /** Each format's state (by registry index), created once per Normalizer. */
  private readonly states: unknown[];

  constructor(options: { format?: FormatChoice } = {}) {
    this.only = options.format === undefined || options.format === 'auto' ? undefined : options.format;
    const accept = (event: JsonObject, ts: number, origin: EventOrigin): boolean =>
      this.accept(event, ts, origin);
    this.line = new CurrentLine(
      {
        accept,
        readInner: (inner) => this.readInner(inner),
        skipItems: (count) => void (this.stats.itemsSkipped += count),
      },
      this.clock,
    );
    const emit = (event: JsonObject, ts: number, origin: EventOrigin): void => void accept(event, ts, origin);
    this.states = this.formats.map((format) => format.createState?.(emit));
  }

  /** Reads one record; its events become available from `drain` (paired calls once their response is read). */
  push(record: RawLogRecord): void {
    const stats = this.stats;
    stats.lines++;
    const message: unknown = record.message;
    let verdict: Verdict = UNPARSED;
    const eventsBefore = stats.events;
    if (typeof message === 'string' && message.length > 0) {
      this.line.reset(record);
      this.tooDeep = false;
      try {
        verdict = this.read(message);
      } catch {
        // A converter bug must not fail the batch: the line is counted as unparsed.
        verdict = UNPARSED;
      }
      if (record.timestamp === undefined) this.noteStreamTime(record, eventsBefore, verdict);
    }
    if (verdict === UNPARSED) {
      stats.unparsed++;
      if (this.tooDeep) stats.tooDeep++;
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

  /** A local line (no CloudWatch time): its events' time becomes its stream's latest; an inferred time is counted. */
  private noteStreamTime(record: RawLogRecord, eventsBefore: number, verdict: Verdict): void {
    if (verdict !== UNPARSED && this.line.inferred) this.stats.timestampsInferred++;
    if (this.stats.events === eventsBefore) return;
    const stream = streamKeyOf(record);
    if (stream !== undefined) this.clock.seen(stream, this.lastTs);
  }

  private accept(event: JsonObject, ts: number, origin: EventOrigin): boolean {
    const valid = repairCanonical(event);
    if (!valid || !Number.isFinite(ts)) return false;
    boundIdentityStrings(valid as unknown as Record<string, unknown>);
    this.ready.push({ event: valid, ts, origin });
    this.stats.events++;
    this.lastTs = ts;
    return true;
  }

  /** The one JSON.parse of a line, depth-bounded (json-depth.ts). */
  private parse(text: string): unknown {
    const value = parseJsonBounded(text);
    if (value !== TOO_DEEP) return value;
    this.tooDeep = true;
    return undefined;
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
      return format.normalize(value, this.line.as(counted), this.states[i]) === undefined
        ? counted
        : UNPARSED;
    }
    return UNPARSED;
  }

  /** What a wrapper holds: a JSON object, or a string holding JSON (a batch array included). */
  private readInner(inner: JsonObject | string): ConvertResult {
    const value = typeof inner === 'string' ? this.parseJson(inner) : inner;
    if (value === undefined) return 'wrapped text is not JSON';
    return this.dispatch(value, this.line.format) === UNPARSED
      ? 'nothing readable inside the wrapper'
      : undefined;
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
