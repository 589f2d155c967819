import type { AnyDetector } from '../registry-types.js';

/** The resource detectors, in catalogue order (../../../../docs/detectors.md). */
export const resourceDetectors: readonly AnyDetector[] = [];
