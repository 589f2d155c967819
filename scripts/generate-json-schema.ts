/**
 * `tsx scripts/generate-json-schema.ts`: writes docs/mcp-event.schema.json, the JSON Schema of the
 * canonical v1 event, generated from the zod schema the engine validates against (so external
 * producers and the engine cannot disagree). test/unit/events/json-schema.test.ts fails when the
 * committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { McpEventSchema } from '../functions/engine/events/schema.js';

export const JSON_SCHEMA_PATH = 'docs/mcp-event.schema.json';

/** The JSON Schema (draft 2020-12) of one canonical event line. */
export function mcpEventJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(McpEventSchema, { target: 'draft-2020-12', io: 'input' }) as Record<
    string,
    unknown
  >;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: 'MCP security event (canonical v1)',
    description:
      'One line of the mcp-watchtower log contract (docs/log-format.md). Only v, event and time are required; unknown fields are allowed and passed to detectors untouched. Generated from functions/engine/events/schema.ts by scripts/generate-json-schema.ts.',
    ...rest,
  };
}

/** The file's exact content: 2-space JSON and a final newline. */
export function mcpEventJsonSchemaText(): string {
  return `${JSON.stringify(mcpEventJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(JSON_SCHEMA_PATH, mcpEventJsonSchemaText());
  console.log(`wrote ${JSON_SCHEMA_PATH}`);
}
