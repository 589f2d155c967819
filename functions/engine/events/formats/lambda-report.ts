/**
 * `lambda-report`: the Lambda platform's per-invocation REPORT line (text log format) or its
 * `platform.report` record (JSON log format) → an `mcp.usage` sample of the function hosting the
 * MCP server: memory used and configured, invocation duration. The server is named after the log
 * group (`/aws/lambda/<fn>` → `<fn>`), its instance is the log stream (one execution environment).
 * The other platform lines (START, END, INIT_START, …, `platform.start`, …) are recognised and
 * carry no event.
 */
import { asNumber, asObject, asString, type JsonObject } from '../fields.js';
import type { ConvertResult, LineContext } from '../line-context.js';
import { isJsonObjectValue, type SourceFormatModule } from './format.js';
import { timeOf, type EventTime } from '../time.js';

const REPORT_PREFIX = 'REPORT RequestId: ';
const PLATFORM_PREFIXES = [
  'START RequestId: ',
  'END RequestId: ',
  'INIT_START ',
  'INIT_REPORT ',
  'INIT_RUNTIME_DONE',
  'RESTORE_START ',
  'RESTORE_REPORT ',
];

/** Recogniser for text lines: a REPORT line or another Lambda platform line. */
export function isLambdaPlatformLine(message: string): boolean {
  if (message.startsWith(REPORT_PREFIX)) return true;
  for (const prefix of PLATFORM_PREFIXES) if (message.startsWith(prefix)) return true;
  return false;
}

/** Recogniser for JSON lines: a Lambda platform record (`"type":"platform.*"`). */
export function isLambdaPlatformObject(obj: JsonObject): boolean {
  return typeof obj.type === 'string' && obj.type.startsWith('platform.') && obj.record !== undefined;
}

/** The number after `label` (`Duration: 12.30 ms` → 12.3), or `undefined`. */
function figureAfter(line: string, label: string): number | undefined {
  const at = line.indexOf(label);
  if (at < 0) return undefined;
  const value = Number.parseFloat(line.slice(at + label.length, at + label.length + 24));
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

interface ReportFigures {
  requestId?: string;
  durationMs?: number;
  billedDurationMs?: number;
  initDurationMs?: number;
  memLimitMb?: number;
  memUsedMb?: number;
  trace?: string;
}

function usageEvent(figures: ReportFigures, time: EventTime, ctx: LineContext): JsonObject {
  const event: JsonObject = { v: 1, event: 'mcp.usage', time: time.iso };
  const server: JsonObject = {};
  const name = ctx.defaultServerName();
  if (name !== undefined) server.name = name;
  const instance = asString(ctx.record.logStream);
  if (instance !== undefined) server.instance = instance;
  if (name !== undefined || instance !== undefined) event.server = server;
  if (figures.trace !== undefined) event.trace = figures.trace;
  if (figures.durationMs !== undefined) event.durationMs = figures.durationMs;
  const usage: JsonObject = {};
  if (figures.memUsedMb !== undefined) usage.memUsedMb = figures.memUsedMb;
  if (figures.memLimitMb !== undefined) usage.memLimitMb = figures.memLimitMb;
  event.usage = usage;
  const lambda: JsonObject = {};
  if (figures.requestId !== undefined) lambda.requestId = figures.requestId;
  if (figures.billedDurationMs !== undefined) lambda.billedDurationMs = figures.billedDurationMs;
  if (figures.initDurationMs !== undefined) lambda.initDurationMs = figures.initDurationMs;
  event.lambda = lambda;
  return event;
}

function emitUsage(figures: ReportFigures, time: EventTime | undefined, ctx: LineContext): ConvertResult {
  if (
    figures.durationMs === undefined &&
    figures.memUsedMb === undefined &&
    figures.memLimitMb === undefined
  ) {
    return 'Lambda REPORT without duration or memory figures';
  }
  if (!time) return 'Lambda REPORT without a time';
  ctx.emit(usageEvent(figures, time, ctx), time.ts);
  return undefined;
}

/** A text platform line: REPORT → mcp.usage at the record's time; the others → nothing. */
export function convertLambdaPlatformLine(message: string, ctx: LineContext): ConvertResult {
  if (!message.startsWith(REPORT_PREFIX)) return undefined;
  const line = message.length > 1024 ? message.slice(0, 1024) : message;
  let idEnd = REPORT_PREFIX.length;
  while (idEnd < line.length && line.charCodeAt(idEnd) > 32) idEnd++;
  const figures: ReportFigures = {
    requestId: asString(line.slice(REPORT_PREFIX.length, idEnd)),
    // The first "Duration: " is the invocation's; "Billed Duration: " and "Init Duration: " follow it.
    durationMs: figureAfter(line, 'Duration: '),
    billedDurationMs: figureAfter(line, 'Billed Duration: '),
    initDurationMs: figureAfter(line, 'Init Duration: '),
    memLimitMb: figureAfter(line, 'Memory Size: '),
    memUsedMb: figureAfter(line, 'Max Memory Used: '),
  };
  const traceAt = line.indexOf('XRAY TraceId: ');
  if (traceAt >= 0) {
    let end = traceAt + 14;
    while (end < line.length && line.charCodeAt(end) > 32) end++;
    figures.trace = asString(line.slice(traceAt + 14, end));
  }
  return emitUsage(figures, ctx.fallbackTime(), ctx);
}

/** A JSON platform record: `platform.report` → mcp.usage at its `time`; the others → nothing. */
export function convertLambdaPlatformObject(obj: JsonObject, ctx: LineContext): ConvertResult {
  if (obj.type !== 'platform.report') return undefined;
  const record = asObject(obj.record);
  const metrics = asObject(record?.metrics);
  const figures: ReportFigures = {
    requestId: asString(record?.requestId),
    durationMs: nonNegative(metrics?.durationMs),
    billedDurationMs: nonNegative(metrics?.billedDurationMs),
    initDurationMs: nonNegative(metrics?.initDurationMs),
    memLimitMb: nonNegative(metrics?.memorySizeMB),
    memUsedMb: nonNegative(metrics?.maxMemoryUsedMB),
  };
  // The X-Ray header value (`Root=1-…;Parent=…;Sampled=1`): its Root is the id the text REPORT shows.
  const header = asString(asObject(record?.tracing)?.value);
  if (header !== undefined) {
    const root = header.split(';').find((part) => part.startsWith('Root='));
    figures.trace = root !== undefined ? root.slice(5) : header;
  }
  return emitUsage(figures, timeOf(obj.time) ?? ctx.fallbackTime(), ctx);
}

function nonNegative(value: unknown): number | undefined {
  const n = asNumber(value);
  return n !== undefined && n >= 0 ? n : undefined;
}

export const lambdaReportFormat: SourceFormatModule = {
  name: 'lambda-report',
  detect: (value) =>
    typeof value === 'string'
      ? isLambdaPlatformLine(value)
      : isJsonObjectValue(value) && isLambdaPlatformObject(value),
  normalize: (value, ctx) =>
    typeof value === 'string'
      ? convertLambdaPlatformLine(value, ctx)
      : convertLambdaPlatformObject(value as JsonObject, ctx),
};
