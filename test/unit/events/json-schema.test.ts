/**
 * docs/mcp-event.schema.json is generated from the zod schema (scripts/generate-json-schema.ts);
 * this fails when the committed file is stale, and checks the generated schema says what the
 * contract says.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  JSON_SCHEMA_PATH,
  mcpEventJsonSchema,
  mcpEventJsonSchemaText,
} from '../../../scripts/generate-json-schema.js';

describe('docs/mcp-event.schema.json', () => {
  it('is up to date (run `npx tsx scripts/generate-json-schema.ts`)', () => {
    expect(readFileSync(JSON_SCHEMA_PATH, 'utf8')).toBe(mcpEventJsonSchemaText());
  });

  it('requires v, event and time, allows unknown fields, and lists the event kinds', () => {
    const schema = mcpEventJsonSchema() as {
      $schema: string;
      required: string[];
      additionalProperties: unknown;
      properties: Record<string, { enum?: string[]; const?: unknown; format?: string }>;
    };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(['v', 'event', 'time']);
    expect(schema.additionalProperties).toEqual({});
    expect(schema.properties.v?.const).toBe(1);
    expect(schema.properties.time?.format).toBe('date-time');
    expect(schema.properties.event?.enum).toEqual([
      'mcp.call',
      'mcp.notification',
      'mcp.tools',
      'mcp.auth',
      'mcp.session',
      'mcp.change',
      'mcp.usage',
      'mcp.ratelimit',
    ]);
  });
});
