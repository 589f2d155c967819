import type { AnyDetector } from '../registry-types.js';
import { resBulkRead } from './res-bulk-read.js';
import { resErrorRate } from './res-error-rate.js';
import { resLatency } from './res-latency.js';
import { resSaturation } from './res-saturation.js';
import { resTelemetryGap } from './res-telemetry-gap.js';

/** The resource detectors, in catalogue order (../../../../docs/detectors.md). */
export const resourceDetectors: readonly AnyDetector[] = [
  resLatency,
  resSaturation,
  resErrorRate,
  resBulkRead,
  resTelemetryGap,
];
