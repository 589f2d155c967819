/**
 * The LineContext the Normalizer hands to format converters: one instance, reset for every line.
 * It knows where the line came from (origin, stream), its fallback time (wrapper, CloudWatch ingest
 * time, the stream's last time, the file's time) and what a wrapper told about it.
 */
import type { EventOrigin, SourceFormat } from './engine-event.js';
import { asString, serverNameFromLogGroup, type JsonObject } from './fields.js';
import {
  DERIVED_SESSION_PREFIX,
  type ConvertResult,
  type LineContext,
  type RawLogRecord,
  type WrapperFacts,
} from './line-context.js';
import type { StreamClock } from './stream-clock.js';
import { timeFromEpochMs, type EventTime } from './time.js';

function originOf(format: SourceFormat, record: RawLogRecord): EventOrigin {
  const origin: { format: SourceFormat; logGroup?: string; logStream?: string; id?: string } = { format };
  if (record.logGroup !== undefined) origin.logGroup = record.logGroup;
  if (record.logStream !== undefined) origin.logStream = record.logStream;
  if (record.id !== undefined) origin.id = record.id;
  return origin;
}

/** The stream a record belongs to: its CloudWatch log stream, else its local file; `undefined` when unknown. */
export function streamKeyOf(record: RawLogRecord): string | undefined {
  if (record.logStream !== undefined) return `${record.logGroup ?? ''}:${record.logStream}`;
  if (record.file !== undefined) return `file:${record.file.path}`;
  return undefined;
}

export interface LineHooks {
  accept(event: JsonObject, ts: number, origin: EventOrigin): boolean;
  readInner(inner: JsonObject | string): ConvertResult;
  skipItems(count: number): void;
}

export class CurrentLine implements LineContext {
  record: RawLogRecord = { message: '' };
  format: SourceFormat = 'canonical';
  /** The fallback time of this line was inferred (stream's last time or the file's time). */
  inferred = false;
  private wrapper: WrapperFacts | undefined;
  private originMemo: EventOrigin | undefined;
  private ingestTime: EventTime | null | undefined;

  constructor(
    private readonly hooks: LineHooks,
    private readonly clock: StreamClock,
  ) {}

  reset(record: RawLogRecord): void {
    this.record = record;
    this.wrapper = undefined;
    this.originMemo = undefined;
    this.ingestTime = undefined;
    this.inferred = false;
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
    const wrapperTime = this.wrapper?.time;
    if (wrapperTime) return wrapperTime;
    if (this.ingestTime === undefined) {
      const ts = this.record.timestamp;
      this.ingestTime = (typeof ts === 'number' ? timeFromEpochMs(ts) : undefined) ?? null;
    }
    if (this.ingestTime) return this.ingestTime;
    return this.inferredTime();
  }

  /** No time in the line and none from CloudWatch: the stream's last time, else the file's. */
  private inferredTime(): EventTime | undefined {
    const stream = streamKeyOf(this.record);
    const ts = (stream !== undefined ? this.clock.lastSeen(stream) : undefined) ?? this.record.file?.timeMs;
    const time = ts !== undefined ? timeFromEpochMs(ts) : undefined;
    if (time) this.inferred = true;
    return time;
  }

  emit(event: JsonObject, ts: number, origin?: EventOrigin): boolean {
    return this.hooks.accept(event, ts, origin ?? this.origin());
  }

  readInner(inner: JsonObject | string, wrapper: WrapperFacts): ConvertResult {
    // Replaced for every inner line: one OTLP line wraps many records, each with its own facts.
    this.wrapper = wrapper;
    return this.hooks.readInner(inner);
  }

  defaultServerName(): string | undefined {
    return this.wrapper?.serverName ?? serverNameFromLogGroup(this.record.logGroup);
  }

  derivedSession(): string | undefined {
    // Inside a wrapper only the wrapper can tell (a Lambda environment or a collector's stream
    // carries many sessions).
    if (this.wrapper !== undefined) return this.wrapper.derivedSession;
    // A Lambda log stream is one execution environment, which serves many sessions.
    if (this.record.logGroup?.startsWith('/aws/lambda/') === true) return undefined;
    const stream = streamKeyOf(this.record);
    return stream !== undefined ? asString(`${DERIVED_SESSION_PREFIX}${stream}`) : undefined;
  }

  skipItems(count: number): void {
    this.hooks.skipItems(count);
  }
}
