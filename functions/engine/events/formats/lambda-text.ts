/**
 * `lambda-text`: application log lines with a logger's envelope around the JSON the other formats
 * read. The envelope is taken off here; the Normalizer reads what is inside (canonical, jsonrpc,
 * agentgateway, apigw-access) and counts the line as lambda-text (a wrapper format).
 *
 * - Node Lambda console lines: `2026-11-24T10:00:00.000Z\t<requestId>\tINFO\t{...json...}`
 *   (and Python's `[INFO]\t2026-11-24T10:00:00.000Z\t<requestId>\t{...}`); the prefix time is the
 *   fallback when the JSON has none.
 * - JSON loggers (Powertools Logger, Lambda's JSON log format): an object whose `message` is the
 *   JSON (as a string or an object), or that nests a canonical event under `mcp`, `mcpEvent` or
 *   `event`; its `timestamp`/`time` is the fallback time.
 */
import { asObject, type JsonObject } from '../fields.js';
import type { ConvertResult, LineContext } from '../line-context.js';
import { timeOf, type EventTime } from '../time.js';
import { isJsonObjectValue, type SourceFormatModule } from './format.js';

export interface ConsoleLine {
  readonly time: EventTime;
  readonly requestId: string;
  readonly level: string;
  readonly body: string;
}

const LEVELS = new Set(['TRACE', 'DEBUG', 'INFO', 'WARN', 'WARNING', 'ERROR', 'FATAL', 'CRITICAL']);

function field(message: string, start: number): number {
  return message.indexOf('\t', start);
}

/** Splits a Node (`<time>\t<id>\t<LEVEL>\t<body>`) or Python (`[LEVEL]\t<time>\t<id>\t<body>`) console line. */
export function parseConsoleLine(message: string): ConsoleLine | undefined {
  const python = message.charCodeAt(0) === 91; /* [ */
  const first = field(message, 0);
  if (first < 0 || first > 40) return undefined;
  const second = field(message, first + 1);
  if (second < 0 || second - first > 80) return undefined;
  const third = field(message, second + 1);
  if (third < 0 || third - second > 80) return undefined;
  const timeText = python ? message.slice(first + 1, second) : message.slice(0, first);
  const requestId = python ? message.slice(second + 1, third) : message.slice(first + 1, second);
  const level = python ? message.slice(1, first - 1) : message.slice(second + 1, third);
  if (!LEVELS.has(level)) return undefined;
  const time = timeOf(timeText);
  if (!time) return undefined;
  return { time, requestId, level, body: message.slice(third + 1) };
}

/** Recogniser for lines that open like a Python console line: `[INFO]\t`. */
export function looksLikePythonConsoleLine(message: string): boolean {
  const close = message.indexOf(']');
  return close > 1 && close < 12 && message.charCodeAt(close + 1) === 9;
}

/** Keys under which JSON loggers are known to nest a canonical event. */
const NESTING_KEYS = ['mcp', 'mcpEvent', 'event'] as const;

export interface JsonLogEnvelope {
  /** The wrapped JSON: an object, or a string still to parse. */
  readonly inner: JsonObject | string;
  readonly time: EventTime | undefined;
}

/**
 * Recogniser and unwrapper for JSON logger lines: what they wrap, when it is JSON (a `message`
 * string starting with `{`, a `message` object, a canonical event under a nesting key).
 */
export function jsonLogEnvelope(obj: JsonObject): JsonLogEnvelope | undefined {
  const message = obj.message;
  let inner: JsonObject | string | undefined;
  if (typeof message === 'string') {
    const start = message.charCodeAt(0);
    if (start === 123 /* { */ || start === 91 /* [ */) inner = message;
  } else inner = asObject(message);
  if (inner === undefined) {
    for (const key of NESTING_KEYS) {
      const nested = asObject(obj[key]);
      if (nested?.v === 1) {
        inner = nested;
        break;
      }
    }
  }
  if (inner === undefined) return undefined;
  return { inner, time: timeOf(obj.timestamp) ?? timeOf(obj.time) };
}

/** Recogniser for text lines: a Node console line starts with its time, a Python one with `[LEVEL]\t`. */
function looksLikeConsoleLine(line: string): boolean {
  const c = line.charCodeAt(0);
  return (c >= 48 && c <= 57) || (c === 91 && looksLikePythonConsoleLine(line));
}

/** A console line whose body is JSON: the body is read as one of the other formats. */
function convertConsoleLine(text: string, ctx: LineContext): ConvertResult {
  const line = parseConsoleLine(text);
  if (!line) return 'not a Lambda console line';
  const body = line.body.trimStart();
  const c = body.charCodeAt(0);
  if (c !== 123 && c !== 91) return 'Lambda console line without a JSON body';
  return ctx.readInner(body, { time: line.time });
}

export const lambdaTextFormat: SourceFormatModule = {
  name: 'lambda-text',
  wrapper: true,
  detect: (value) =>
    typeof value === 'string'
      ? looksLikeConsoleLine(value)
      : isJsonObjectValue(value) && jsonLogEnvelope(value) !== undefined,
  normalize: (value, ctx) => {
    if (typeof value === 'string') return convertConsoleLine(value, ctx);
    const envelope = jsonLogEnvelope(value as JsonObject);
    return envelope ? ctx.readInner(envelope.inner, { time: envelope.time }) : 'not a JSON logger line';
  },
};
