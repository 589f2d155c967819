/**
 * Runs a detector's `prepare(settings, config)` (detector.ts) for the engine being compiled: once
 * per detector and config, never per event. A prepare that throws fails the compile with the
 * detector's id in the message (a config the schema accepted but the detector cannot use is a
 * config error, found at startup rather than as a detector error on every event).
 */
import type { EngineConfig } from '../config/schema.js';
import type { AnyDetector } from './registry-types.js';

export function prepareDetector(detector: AnyDetector, settings: Record<string, unknown>, config: EngineConfig): unknown {
  if (detector.prepare === undefined) return undefined;
  try {
    return detector.prepare(settings, config);
  } catch (error) {
    throw new Error(`${detector.meta.id}: cannot prepare the detector from its settings: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
