import type { AnyDetector } from '../registry-types.js';

/** The compliance detectors, in catalogue order (../../../../docs/detectors.md). */
export const complianceDetectors: readonly AnyDetector[] = [];
