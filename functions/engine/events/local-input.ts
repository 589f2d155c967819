/**
 * What the CLI reads from a file or stdin, as raw records. Detected, in this order:
 * - the whole text is one JSON document: a subscription event `{"awslogs":{"data":...}}`, a
 *   decoded payload `{"logEvents":[...]}`, a Kinesis event `{"Records":[{"kinesis":{"data":...}}]}`,
 *   or an array of these; any other JSON document spanning several lines is one log line;
 * - the whole text is bare base64 gzip (`H4sI…`) of a payload;
 * - otherwise one log line per line, where a line may itself be one of the payload forms above
 *   (an `awslogs` event, a decoded payload, base64 gzip) and expands to its log events.
 * Plain lines get the id `<source>:<lineNo>`; payload events keep their CloudWatch id. A payload that
 * does not decode is kept as a plain line, so it is counted (and shown) as unparsed, not thrown.
 */
import { asCloudWatchLogsData, decodeCloudWatchData, recordsOf } from './cloudwatch.js';
import { parseJsonBounded, TOO_DEEP } from './json-depth.js';
import type { RawLogRecord } from './line-context.js';

/** First keys that mark a line as a payload rather than a log line (checked before parsing it). */
const PAYLOAD_KEYS = [
  '"awslogs"',
  '"messageType"',
  '"logEvents"',
  '"owner"',
  '"logGroup"',
  '"logStream"',
  '"subscriptionFilters"',
  '"Records"',
];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Depth-bounded: a document nested too deep is not a payload (its lines go to the Normalizer, which counts them). */
function tryParse(text: string): unknown {
  const value = parseJsonBounded(text);
  return value === TOO_DEEP ? undefined : value;
}

function withIds(records: RawLogRecord[], source: string): RawLogRecord[] {
  return records.map((r, i) => (r.id ? r : { ...r, id: `${source}#${i + 1}` }));
}

function decoded(base64Gzip: string): RawLogRecord[] | undefined {
  try {
    return recordsOf(decodeCloudWatchData(base64Gzip));
  } catch {
    return undefined;
  }
}

/** The log events of a payload in any of its forms, or `undefined` when `value` is not one (or does not decode). */
function payloadRecords(value: unknown, source: string): RawLogRecord[] | undefined {
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    const all: RawLogRecord[] = [];
    for (const item of value) {
      const records = payloadRecords(item, source);
      if (!records) return undefined;
      for (const r of records) all.push(r);
    }
    return all;
  }
  if (!isObject(value)) return undefined;
  const awslogs = value.awslogs;
  if (isObject(awslogs) && typeof awslogs.data === 'string') return decoded(awslogs.data);
  if (Array.isArray(value.logEvents)) {
    try {
      return withIds(recordsOf(asCloudWatchLogsData({ messageType: 'DATA_MESSAGE', ...value })), source);
    } catch {
      return undefined;
    }
  }
  if (Array.isArray(value.Records)) {
    const all: RawLogRecord[] = [];
    for (const r of value.Records) {
      const kinesis = isObject(r) ? r.kinesis : undefined;
      const records =
        isObject(kinesis) && typeof kinesis.data === 'string' ? decoded(kinesis.data) : undefined;
      if (!records) return undefined;
      for (const record of records) all.push(record);
    }
    return all;
  }
  return undefined;
}

/** `H4sI` (gzip's magic bytes in base64) followed by base64 characters only (line breaks allowed). */
function isBase64Gzip(text: string): boolean {
  if (!text.startsWith('H4sI')) return false;
  for (let i = 4; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const base64 =
      (c >= 65 && c <= 90) ||
      (c >= 97 && c <= 122) ||
      (c >= 48 && c <= 57) ||
      c === 43 ||
      c === 47 ||
      c === 61;
    if (!base64 && c !== 10 && c !== 13) return false;
  }
  return true;
}

/** A line whose first key says it is a payload (`{"awslogs":…`, `{"messageType":…`), without parsing it. */
function looksLikePayloadLine(line: string): boolean {
  let i = 1;
  while (i < line.length && line.charCodeAt(i) <= 32) i++;
  for (const key of PAYLOAD_KEYS) if (line.startsWith(key, i)) return true;
  return false;
}

export function recordsFromText(text: string, source: string): RawLogRecord[] {
  const trimmed = text.trim();
  if (trimmed.length === 0) return [];
  const first = trimmed.charCodeAt(0);
  if (first === 123 /* { */ || first === 91 /* [ */) {
    const whole = tryParse(trimmed);
    if (whole !== undefined) {
      const records = payloadRecords(whole, source);
      if (records) return records;
      if (trimmed.includes('\n')) return [{ message: JSON.stringify(whole), id: `${source}:1` }];
    }
  } else if (isBase64Gzip(trimmed) && !trimmed.includes('\nH4sI')) {
    // One payload, possibly wrapped over several lines (several payloads, one per line, are read below).
    const records = decoded(trimmed.replace(/\s+/g, ''));
    if (records) return records;
  }

  const out: RawLogRecord[] = [];
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    let line = text.slice(start, end);
    start = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim().length === 0) continue;
    const id = `${source}:${lineNo}`;
    let records: RawLogRecord[] | undefined;
    const c = line.charCodeAt(0);
    if (c === 123 && looksLikePayloadLine(line)) records = payloadRecords(tryParse(line), id);
    else if (c === 72 /* H */ && isBase64Gzip(line)) records = decoded(line);
    if (records) for (const r of records) out.push(r);
    else out.push({ message: line, id });
  }
  return out;
}
