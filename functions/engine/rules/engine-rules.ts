/**
 * Rules inside the engine: each generating rule is a Detector-shaped entry in `Engine.detectors`
 * (so suppression, shadow mode, severity overrides, dedup and the storm cap are the platform's),
 * while matching runs once per event for all rules through the shared RuleSet.
 */
import * as z from 'zod';
import type { CompiledDetector } from '../compile.js';
import type { Finding } from '../detectors/detector.js';
import type { AnyDetector } from '../detectors/registry-types.js';
import type { EngineEvent } from '../events/engine-event.js';
import type { StateView } from '../state/view.js';
import type { CompiledRule, RuleSet } from './rule-set.js';

export interface EngineRules {
  readonly set: RuleSet;
  /** Per rule index: its entry in Engine.detectors (undefined for rules that only feed correlations). */
  readonly entries: readonly (CompiledDetector | undefined)[];
}

const NO_SETTINGS = z.object({});

/** A rule as a detector: metadata and settings only; it is evaluated by the RuleSet, never dispatched by kind. */
export function ruleDetector(rule: CompiledRule): AnyDetector {
  return {
    meta: rule.meta,
    settings: NO_SETTINGS,
    events: [],
    evaluate(): void {
      // Rules run through RuleSet.evaluate, once per event for all of them.
    },
  };
}

export interface RuleSink {
  report(entry: CompiledDetector, finding: Finding): void;
  error(ruleId: string): void;
}

/** A function running every rule on one event, made once per detection pass (the pipeline's). */
export function rulesRunner(rules: EngineRules, view: StateView, sink: RuleSink): (ev: EngineEvent) => void {
  const report = (rule: CompiledRule, finding: Finding): void => {
    const entry = rules.entries[rule.index];
    if (entry !== undefined) sink.report(entry, finding);
  };
  const error = (rule: CompiledRule): void => sink.error(rule.id);
  return (ev) => rules.set.evaluate(ev, view, report, error);
}
