import type { AnyDetector } from '../registry-types.js';

/** The agent detectors, in catalogue order (../../../../docs/detectors.md). */
export const agentDetectors: readonly AnyDetector[] = [];
