import type { AnyDetector } from '../registry-types.js';
import { cfgServerChange } from './cfg-server-change.js';
import { cfgToolDrift } from './cfg-tool-drift.js';
import { cfgToolPoisoning } from './cfg-tool-poisoning.js';
import { cfgToolShadowing } from './cfg-tool-shadowing.js';

/** The config detectors, in catalogue order (../../../../docs/detectors.md). */
export const configDetectors: readonly AnyDetector[] = [
  cfgToolDrift,
  cfgToolPoisoning,
  cfgToolShadowing,
  cfgServerChange,
];
