import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../../functions/engine/events/engine-event.js';
import type { MemoryStateStore } from '../../../../functions/engine/state/memory-store.js';
import { findingsOf, mcpEvent, runEvents, type EventInput } from '../../../helpers/engine-harness.js';

const ID = 'AGT-UNUSUAL-TOOL';
const HOUR = 3600;
const DAY = 24 * HOUR;

function call(time: number, tool: string, overrides: Partial<EventInput> = {}) {
  return mcpEvent({
    event: 'mcp.call',
    time,
    server: { name: 'files-mcp' },
    session: 'sess-0',
    principal: { sub: 'user-42' },
    client: { name: 'claude-code' },
    rpc: { id: 1, method: 'tools/call' },
    tool,
    ...overrides,
  });
}

/** 20 calls of read_file/list_dir spread over two days, each day its own session. */
function history(overrides: Partial<EventInput> = {}): EngineEvent[] {
  return Array.from({ length: 20 }, (_, i) =>
    call(i < 10 ? i * 60 : DAY + i * 60, i % 2 ? 'read_file' : 'list_dir', { session: i < 10 ? 'day-1' : 'day-2', ...overrides }),
  );
}

async function run(events: EngineEvent[], config?: Record<string, unknown>) {
  return findingsOf(await runEvents(events, { only: [ID], ...(config ? { config } : {}) }), ID);
}

describe('AGT-UNUSUAL-TOOL', () => {
  it('an established principal using a new tool → low, a new destructive tool → medium, once each', async () => {
    const t = 2 * DAY;
    const findings = await run([
      ...history(),
      call(t, 'search_files', { session: 'day-3' }),
      call(t + 10, 'delete_file', { session: 'day-3' }),
      call(t + 20, 'search_files', { session: 'day-3' }),
      call(t + 30, 'read_file', { session: 'day-3' }),
    ]);
    expect(findings.map((f) => [f.severity, f.subject, f.evidence?.destructive, f.evidence?.knownTools])).toEqual([
      ['low', 'principal:user-42 tool=search_files', false, 2],
      ['medium', 'principal:user-42 tool=delete_file', true, 3],
    ]);
    expect(findings[0]?.evidence).toEqual({ reason: 'first-use', destructive: false, knownTools: 2, historyDays: 2 });
  });

  it('near miss: a brand-new principal trying many tools is still learning', async () => {
    const tools = ['a_tool', 'b_tool', 'delete_all', 'c_tool', 'd_tool', 'e_tool', 'f_tool', 'g_tool', 'h_tool', 'i_tool', 'j_tool', 'k_tool'];
    expect(await run(tools.map((tool, i) => call(i, tool)))).toHaveLength(0);
  });

  it('near miss: 20+ calls but less than a day of history is still learning', async () => {
    const busyHour = Array.from({ length: 30 }, (_, i) => call(i * 60, 'read_file'));
    expect(await run([...busyHour, call(2 * HOUR, 'delete_file')])).toHaveLength(0);
  });

  it('histories are per principal and per server; without a principal the client name is the agent', async () => {
    const t = 2 * DAY;
    const findings = await run([
      ...history(),
      call(t, 'search_files', { principal: { sub: 'user-7' } }),
      call(t + 1, 'search_files', { server: { name: 'other-mcp' } }),
      ...history({ principal: undefined, client: { name: 'cursor' } }),
      call(t + 2, 'run_shell', { principal: undefined, client: { name: 'cursor' } }),
    ]);
    expect(findings.map((f) => [f.severity, f.subject])).toEqual([['medium', 'client:cursor tool=run_shell']]);
  });

  it('near miss: unknown-tool errors are not tool use; the learned state carries across batches', async () => {
    const t = 2 * DAY;
    const events = [
      ...history(),
      call(t, 'rm_rf', { error: { code: -32602, message: 'Unknown tool: rm_rf' } }),
      call(t + 1, 'export_csv'),
    ];
    const findings = findingsOf(await runEvents(events, { only: [ID], batchSize: 4 }), ID);
    expect(findings.map((f) => f.subject)).toEqual(['principal:user-42 tool=export_csv']);
  });

  it('a session with far more distinct tools than usual → low, once, at the crossing', async () => {
    // Learning settings off so only the session rule speaks.
    const config = { detectors: { [ID]: { learningCalls: 100_000 } } };
    const usual: EngineEvent[] = [];
    for (let s = 0; s < 5; s++) {
      for (let k = 0; k < 4; k++) usual.push(call(s * 2 * HOUR + k, k % 2 ? 'read_file' : 'list_dir', { session: `usual-${s}` }));
    }
    const sweepStart = 12 * HOUR;
    const sweep = Array.from({ length: 13 }, (_, i) => call(sweepStart + i, `tool_${i}`, { session: 'sweep' }));
    const findings = await run([...usual, ...sweep], config);
    expect(findings.map((f) => [f.severity, f.subject, f.evidence?.distinctTools])).toEqual([['low', 'principal:user-42 session=sweep', 11]]);
    expect(findings[0]?.evidence).toEqual({ reason: 'session-tools', distinctTools: 11, limit: 10, baselineMean: 2, baselineSessions: 5 });
  });

  it('near miss: 10 distinct tools, or fewer sessions than the baseline needs, do not fire', async () => {
    const config = { detectors: { [ID]: { learningCalls: 100_000 } } };
    const usual: EngineEvent[] = [];
    for (let s = 0; s < 5; s++) usual.push(call(s * 2 * HOUR, 'read_file', { session: `usual-${s}` }));
    const ten = Array.from({ length: 10 }, (_, i) => call(12 * HOUR + i, `tool_${i}`, { session: 'ten' }));
    expect(await run([...usual, ...ten], config)).toHaveLength(0);
    const fewSessions = usual.slice(0, 4);
    const fifteen = Array.from({ length: 15 }, (_, i) => call(12 * HOUR + i, `tool_${i}`, { session: 'many' }));
    expect(await run([...fewSessions, ...fifteen], config)).toHaveLength(0);
  });

  it('a high baseline raises the limit to multiplier × mean', async () => {
    const config = { detectors: { [ID]: { learningCalls: 100_000 } } };
    const usual: EngineEvent[] = [];
    for (let s = 0; s < 5; s++) {
      for (let k = 0; k < 5; k++) usual.push(call(s * 2 * HOUR + k, `tool_${k}`, { session: `usual-${s}` }));
    }
    const sixteen = Array.from({ length: 16 }, (_, i) => call(12 * HOUR + i, `tool_${i}`, { session: 'big' }));
    const findings = await run([...usual, ...sixteen], config);
    // mean 5 → limit 15: the 16th distinct tool crosses it.
    expect(findings.map((f) => [f.evidence?.distinctTools, f.evidence?.limit])).toEqual([[16, 15]]);
  });

  it('state stays bounded: tool history is capped with least-recently-used eviction', async () => {
    const config = { detectors: { [ID]: { maxToolsPerPrincipal: 8, learningCalls: 1, learningDays: 0 } } };
    const events = [call(0, 'first_tool'), ...Array.from({ length: 40 }, (_, i) => call(10 + i, `tool_${i}`))];
    const result = await runEvents(events, { only: [ID], config });
    const store = result.store as MemoryStateStore;
    const key = [...store.keys()].find((k) => k.startsWith(`${ID}|files-mcp|tools|`));
    const item = key !== undefined ? store.peek(key) : undefined;
    expect(item?.k).toBe('r');
    expect(Object.keys(item?.k === 'r' ? item.v : {})).toHaveLength(10);
    // Every new tool after the first call is a first use.
    expect(findingsOf(result, ID).filter((f) => f.evidence?.reason === 'first-use')).toHaveLength(40);
  });
});
