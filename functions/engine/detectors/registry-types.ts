import type { Detector } from './detector.js';

// Detectors differ in their settings and prepared types; the registry holds them behind one erased type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDetector = Detector<any, any>;
