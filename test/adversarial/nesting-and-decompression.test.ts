/**
 * D1: deeply nested JSON used to crash the CLI (stack overflow, exit 1) — now such a document is
 * skipped and counted ("skipped: nesting too deep"), in the CLI summary and the EventsTooDeep metric.
 * D4: the ingest handler used to gunzip a payload with no output cap (a 239 KB payload expanded to
 * 180 MB); every entry point now shares one limit (MAX_DECODED_BYTES) and refuses a bomb.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeCloudWatchData, MAX_DECODED_BYTES } from '../../functions/engine/events/cloudwatch.js';
import { normalizeRecords } from '../../functions/engine/events/normalize.js';
import { decodeSubscriptionEvent } from '../../functions/handlers/commons/cloudwatch-delivery.js';
import { captureStdout, emfLines } from '../helpers/capture-stdout.js';
import { runCliCaptured } from '../helpers/cli-io.js';
import { canonicalLine, subscriptionEvent } from '../helpers/cloudwatch-payloads.js';
import { inMemoryIngestHandler } from './support/ingest.js';

const deepArray = (n: number) => `${'['.repeat(n)}{}${']'.repeat(n)}`;
const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

describe('deeply nested JSON (D1)', () => {
  it('replay of a 10,000-deep array document and a 100,000-deep object: no crash, exit 2 (nothing parsed) with the lines counted as nesting too deep', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wt-deep-'));
    const arrays = join(dir, 'd.json');
    writeFileSync(arrays, `[\n${deepArray(10_000)}\n]\n`);
    const objects = join(dir, 'o.json');
    writeFileSync(objects, `{\n"x": ${deepObject(100_000)}\n}\n${deepObject(100_000)}\n`);
    for (const file of [arrays, objects]) {
      const run = await runCliCaptured(['replay', file, '--output', 'json']);
      expect({ file, code: run.code, crash: /RangeError|Maximum call stack/.test(run.stderr) }).toEqual({ file, code: 2, crash: false });
      expect(run.stderr).toMatch(/skipped: nesting too deep 1\b/);
    }
  });

  it('a canonical event nested too deep is skipped and counted, the rest of the batch is read', () => {
    const deep = JSON.stringify({ v: 1, event: 'mcp.call', time: '2026-11-24T10:00:00Z', server: { name: 's' } }).replace(/}$/, `,"arguments":${deepObject(200)}}`);
    const ok = canonicalLine(1, { event: 'mcp.call', server: { name: 's' }, tool: { name: 't' } }).message;
    const { events, stats } = normalizeRecords([{ message: deep }, { message: ok }]);
    expect(events).toHaveLength(1);
    expect(stats).toMatchObject({ lines: 2, unparsed: 1, tooDeep: 1 });
    // Nesting up to the limit still parses; strings full of brackets do not count.
    const fine = normalizeRecords([{ message: ok.replace(/}$/, `,"arguments":{"q":"${'[{'.repeat(5000)}"}}`) }]);
    expect(fine.stats).toMatchObject({ unparsed: 0, tooDeep: 0 });
  });

  it('the ingest handler counts it in the EventsTooDeep metric', async () => {
    const { handler } = inMemoryIngestHandler();
    const lines = [{ timestamp: Date.parse('2026-11-24T10:00:00Z'), message: deepArray(50_000) }, canonicalLine(1, { event: 'mcp.call', server: { name: 's' } })];
    const { result, lines: out } = await captureStdout(() => handler(subscriptionEvent(lines)));
    expect(result).toMatchObject({ status: 'processed', events: 1 });
    expect(emfLines(out).find((l) => 'EventsTooDeep' in l)).toMatchObject({ EventsTooDeep: 1, EventsUnparsed: 1 });
  });
});

describe('decompression limit (D4)', () => {
  // About 20 KB of gzip that expands past the limit: the shape of the reported 239 KB → 180 MB bomb.
  function bomb(): string {
    const message = 'A'.repeat(MAX_DECODED_BYTES + 1024);
    const payload = `{"messageType":"DATA_MESSAGE","owner":"1","logGroup":"/g","logStream":"s","subscriptionFilters":[],"logEvents":[{"id":"1","timestamp":1,"message":"${message}"}]}`;
    return gzipSync(payload, { level: 9 }).toString('base64');
  }

  it('one limit for every entry point: the handler (direct and Kinesis, via decodeSubscriptionEvent, which redrive uses too) and the CLI decoder', async () => {
    const data = bomb();
    expect(data.length).toBeLessThan(100_000);
    expect(() => decodeCloudWatchData(data)).toThrow(/more than 16777216 bytes/);
    const decoded = decodeSubscriptionEvent({ awslogs: { data } });
    expect(decoded).toMatchObject({ ok: false });
    const { handler } = inMemoryIngestHandler();
    const { result } = await captureStdout(() => handler({ awslogs: { data } }));
    expect(result).toMatchObject({ status: 'rejected' });
    expect((result as { error: string }).error).toMatch(/decompresses to more than/);
  });

  it('a CLI input line holding a bomb is counted as unparsed, not expanded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wt-bomb-'));
    const file = join(dir, 'bomb.log');
    writeFileSync(file, `${bomb()}\n`);
    const run = await runCliCaptured(['replay', file, '--output', 'json']);
    // Nothing parsed, so the CLI exits 2 and says why (issue 12); the point here is no expansion, no crash.
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/read 1 log lines → 0 events, 1 unparsed/);
  });
});
