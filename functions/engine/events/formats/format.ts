/**
 * The shape of one source format (docs/log-format.md "How each source format is mapped"): a name,
 * a cheap recogniser and a converter. The Normalizer tries the registered formats in order
 * (./registry.ts) and hands a line to the first whose `detect` accepts it.
 */
import type { SourceFormat } from '../engine-event.js';
import type { JsonObject } from '../fields.js';
import type { ConvertResult, EmitEvent, LineContext } from '../line-context.js';

/**
 * A line as the Normalizer hands it over: a parsed JSON object, a parsed JSON array, or a text
 * line that is not JSON (the line is parsed once, before any format sees it).
 */
export type LineValue = JsonObject | readonly unknown[] | string;

export interface SourceFormatModule<State = undefined> {
  readonly name: SourceFormat;
  /**
   * A wrapper holds lines of other formats (a logger envelope, an OTLP log body) and hands them
   * back through `ctx.readInner`; a wrapper is not looked for inside another wrapper.
   */
  readonly wrapper?: boolean;
  /** Cheap recogniser (key checks, a prefix): true when this format reads the line. */
  detect(value: LineValue): boolean;
  /** Converts a recognised line, emitting through `ctx`: `undefined` when read, else why it is unparsed. */
  normalize(value: LineValue, ctx: LineContext, state: State): ConvertResult;
  /** State kept across lines by one Normalizer (jsonrpc: requests waiting for their response). */
  createState?(emit: EmitEvent): State;
  /** End of a batch: what is still held becomes events. */
  flush?(state: State): void;
}

/** Any registered format, whatever its state. */
// Method syntax above keeps the parameters bivariant, so every module is assignable to this.
export type AnySourceFormat = SourceFormatModule<unknown>;

/** A parsed JSON object (not an array, not a text line). */
export function isJsonObjectValue(value: LineValue): value is JsonObject {
  return typeof value === 'object' && !Array.isArray(value);
}
