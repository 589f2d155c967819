/**
 * `npm run docs`: regenerates everything derived from code — docs/detectors.md and
 * config/watchtower.default.yaml (detector metadata and settings), docs/mcp-event.schema.json (the
 * v1 event contract), docs/config.schema.json (the config file, for editor completion),
 * docs/sigma-rule.schema.json and docs/rules.md (Sigma rules: scripts/rule-docs.ts).
 * test/unit/docs.test.ts fails when a committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configJsonSchemaText, defaultConfigYaml, detectorsMarkdown } from './detector-docs.js';
import { JSON_SCHEMA_PATH, mcpEventJsonSchemaText } from './generate-json-schema.js';
import { rulesMarkdown, sigmaRuleJsonSchemaText } from './rule-docs.js';

export const GENERATED: ReadonlyArray<readonly [path: string, content: () => string]> = [
  ['docs/detectors.md', detectorsMarkdown],
  ['config/watchtower.default.yaml', defaultConfigYaml],
  [JSON_SCHEMA_PATH, mcpEventJsonSchemaText],
  ['docs/config.schema.json', configJsonSchemaText],
  ['docs/sigma-rule.schema.json', sigmaRuleJsonSchemaText],
  ['docs/rules.md', rulesMarkdown],
];

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [path, content] of GENERATED) writeFileSync(path, content());
  console.log(`wrote ${GENERATED.map(([p]) => p).join(', ')}`);
}
