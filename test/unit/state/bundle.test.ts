import { describe, expect, it } from 'vitest';
import { bundleOf, ENTITY_SHARDS, legacyBundleOf } from '../../../functions/engine/state/bundle.js';

describe('bundleOf: which stored item holds a state key', () => {
  it('puts every detector\'s state of one session in one bundle, whatever the spelling', () => {
    const sid = '2dd14fdc-4';
    const keys = [
      `AGT-TOXIC-FLOW|*|session|${sid}`,
      `AUTH-SESSION-HIJACK|mail-mcp|session|${sid}`,
      `API-RATE|mail-mcp|calls|session|${sid}`,
      `API-LOOP|mail-mcp|calls|session:${sid}`,
      `AGT-ELICITATION-FLOOD|mail-mcp|trips|session=${sid}`,
    ];
    expect(new Set(keys.map(bundleOf))).toEqual(new Set([`s|${sid}`]));
  });

  it('keeps every detector\'s state of one entity of a server in one shard, apart from sessions of the same id', () => {
    const shard = bundleOf('API-RATE|mail-mcp|calls|principal|user-14');
    expect(shard).toMatch(/^e\|mail-mcp\|~\d+$/);
    expect(bundleOf('AGT-UNUSUAL-TOOL|mail-mcp|tools|principal:user-14')).toBe(shard);
    expect(bundleOf('AUTH-NEW-PRINCIPAL|mail-mcp|principal|user-14')).toBe(shard);
    expect(bundleOf('AUTH-NEW-PRINCIPAL|crm-mcp|principal|user-14')).toBe(shard.replace('mail-mcp', 'crm-mcp'));
    expect(bundleOf('API-RATE|mail-mcp|calls|session|user-14')).toBe('s|user-14');
  });

  it('spreads a server\'s entities over ENTITY_SHARDS items, the same way in every process', () => {
    const shards = new Set<string>();
    for (let i = 0; i < 400; i++) shards.add(bundleOf(`AUTH-UNAUTHENTICATED|mail-mcp|list|ip=203.0.${i >> 8}.${i & 255}`));
    expect(shards.size).toBe(ENTITY_SHARDS);
    // Pinned: the layout of stored items depends on this hash (FNV-1a: 'a' 0xe40c292c, 'b' 0xe70c2de5).
    expect(bundleOf('AUTH-UNAUTHENTICATED|mail-mcp|list|ip=203.0.113.1')).toBe(bundleOf('API-RATE|mail-mcp|calls|ip|203.0.113.1'));
    expect([bundleOf('API-RATE|m|calls|principal|a'), bundleOf('API-RATE|m|calls|principal|b')]).toEqual(['e|m|~4', 'e|m|~5']);
  });

  it('names the previous layout\'s per-entity bundle for entity keys only', () => {
    expect(legacyBundleOf('API-RATE|mail-mcp|calls|principal|user-14')).toBe('e|mail-mcp|user-14');
    expect(legacyBundleOf('AUTH-UNAUTHENTICATED|mail-mcp|list|ip=203.0.113.1')).toBe('e|mail-mcp|203.0.113.1');
    expect(legacyBundleOf('API-LOOP|mail-mcp|calls|session:2dd14fdc-4')).toBeUndefined();
    expect(legacyBundleOf('alert|8310a2f094a458b8')).toBeUndefined();
  });

  it('leaves alert-path and engine keys items of their own', () => {
    for (const key of ['alert|8310a2f094a458b8', 'storm|AUTH-BRUTE-FORCE', 'tools|annotations|files-mcp', 'short|key']) {
      expect(bundleOf(key)).toBe(key);
    }
  });

  it('a session-like word elsewhere in a key does not make it session state', () => {
    expect(bundleOf('RES-LATENCY|files-mcp|lat|tools/call:sessions')).toMatch(/^e\|files-mcp\|~\d+$/);
    expect(legacyBundleOf('RES-LATENCY|files-mcp|lat|tools/call:sessions')).toBe('e|files-mcp|tools/call:sessions');
  });
});
