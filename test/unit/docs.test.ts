import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadEngineConfig, defaultEngineConfig } from '../../functions/engine/config/defaults.js';
import { ALL_DETECTORS } from '../../functions/engine/detectors/registry.js';
import { GENERATED } from '../../scripts/generate-docs.js';

describe('generated documentation', () => {
  it.each(GENERATED.map(([path, content]) => [path, content] as const))('%s is up to date (run `npm run docs`)', (path, content) => {
    expect(readFileSync(path, 'utf8')).toBe(content());
  });

  it('the default config file parses to exactly the built-in defaults', () => {
    const result = loadEngineConfig(readFileSync('config/watchtower.default.yaml', 'utf8'));
    expect(result.ok && result.config).toEqual(defaultEngineConfig());
  });

  it('the shipped watchtower.config.yaml is valid', () => {
    const result = loadEngineConfig(readFileSync('watchtower.config.yaml', 'utf8'), 'watchtower.config.yaml');
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('every detector documents what, why, tuning, runbook and references, and every setting has a description', () => {
    for (const d of ALL_DETECTORS) {
      expect(d.meta.title.length, d.meta.id).toBeGreaterThan(5);
      for (const field of ['detects', 'why', 'tuning', 'runbook'] as const) expect(d.meta[field].length, `${d.meta.id}.${field}`).toBeGreaterThan(20);
      expect(d.meta.references.length, d.meta.id).toBeGreaterThan(0);
      for (const [name, schema] of Object.entries(d.settings.shape as Record<string, { description?: string }>)) {
        expect(schema.description ?? '', `${d.meta.id}.${name}`).not.toBe('');
      }
    }
    expect(ALL_DETECTORS.map((d) => d.meta.id)).toHaveLength(29);
  });
});
