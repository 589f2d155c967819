/**
 * Every pattern catalogue of the engine, for the generic example test and for docs. A catalogue
 * is a typed data table (catalogue.ts): add a row with its `match`/`nomatch` examples and the test
 * runs them. The secrets catalogue (text/secrets.ts) joins here once it has the same shape.
 */
import type { Catalogue } from './catalogue.js';
import { EXFILTRATION_CATALOGUE } from './exfiltration-commands.js';
import { INJECTION_CATALOGUE } from './injection-patterns.js';
import { INSTRUCTION_CATALOGUE } from './instruction-override.js';
import { PII_CATALOGUE } from './pii.js';
import { DEFINITION_POISONING_CATALOGUE } from './definition-poisoning.js';

export const CATALOGUES: readonly Catalogue[] = [INSTRUCTION_CATALOGUE, INJECTION_CATALOGUE, PII_CATALOGUE, EXFILTRATION_CATALOGUE, DEFINITION_POISONING_CATALOGUE];
