/**
 * Per-server traffic figures of a batch (tool calls, tool errors, latency samples, auth failures):
 * they feed the EMF metrics behind the dashboard and the anomaly-band alarms.
 */
import type { EngineEvent } from './events/engine-event.js';

/** Latency samples kept per server per batch (EMF takes at most 100 values per metric per record; callers chunk). */
const MAX_LATENCY_SAMPLES = 1000;

export interface ServerStats {
  toolCalls: number;
  toolErrors: number;
  authFailures: number;
  latencyMs: number[];
}

export function serverStatsOf(events: readonly EngineEvent[]): Map<string, ServerStats> {
  const stats = new Map<string, ServerStats>();
  for (const { event } of events) {
    const kind = event.event;
    if (kind !== 'mcp.call' && kind !== 'mcp.auth') continue;
    const server = event.server?.name ?? 'unknown';
    let s = stats.get(server);
    if (!s) {
      s = { toolCalls: 0, toolErrors: 0, authFailures: 0, latencyMs: [] };
      stats.set(server, s);
    }
    if (kind === 'mcp.auth') {
      if (event.auth?.outcome === 'failure') s.authFailures++;
      continue;
    }
    if (event.rpc?.method !== 'tools/call') continue;
    s.toolCalls++;
    if (event.error !== undefined || event.result?.isError === true) s.toolErrors++;
    if (event.durationMs !== undefined && s.latencyMs.length < MAX_LATENCY_SAMPLES) s.latencyMs.push(event.durationMs);
  }
  return stats;
}
