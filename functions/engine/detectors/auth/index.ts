import type { AnyDetector } from '../registry-types.js';
import { authBruteForce } from './auth-brute-force.js';

/** The auth detectors, in catalogue order (docs/detectors.md). */
export const authDetectors: readonly AnyDetector[] = [authBruteForce];
