/**
 * `canonical`: the project's own v1 events (`{"v":1,"event":...}`), passed to detectors as parsed,
 * unknown fields kept. A wrongly typed optional field is dropped rather than losing the event; a
 * wrong `v`, `event` or `time` makes the line unparsed. A tools/list `mcp.call` that carries the
 * definitions under `result.tools` also yields the equivalent `mcp.tools` event (log-format.md).
 */
import { asObject, type JsonObject } from '../fields.js';
import type { ConvertResult, LineContext } from '../line-context.js';
import { isJsonObjectValue, type SourceFormatModule } from './format.js';
import { toolDefinitions } from '../rpc-result.js';
import type { McpEvent } from '../schema.js';
import { isoTimestamp } from '../time.js';

/** Recogniser: a JSON object with `"v":1` and an `event`. */
export function isCanonicalObject(obj: JsonObject): boolean {
  return obj.v === 1 && obj.event !== undefined;
}

/** Fields of a call that describe who and where, copied onto the derived mcp.tools event. */
const CONTEXT_FIELDS = [
  'server',
  'transport',
  'protocolVersion',
  'session',
  'trace',
  'client',
  'principal',
  'http',
] as const;

export function convertCanonical(obj: JsonObject, ctx: LineContext): ConvertResult {
  const ts = typeof obj.time === 'string' ? isoTimestamp(obj.time) : Number.NaN;
  if (Number.isNaN(ts)) return 'canonical event without a valid ISO-8601 time';
  // emit validates (and repairs) the event: one check per event on the hot path.
  if (!ctx.emit(obj, ts)) return 'canonical event without a valid v, event or time';
  const event = obj as McpEvent;
  if (event.event === 'mcp.call' && event.rpc?.method === 'tools/list') {
    const tools = toolDefinitions(event.result);
    if (tools) {
      const listing: JsonObject = { v: 1, event: 'mcp.tools', time: event.time };
      for (const key of CONTEXT_FIELDS) if (event[key] !== undefined) listing[key] = event[key];
      listing.rpc = event.rpc;
      listing.tools = tools;
      const nextCursor = asObject(event.result)?.nextCursor;
      if (typeof nextCursor === 'string') listing.nextCursor = nextCursor;
      ctx.emit(listing, ts);
    }
  }
  return undefined;
}

export const canonicalFormat: SourceFormatModule = {
  name: 'canonical',
  detect: (value) => isJsonObjectValue(value) && isCanonicalObject(value),
  normalize: (value, ctx) => convertCanonical(value as JsonObject, ctx),
};
