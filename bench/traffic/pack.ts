/**
 * Packs generated log lines into CloudWatch Logs subscription payloads, the way CloudWatch
 * delivers them: per log stream, up to `maxEvents` events, gzip + base64.
 */
import { encodeCloudWatchData } from '../../functions/engine/events/cloudwatch.js';
import type { LogLine } from './lines.js';

export interface PackedPayload {
  /** base64(gzip(JSON)) exactly as `event.awslogs.data`. */
  readonly data: string;
  readonly events: number;
}

/** One subscription payload of `lines` (labelled with the first line's group and stream); ids continue from `firstId`. */
export function payloadOf(lines: readonly LogLine[], firstId: number): PackedPayload {
  const first = lines[0] as LogLine;
  let id = firstId;
  const data = encodeCloudWatchData({
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: first.logGroup,
    logStream: first.logStream,
    subscriptionFilters: ['mcp-watchtower'],
    logEvents: lines.map((l) => ({ id: String(++id).padStart(20, '0'), timestamp: l.t, message: l.message })),
  });
  return { data, events: lines.length };
}

export function* packPayloads(lines: Iterable<LogLine>, maxEvents = 1000, maxSpanMs = 60_000): Generator<PackedPayload> {
  const buffers = new Map<string, LogLine[]>();
  let eventId = 0;
  const flush = (key: string): PackedPayload | undefined => {
    const buffer = buffers.get(key);
    buffers.delete(key);
    if (!buffer || buffer.length === 0) return undefined;
    const payload = payloadOf(buffer, eventId);
    eventId += buffer.length;
    return payload;
  };
  for (const line of lines) {
    const key = `${line.logGroup}\u0000${line.logStream}`;
    let buffer = buffers.get(key);
    if (buffer && buffer.length > 0 && line.t - (buffer[0] as LogLine).t > maxSpanMs) {
      const out = flush(key);
      if (out) yield out;
      buffer = undefined;
    }
    if (!buffer) {
      buffer = [];
      buffers.set(key, buffer);
    }
    buffer.push(line);
    if (buffer.length >= maxEvents) {
      const out = flush(key);
      if (out) yield out;
    }
  }
  for (const key of [...buffers.keys()]) {
    const out = flush(key);
    if (out) yield out;
  }
}
