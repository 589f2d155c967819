/** Every shipped detector, by category. To add one, list it in its category's index.ts. */
import { agentDetectors } from './agent/index.js';
import { apiDetectors } from './api/index.js';
import { authDetectors } from './auth/index.js';
import { complianceDetectors } from './compliance/index.js';
import { configDetectors } from './config/index.js';
import type { AnyDetector } from './registry-types.js';
import { resourceDetectors } from './resource/index.js';

export type { AnyDetector } from './registry-types.js';

export const ALL_DETECTORS: readonly AnyDetector[] = [
  ...authDetectors,
  ...apiDetectors,
  ...resourceDetectors,
  ...configDetectors,
  ...agentDetectors,
  ...complianceDetectors,
];

export function detectorById(id: string): AnyDetector | undefined {
  return ALL_DETECTORS.find((d) => d.meta.id === id);
}
