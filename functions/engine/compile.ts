/**
 * An engine compiled from a config: enabled detectors with their resolved settings, dispatch by
 * event kind, the tool labeler and the suppressor. Built once per config, used for every batch.
 */
import { Suppressor } from './alerts/suppression.js';
import type { EngineConfig } from './config/schema.js';
import { ALL_DETECTORS } from './detectors/registry.js';
import type { AnyDetector } from './detectors/registry-types.js';
import { prepareDetector } from './detectors/prepare.js';
import type { EventKind } from './events/schema.js';
import { ToolLabeler } from './labels/tool-labels.js';
import type { CommonDetectorSettings } from './config/schema.js';
import { ruleDetector, type EngineRules } from './rules/engine-rules.js';
import type { RuleSet } from './rules/rule-set.js';

export interface CompiledDetector {
  /** Position in `Engine.detectors`: per-pass detector data is kept in arrays indexed by it. */
  readonly index: number;
  readonly detector: AnyDetector;
  readonly settings: CommonDetectorSettings & Record<string, unknown>;
  /** What the detector's `prepare(settings, config)` returned, computed here once (detectors/prepare.ts). */
  readonly prepared: unknown;
  readonly shadow: boolean;
}

export interface Engine {
  readonly config: EngineConfig;
  readonly detectors: readonly CompiledDetector[];
  readonly byKind: ReadonlyMap<EventKind, readonly CompiledDetector[]>;
  readonly scheduled: readonly CompiledDetector[];
  readonly labels: ToolLabeler;
  readonly suppressor: Suppressor;
  /** Sigma rules (rules/engine-rules.ts), when any were loaded. */
  readonly rules?: EngineRules;
}

export function compileEngine(config: EngineConfig, detectors: readonly AnyDetector[] = ALL_DETECTORS, ruleSet?: RuleSet): Engine {
  const compiled: CompiledDetector[] = [];
  for (const detector of detectors) {
    const settings = config.detectors[detector.meta.id];
    if (!settings || !settings.enabled) continue;
    const prepared = prepareDetector(detector, settings, config);
    compiled.push({ index: compiled.length, detector, settings, prepared, shadow: settings.mode === 'shadow' });
  }
  // Rules are detector entries too (platform dedup, suppression, shadow), matched by the RuleSet.
  let rules: EngineRules | undefined;
  if (ruleSet !== undefined && ruleSet.size > 0) {
    const entries = ruleSet.rules.map((rule) => {
      if (!rule.generates || !rule.settings.enabled) return undefined;
      const entry: CompiledDetector = { index: compiled.length, detector: ruleDetector(rule), settings: { ...rule.settings }, prepared: undefined, shadow: rule.settings.mode === 'shadow' };
      compiled.push(entry);
      return entry;
    });
    rules = { set: ruleSet, entries };
  }
  const byKind = new Map<EventKind, CompiledDetector[]>();
  for (const c of compiled) {
    for (const kind of c.detector.events) {
      const list = byKind.get(kind) ?? [];
      list.push(c);
      byKind.set(kind, list);
    }
  }
  return {
    config,
    detectors: compiled,
    byKind,
    scheduled: compiled.filter((c) => c.detector.tick !== undefined),
    labels: new ToolLabeler(config.toolLabels),
    suppressor: new Suppressor(config),
    ...(rules !== undefined ? { rules } : {}),
  };
}
