import type { AnyDetector } from '../registry-types.js';
import { cmpPolicy } from './cmp-policy.js';

/** The compliance detectors, in catalogue order (../../../../docs/detectors.md). */
export const complianceDetectors: readonly AnyDetector[] = [cmpPolicy];
