/** `npm run docs`: regenerates docs/detectors.md, config/watchtower.default.yaml and the JSON Schemas. */
import { writeFileSync } from 'node:fs';
import { defaultConfigYaml, detectorsMarkdown } from './detector-docs.js';

writeFileSync('docs/detectors.md', detectorsMarkdown());
writeFileSync('config/watchtower.default.yaml', defaultConfigYaml());
console.log('wrote docs/detectors.md and config/watchtower.default.yaml');
