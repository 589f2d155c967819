import type { AnyDetector } from '../registry-types.js';

/** The config detectors, in catalogue order (../../../../docs/detectors.md). */
export const configDetectors: readonly AnyDetector[] = [];
