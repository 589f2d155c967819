import { describe, expect, it } from 'vitest';
import { findingsOf, mcpEvent, runEvents, type EventInput } from '../../../helpers/engine-harness.js';

const ID = 'RES-BULK-READ';

function readResource(time: number, uri: string, overrides: Partial<EventInput> = {}) {
  return mcpEvent({
    event: 'mcp.call',
    time,
    server: { name: 'files-mcp' },
    session: 'sess-1',
    principal: { sub: 'user-42' },
    rpc: { id: time, method: 'resources/read' },
    uri,
    ...overrides,
  });
}

function toolCall(
  time: number,
  tool: string,
  args: Record<string, unknown>,
  overrides: Partial<EventInput> = {},
) {
  return mcpEvent({
    event: 'mcp.call',
    time,
    server: { name: 'files-mcp' },
    session: 'sess-1',
    principal: { sub: 'user-42' },
    rpc: { id: time, method: 'tools/call' },
    tool,
    arguments: args,
    ...overrides,
  });
}

/** `n` distinct resources/read calls, one every `every` seconds. */
function reads(n: number, every = 5, session = 'sess-1') {
  return Array.from({ length: n }, (_, i) =>
    readResource(i * every, `file:///srv/data/reports/${i}.csv`, { session }),
  );
}

describe('RES-BULK-READ', () => {
  it('51 distinct resources read by one session within 10 minutes → one medium finding', async () => {
    const result = await runEvents(reads(60), { only: [ID], batchSize: 13 });
    const findings = findingsOf(result, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'medium',
      subject: 'distinct-resources session=sess-1',
      session: 'sess-1',
      principal: 'user-42',
      evidence: {
        distinctResources: 51,
        threshold: 50,
        windowSeconds: 600,
        lastResource: 'file:///srv/data/reports/50.csv',
      },
    });
    expect(result.alerts.map((a) => [a.detector, a.severity])).toEqual([[ID, 'medium']]);
  });

  it('path arguments of file tools count, including arrays of paths; long URIs are hashed', async () => {
    const long = '/srv/data/' + 'deep/'.repeat(40);
    const events = [
      toolCall(0, 'read_multiple_files', { paths: Array.from({ length: 30 }, (_, i) => `${long}${i}.txt`) }),
      ...Array.from({ length: 21 }, (_, i) => toolCall(10 + i, 'read_file', { path: `/srv/data/${i}.md` })),
    ];
    const result = await runEvents(events, { only: [ID] });
    expect(findingsOf(result, ID).map((f) => [f.subject, f.evidence?.distinctResources])).toEqual([
      ['distinct-resources session=sess-1', 51],
    ]);
    const item = result.store.peek(`${ID}|files-mcp|res|sess-1`);
    const members = item?.k === 'd' ? Object.keys(item.m) : [];
    expect(members).toHaveLength(51);
    expect(members.every((m) => m.length <= 32 || /^#[0-9a-f]{16}$/.test(m))).toBe(true);
  });

  it('a single result above 1 MiB → medium', async () => {
    const events = [readResource(0, 'file:///srv/dump.sql', { result: { bytes: 5 * 1_048_576 } })];
    const findings = findingsOf(await runEvents(events, { only: [ID] }), ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'medium',
      subject: 'large-result session=sess-1',
      evidence: { bytes: 5_242_880, limitBytes: 1_048_576, uri: 'file:///srv/dump.sql' },
    });
  });

  it('near miss: exactly 50 distinct resources, or the same resource read 200 times', async () => {
    expect(findingsOf(await runEvents(reads(50), { only: [ID] }), ID)).toHaveLength(0);
    const repeated = Array.from({ length: 200 }, (_, i) => readResource(i, 'file:///srv/data/big.csv'));
    expect(findingsOf(await runEvents(repeated, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('near miss: a result of exactly 1 MiB; 60 reads spread over 20 minutes; 60 reads split over two sessions', async () => {
    expect(
      findingsOf(
        await runEvents([readResource(0, 'file:///a', { result: { bytes: 1_048_576 } })], { only: [ID] }),
        ID,
      ),
    ).toHaveLength(0);
    // One read every 20 s: at most 30 in any 10-minute window.
    expect(findingsOf(await runEvents(reads(60, 20), { only: [ID] }), ID)).toHaveLength(0);
    const split = [...reads(30, 5, 'sess-a'), ...reads(30, 5, 'sess-b')];
    expect(findingsOf(await runEvents(split, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('near miss: writes and sends (destructive / sink tools) and non-path arguments are not reads', async () => {
    const events = [
      ...Array.from({ length: 30 }, (_, i) =>
        toolCall(i, 'write_file', { path: `/srv/out/${i}.txt`, content: 'x' }),
      ),
      ...Array.from({ length: 30 }, (_, i) => toolCall(30 + i, 'delete_file', { path: `/srv/tmp/${i}` })),
      ...Array.from({ length: 30 }, (_, i) => toolCall(60 + i, 'search', { query: `term ${i}` })),
    ];
    // write_file: "write" is neither sink nor destructive by name, so its 30 paths count; the rest do not.
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toHaveLength(0);
    const labelled = await runEvents(
      [
        ...events,
        ...Array.from({ length: 25 }, (_, i) =>
          toolCall(100 + i, 'write_file', { path: `/srv/more/${i}.txt` }),
        ),
      ],
      { only: [ID], config: { toolLabels: { destructive: ['write_file'] } } },
    );
    expect(findingsOf(labelled, ID)).toHaveLength(0);
  });
});
