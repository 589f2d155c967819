/**
 * The stored bundle formats the DynamoDB store reads: format 3 (members compressed with the state
 * dictionary, `bs` one binary value of 8-byte tags) and format 2 (no dictionary, `bs` a list).
 */
import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { batchTag, parseBundle } from '../../../functions/adapters/dynamodb-state-store.js';
import { STATE_DICTIONARY } from '../../../functions/adapters/state-dictionary.js';

const KEY = 'API-LOOP|mail-mcp|calls|session:2dd14fdc-4';
const MEMBERS = { [KEY]: { k: 'c', x: 1795507820025, b: [59850240, 1, 59850241, 2] } };
const JSON_TEXT = JSON.stringify(MEMBERS);

describe('stored bundle formats', () => {
  it('reads format 3: dictionary-compressed members and packed batch tags', () => {
    const tags = [batchTag('first'), batchTag('second')];
    const bundle = parseBundle('s|2dd14fdc-4', {
      f: { N: '3' },
      v: { N: '7' },
      z: { B: deflateRawSync(Buffer.from(JSON_TEXT), { dictionary: STATE_DICTIONARY }) },
      bs: { B: Buffer.concat(tags.map((t) => Buffer.from(t, 'hex'))) },
    });
    expect(bundle.version).toBe(7);
    expect(bundle.batches).toEqual(tags);
    expect(JSON.parse(bundle.members.get(KEY) ?? 'null')).toEqual(MEMBERS[KEY]);
  });

  it('reads format 2: plain deflate and a list of batch ids or tags', () => {
    const bundle = parseBundle('s|2dd14fdc-4', {
      f: { N: '2' },
      v: { N: '3' },
      z: { B: deflateRawSync(Buffer.from(JSON_TEXT)) },
      bs: { L: [{ S: 'late' }, { S: batchTag('a-long-batch-id-of-many-characters') }] },
    });
    expect(bundle.batches).toEqual(['late', batchTag('a-long-batch-id-of-many-characters')]);
    expect(JSON.parse(bundle.members.get(KEY) ?? 'null')).toEqual(MEMBERS[KEY]);
  });

  it('the dictionary is what format 3 was written with (changing it needs a new format)', () => {
    // Pinned: stored items were compressed with exactly these bytes.
    expect(createHash('sha256').update(STATE_DICTIONARY).digest('hex').slice(0, 16)).toBe('597b6c3a7681dd07');
  });

  it('a batch tag is 64 bits of the id\'s SHA-256', () => {
    expect(batchTag('late')).toMatch(/^[0-9a-f]{16}$/);
    expect(batchTag('late')).not.toBe(batchTag('later'));
  });
});
