import type { AnyDetector } from '../registry-types.js';

/** The api detectors, in catalogue order (../../../../docs/detectors.md). */
export const apiDetectors: readonly AnyDetector[] = [];
