/**
 * Raw log lines → canonical events. One Normalizer reads a stream of records (a CloudWatch
 * delivery, a file, stdin), recognises each line's source format (docs/log-format.md) with a cheap
 * first-character dispatch and at most one JSON.parse of the line, converts it with that format's
 * module (./formats/), validates every event it emits (the fast check that agrees with
 * McpEventSchema, repairing wrongly typed optional fields) and counts what it could not read.
 * Nothing here throws on input: a line that cannot be read is counted as unparsed and skipped.
 *
 * JSON-RPC requests wait for their response (`drain` returns what is complete); `flush` ends the
 * batch and turns requests still waiting into calls without a result.
 */
import { redactText, safeSlice } from '../alerts/redact.js';
import { repairCanonical } from './canonical.js';
import type { EngineEvent, EventOrigin, SourceFormat } from './engine-event.js';
import { asObject, type JsonObject } from './fields.js';
import { boundIdentityStrings } from './identity-bounds.js';
import { parseJsonBounded, TOO_DEEP } from './json-depth.js';
import { convertAgentgateway, isAgentgatewayObject } from './formats/agentgateway.js';
import { convertApiGatewayAccess, isApiGatewayAccessObject } from './formats/apigw-access.js';
import { convertCanonical, isCanonicalObject } from './formats/canonical.js';
import { isJsonRpcBatch, isJsonRpcObject, JsonRpcPairing } from './formats/jsonrpc.js';
import {
  convertLambdaPlatformLine,
  convertLambdaPlatformObject,
  isLambdaPlatformLine,
  isLambdaPlatformObject,
} from './formats/lambda-report.js';
import { jsonLogEnvelope, looksLikePythonConsoleLine, parseConsoleLine } from './formats/lambda-text.js';
import type { ConvertResult, LineContext, RawLogRecord } from './line-context.js';
import { timeFromEpochMs, type EventTime } from './time.js';

export type { RawLogRecord } from './line-context.js';

export type FormatChoice = SourceFormat | 'auto';

export const SOURCE_FORMATS: readonly SourceFormat[] = [
  'canonical',
  'jsonrpc',
  'lambda-text',
  'lambda-report',
  'agentgateway',
  'apigw-access',
];

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

  constructor(private readonly accept: (event: JsonObject, ts: number, origin: EventOrigin) => boolean) {}

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
}

export class Normalizer {
  readonly stats: NormalizeStats = { lines: 0, events: 0, unparsed: 0, byFormat: {}, unparsedSamples: [], tooDeep: 0 };
  /** Set when the current line's JSON was refused for its nesting depth. */
  private tooDeep = false;
  private ready: EngineEvent[] = [];
  private readonly only: SourceFormat | undefined;
  private readonly line: Line;
  private readonly rpc: JsonRpcPairing;

  constructor(options: { format?: FormatChoice } = {}) {
    this.only = options.format === undefined || options.format === 'auto' ? undefined : options.format;
    const accept = (event: JsonObject, ts: number, origin: EventOrigin): boolean =>
      this.accept(event, ts, origin);
    this.line = new Line(accept);
    this.rpc = new JsonRpcPairing((event, ts, origin) => void accept(event, ts, origin));
  }

  /** Reads one record; its events become available from `drain` (paired calls once their response is read). */
  push(record: RawLogRecord): void {
    const stats = this.stats;
    stats.lines++;
    const message: unknown = record.message;
    let verdict: Verdict = UNPARSED;
    if (typeof message === 'string' && message.length > 0) {
      this.line.reset(record);
      this.tooDeep = false;
      try {
        verdict = this.read(message);
      } catch {
        // A converter bug must not fail the batch: the line is counted as unparsed.
        verdict = UNPARSED;
      }
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

  /** End of batch: requests without a response become calls without a result; returns every remaining event. */
  flush(): EngineEvent[] {
    this.rpc.flush();
    return this.drain();
  }

  private accept(event: JsonObject, ts: number, origin: EventOrigin): boolean {
    const valid = repairCanonical(event);
    if (!valid || !Number.isFinite(ts)) return false;
    boundIdentityStrings(valid as unknown as Record<string, unknown>);
    this.ready.push({ event: valid, ts, origin });
    this.stats.events++;
    return true;
  }

  private allows(format: SourceFormat): boolean {
    return this.only === undefined || this.only === format;
  }

  private verdict(format: SourceFormat, result: ConvertResult): Verdict {
    return result === undefined ? format : UNPARSED;
  }

  private read(message: string): Verdict {
    let text = message;
    let c = text.charCodeAt(0);
    if (c <= 32) {
      text = text.trim();
      c = text.charCodeAt(0);
    }
    if (c === 123 /* { */) return this.readJson(text);
    if (c === 91 /* [ */)
      return looksLikePythonConsoleLine(text) ? this.readConsole(text) : this.readJson(text);
    if (c >= 48 && c <= 57) return this.readConsole(text);
    if (c >= 65 && c <= 90 && this.allows('lambda-report') && isLambdaPlatformLine(text)) {
      return this.verdict('lambda-report', convertLambdaPlatformLine(text, this.line.as('lambda-report')));
    }
    return UNPARSED;
  }

  /** The one JSON.parse of a line, depth-bounded (json-depth.ts). */
  private parse(text: string): unknown {
    const value = parseJsonBounded(text);
    if (value !== TOO_DEEP) return value;
    this.tooDeep = true;
    return undefined;
  }

  private readJson(text: string): Verdict {
    const value = this.parse(text);
    if (Array.isArray(value)) {
      if (!this.allows('jsonrpc') || !isJsonRpcBatch(value)) return UNPARSED;
      return this.verdict('jsonrpc', this.rpc.handle(value, this.line.as('jsonrpc')));
    }
    const obj = asObject(value);
    return obj ? this.classify(obj, undefined) : UNPARSED;
  }

  /**
   * One JSON object: the format it is in, tried in order (canonical, jsonrpc, Lambda platform record,
   * agentgateway, API Gateway access log, JSON logger envelope). `outer` is the format of a wrapper
   * already taken off (the line is counted under it, and no second wrapper is taken off).
   */
  private classify(obj: JsonObject, outer: SourceFormat | undefined): Verdict {
    // No closures here: this runs once per JSON line (and tsx's keepNames makes closures costly).
    let format: SourceFormat;
    if (isCanonicalObject(obj)) format = 'canonical';
    else if (isJsonRpcObject(obj)) format = 'jsonrpc';
    else if (isLambdaPlatformObject(obj)) format = 'lambda-report';
    else if (isAgentgatewayObject(obj)) format = 'agentgateway';
    else if (isApiGatewayAccessObject(obj)) format = 'apigw-access';
    else return outer === undefined ? this.readEnvelope(obj) : UNPARSED;
    if (outer === undefined && !this.allows(format)) return UNPARSED;
    const counted = outer ?? format;
    const line = this.line.as(counted);
    let result: ConvertResult;
    switch (format) {
      case 'canonical':
        result = convertCanonical(obj, line);
        break;
      case 'jsonrpc':
        result = this.rpc.handle(obj, line);
        break;
      case 'lambda-report':
        result = convertLambdaPlatformObject(obj, line);
        break;
      case 'agentgateway':
        result = convertAgentgateway(obj, line);
        break;
      default:
        result = convertApiGatewayAccess(obj, line);
    }
    return result === undefined ? counted : UNPARSED;
  }

  /** A JSON logger line (Powertools, Lambda JSON log format) wrapping one of the formats. */
  private readEnvelope(obj: JsonObject): Verdict {
    if (!this.allows('lambda-text')) return UNPARSED;
    const envelope = jsonLogEnvelope(obj);
    if (!envelope) return UNPARSED;
    if (envelope.time) this.line.wrapperTime = envelope.time;
    return this.readWrapped(envelope.inner);
  }

  /** What a logger wrapped: a JSON object, or a string holding JSON (a batch array included). */
  private readWrapped(inner: JsonObject | string): Verdict {
    const value = typeof inner === 'string' ? this.parse(inner) : inner;
    if (Array.isArray(value)) {
      return isJsonRpcBatch(value)
        ? this.verdict('lambda-text', this.rpc.handle(value, this.line.as('lambda-text')))
        : UNPARSED;
    }
    const obj = asObject(value);
    return obj ? this.classify(obj, 'lambda-text') : UNPARSED;
  }

  /** A console line (`<time>\t<requestId>\t<LEVEL>\t<body>`) whose body is JSON. */
  private readConsole(text: string): Verdict {
    if (!this.allows('lambda-text')) return UNPARSED;
    const line = parseConsoleLine(text);
    if (!line) return UNPARSED;
    const body = line.body.trimStart();
    const c = body.charCodeAt(0);
    if (c !== 123 && c !== 91) return UNPARSED;
    this.line.wrapperTime = line.time;
    return this.readWrapped(body);
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
