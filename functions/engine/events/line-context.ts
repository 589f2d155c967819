/**
 * What a format converter gets for one log line: the raw record, where the events it produces come
 * from, a fallback time, and the emitter. The Normalizer validates every emitted event
 * (repairCanonical) before it reaches the engine.
 */
import type { EventOrigin, SourceFormat } from './engine-event.js';
import type { JsonObject } from './fields.js';
import type { EventTime } from './time.js';

/** Prefix of sessions the normalizer derives for sources without one (docs/log-format.md "Derived sessions"). */
export const DERIVED_SESSION_PREFIX = 'derived:';

/** One log line as it arrives: a CloudWatch log event, or a line of a local file. */
export interface RawLogRecord {
  readonly message: string;
  /** CloudWatch ingest time, epoch milliseconds. */
  readonly timestamp?: number;
  /** CloudWatch event id, or `<file>:<line>` for local files. */
  readonly id?: string;
  readonly logGroup?: string;
  readonly logStream?: string;
  /** The local file (or stdin) the line was read from: names its stream when there is no log stream. */
  readonly file?: LocalSource;
}

/** A local input, shared by all of its records. */
export interface LocalSource {
  /** The path as given (`stdin` for standard input). */
  readonly path: string;
  /**
   * The file's modification time (epoch ms; for stdin, when reading began): the time of lines
   * without one until a line of the file carries a time.
   */
  readonly timeMs?: number;
}

/** What a wrapper format knows about the line it wraps. */
export interface WrapperFacts {
  /** The wrapper's own time (a console prefix, a logger timestamp, an OTLP log record's time). */
  readonly time?: EventTime | undefined;
  /** The server the wrapper names (an OTLP resource's `service.name`). */
  readonly serverName?: string | undefined;
  /** A session derived from what the wrapper knows (an OTLP resource's process), for lines without one. */
  readonly derivedSession?: string | undefined;
}

export interface LineContext {
  readonly record: RawLogRecord;
  /** The format the line is counted under (the outer one for wrapped lines). */
  readonly format: SourceFormat;
  origin(): EventOrigin;
  /**
   * For lines without a time of their own: the wrapper's time (a Lambda console line), else the
   * CloudWatch ingest time, else (local files) the last time seen in the same stream, else the
   * file's time — the last two are counted as `timestampsInferred`.
   */
  fallbackTime(): EventTime | undefined;
  /**
   * Hands one event to the engine; `origin` defaults to this line's. False when the event is not a
   * valid canonical event even after dropping its wrongly typed optional fields (it is not emitted).
   */
  emit(event: JsonObject, ts: number, origin?: EventOrigin): boolean;
  /**
   * For wrapper formats: reads what the line wraps (a JSON object, or a string holding JSON) as
   * one of the other formats, counted under the wrapper; the wrapper's time is the fallback for
   * the inner line. `undefined` when it was read, else why not.
   */
  readInner(inner: JsonObject | string, wrapper: WrapperFacts): ConvertResult;
  /** The server a line stands for when it names none: the wrapper's, else the log group's (fields.ts). */
  defaultServerName(): string | undefined;
  /**
   * A stable session for a line whose source has none, derived from its stream (`derived:` +
   * log group and stream, or the local file), or from the wrapper; `undefined` when the stream is
   * unknown, or when it carries many clients (a Lambda log stream, or a line inside a Lambda
   * logger envelope: one execution environment serves many sessions).
   */
  derivedSession(): string | undefined;
  /** Counts parts of this line (an OTLP span or log record) that could not be read; the rest of the line was. */
  skipItems(count: number): void;
}

/** Hands an event to the engine from outside a line (events completed later, e.g. paired requests). */
export type EmitEvent = (event: JsonObject, ts: number, origin: EventOrigin) => void;

/** A converter's verdict on a line it recognised: `undefined` when handled, else why it is unparsed. */
export type ConvertResult = string | undefined;
