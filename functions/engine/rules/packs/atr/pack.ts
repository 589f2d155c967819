/**
 * The generated ATR pack (atr-pack.json, written by `npm run atr-pack`): the converted rules that
 * pass their own tests, each with its default (enabled, mode), and every rule left out with the
 * reason. Plain data, so the engine stays pure: the CLI and the CDK app read the file and hand the
 * documents over as LoadedRules (`atrPackRules`).
 */
import type { LoadedRule, RuleDocument } from '../../types.js';
import type { DisableReason } from './convert.js';

/** Why a rule of the package does not run by default. */
export type AtrExclusion =
  /** Cannot run here at all (never loaded): a conversion refusal. */
  | DisableReason
  | 'compile-error'
  | 'fails-own-tests';

export interface AtrPackRule {
  /** The Sigma document without its inline tests (they stay in the package). */
  readonly doc: RuleDocument;
  /** Shipped disabled when it needs no rare literal and would run its regexes on most events. */
  readonly enabled: boolean;
  readonly mode: 'alert' | 'shadow';
  /** README chunks (of `benign.chunks`) it fired on. */
  readonly benignHits: number;
  /** Share of benign traffic events the prefilter lets through to its regexes. */
  readonly candidateRate: number;
  /** Conditions dropped (lookaround …), each `cN: reason`. */
  readonly dropped?: readonly string[];
  readonly tests: number;
}

export interface AtrPackExcluded {
  readonly id: string;
  readonly title: string;
  readonly reason: AtrExclusion;
  readonly detail: string;
}

export interface AtrPack {
  readonly package: string;
  readonly version: string;
  readonly method: {
    readonly benignCorpus: string;
    readonly benignChunks: number;
    readonly fpThreshold: number;
    readonly trafficEvents: number;
    readonly candidateRateLimit: number;
  };
  readonly tests: { readonly cases: number; readonly passed: number; readonly rules: number; readonly rulesPassing: number };
  readonly rules: readonly AtrPackRule[];
  readonly excluded: readonly AtrPackExcluded[];
}

export const ATR_PACK_NAME = 'atr';
export const ATR_PACK_FILE_LABEL = 'agent-threat-rules';

/**
 * The pack's rules as LoadedRules. `packMode` (config `rulePacks.atr.mode`) overrides every rule's
 * measured default mode; per-rule `ruleSettings` still override both.
 */
export function atrPackRules(pack: AtrPack, packMode?: 'alert' | 'shadow'): LoadedRule[] {
  return pack.rules.map((r, index) => ({
    file: `${ATR_PACK_FILE_LABEL}@${pack.version}`,
    index,
    doc: r.doc,
    pack: ATR_PACK_NAME,
    defaults: { enabled: r.enabled, mode: packMode ?? r.mode },
  }));
}
