/**
 * What a format converter gets for one log line: the raw record, where the events it produces come
 * from, a fallback time, and the emitter. The Normalizer validates every emitted event
 * (repairCanonical) before it reaches the engine.
 */
import type { EventOrigin, SourceFormat } from './engine-event.js';
import type { JsonObject } from './fields.js';
import type { EventTime } from './time.js';

/** One log line as it arrives: a CloudWatch log event, or a line of a local file. */
export interface RawLogRecord {
  readonly message: string;
  /** CloudWatch ingest time, epoch milliseconds. */
  readonly timestamp?: number;
  /** CloudWatch event id, or `<file>:<line>` for local files. */
  readonly id?: string;
  readonly logGroup?: string;
  readonly logStream?: string;
}

export interface LineContext {
  readonly record: RawLogRecord;
  /** The format the line is counted under (the outer one for wrapped lines). */
  readonly format: SourceFormat;
  origin(): EventOrigin;
  /** The line's own time when a wrapper carries one (a Lambda console line), else the CloudWatch ingest time. */
  fallbackTime(): EventTime | undefined;
  /**
   * Hands one event to the engine; `origin` defaults to this line's. False when the event is not a
   * valid canonical event even after dropping its wrongly typed optional fields (it is not emitted).
   */
  emit(event: JsonObject, ts: number, origin?: EventOrigin): boolean;
  /**
   * For wrapper formats: reads what the line wraps (a JSON object, or a string holding JSON) as
   * one of the other formats, counted under the wrapper; `time` is the wrapper's own time, the
   * fallback for the inner line. `undefined` when it was read, else why not.
   */
  readInner(inner: JsonObject | string, time: EventTime | undefined): ConvertResult;
}

/** Hands an event to the engine from outside a line (events completed later, e.g. paired requests). */
export type EmitEvent = (event: JsonObject, ts: number, origin: EventOrigin) => void;

/** A converter's verdict on a line it recognised: `undefined` when handled, else why it is unparsed. */
export type ConvertResult = string | undefined;
