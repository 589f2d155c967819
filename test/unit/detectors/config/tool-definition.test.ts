import { describe, expect, it } from 'vitest';
import type { ToolDefinition } from '../../../../functions/engine/events/schema.js';
import {
  canonicalJson,
  definitionTexts,
  hashToolDefinition,
  MAX_DEFINITION_TEXTS,
  MAX_PARAMETER_NAMES,
  parameterNames,
  schemaPropertyNames,
  sha256Hex16,
} from '../../../../functions/engine/text/tool-definition.js';

const readFile: ToolDefinition = {
  name: 'read_file',
  description: 'Reads a file.',
  inputSchema: {
    type: 'object',
    properties: { path: { type: 'string', description: 'Absolute path' } },
    required: ['path'],
  },
  annotations: { readOnlyHint: true },
};

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('bounds depth on a deeply nested value', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 5000; i++) deep = { x: deep };
    const json = canonicalJson(deep);
    expect(json).toContain('"\u2026deep"');
    expect(json.length).toBeLessThan(400);
  });
});

describe('hashToolDefinition', () => {
  it('is 16 hex chars and independent of key order', () => {
    const reordered: ToolDefinition = {
      annotations: { readOnlyHint: true },
      inputSchema: {
        required: ['path'],
        properties: { path: { description: 'Absolute path', type: 'string' } },
        type: 'object',
      },
      description: 'Reads a file.',
      name: 'read_file',
    };
    const a = hashToolDefinition(readFile);
    expect(a.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(hashToolDefinition(reordered)).toEqual(a);
  });

  it('equals sha256-16 of the canonical JSON of the hashed fields (the name is not hashed)', () => {
    const { name: _name, ...rest } = readFile;
    expect(hashToolDefinition(readFile).hash).toBe(sha256Hex16(canonicalJson(rest)));
    expect(hashToolDefinition({ ...readFile, name: 'other' }).hash).toBe(hashToolDefinition(readFile).hash);
  });

  it('changes with any hashed field and says which', () => {
    const base = hashToolDefinition(readFile);
    const changed = hashToolDefinition({
      ...readFile,
      description: 'Reads a file. <IMPORTANT>x</IMPORTANT>',
    });
    expect(changed.hash).not.toBe(base.hash);
    expect(Object.keys(base.fields).sort()).toEqual(['annotations', 'description', 'inputSchema']);
    expect(changed.fields.description).not.toBe(base.fields.description);
    expect(changed.fields.inputSchema).toBe(base.fields.inputSchema);
    expect(hashToolDefinition({ ...readFile, title: 'Read' }).fields.title).toMatch(/^[0-9a-f]{8}$/);
  });

  it('hashes a 200 KB description', () => {
    const big = hashToolDefinition({ ...readFile, description: 'x'.repeat(200_000) });
    expect(big.hash).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('parameterNames', () => {
  it('lists inputSchema.properties in declaration order', () => {
    expect(parameterNames({ type: 'object', properties: { b: {}, a: {}, sidenote: {} } })).toEqual([
      'b',
      'a',
      'sidenote',
    ]);
  });

  it('is empty for odd schemas and capped for huge ones', () => {
    expect(parameterNames(undefined)).toEqual([]);
    expect(parameterNames('x')).toEqual([]);
    expect(parameterNames({ properties: [] })).toEqual([]);
    const properties = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`p${i}`, {}]));
    expect(parameterNames({ properties })).toHaveLength(MAX_PARAMETER_NAMES);
  });
});

describe('schemaPropertyNames', () => {
  it('collects property names at any depth, through items and combinators', () => {
    const schema = {
      type: 'object',
      properties: {
        opts: { type: 'object', properties: { dry_run: { type: 'boolean' } } },
        list: { type: 'array', items: { properties: { item_id: {} } } },
        choice: { anyOf: [{ properties: { mode_a: {} } }] },
      },
    };
    expect(schemaPropertyNames(schema)).toEqual(['opts', 'list', 'choice', 'dry_run', 'item_id', 'mode_a']);
    expect(schemaPropertyNames(null)).toEqual([]);
  });
});

describe('definitionTexts', () => {
  it('takes title, description and schema prose, not schema syntax', () => {
    const texts = definitionTexts({
      ...readFile,
      title: 'Read file',
      inputSchema: {
        type: 'object',
        properties: {
          path: { type: 'string', format: 'uri', description: 'Absolute path', default: '/tmp/x' },
          mode: { enum: ['r', 'rb'] },
        },
        required: ['path'],
      },
      annotations: { title: 'Reader', readOnlyHint: true },
    });
    expect(texts).toEqual([
      { where: 'title', text: 'Read file' },
      { where: 'description', text: 'Reads a file.' },
      { where: 'inputSchema.properties.path.description', text: 'Absolute path' },
      { where: 'inputSchema.properties.path.default', text: '/tmp/x' },
      { where: 'inputSchema.properties.mode.enum[0]', text: 'r' },
      { where: 'inputSchema.properties.mode.enum[1]', text: 'rb' },
      { where: 'annotations.title', text: 'Reader' },
    ]);
  });

  it('is bounded in the number of texts', () => {
    const properties = Object.fromEntries(
      Array.from({ length: 1000 }, (_, i) => [`p${i}`, { description: `d${i}` }]),
    );
    expect(definitionTexts({ name: 't', inputSchema: { properties } })).toHaveLength(MAX_DEFINITION_TEXTS);
  });
});
