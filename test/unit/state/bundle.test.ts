import { describe, expect, it } from 'vitest';
import { bundleOf } from '../../../functions/engine/state/bundle.js';

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

  it('keeps other entities per server, and apart from sessions of the same id', () => {
    expect(bundleOf('API-RATE|mail-mcp|calls|principal|user-14')).toBe('e|mail-mcp|user-14');
    expect(bundleOf('AGT-UNUSUAL-TOOL|mail-mcp|tools|principal:user-14')).toBe('e|mail-mcp|user-14');
    expect(bundleOf('AUTH-NEW-PRINCIPAL|crm-mcp|principal|user-14')).toBe('e|crm-mcp|user-14');
    expect(bundleOf('AUTH-UNAUTHENTICATED|mail-mcp|list|ip=203.0.113.1')).toBe('e|mail-mcp|203.0.113.1');
  });

  it('leaves alert-path and engine keys items of their own', () => {
    for (const key of ['alert|8310a2f094a458b8', 'storm|AUTH-BRUTE-FORCE', 'tools|annotations|files-mcp', 'short|key']) {
      expect(bundleOf(key)).toBe(key);
    }
  });

  it('a session-like word elsewhere in a key does not make it session state', () => {
    expect(bundleOf('RES-LATENCY|files-mcp|lat|tools/call:sessions')).toBe('e|files-mcp|tools/call:sessions');
  });
});
