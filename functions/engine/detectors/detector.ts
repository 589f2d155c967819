/**
 * What a detector is. A detector is a pure function of (event, state view, settings, config):
 * it reads the event, reads/updates state through the view and reports findings. It never does
 * I/O and never reads the wall clock — all time is event time (`ev.ts`).
 *
 * Work that depends only on the settings and the config (glob sets from allow-lists, word sets,
 * compiled thresholds) belongs in `prepare(settings, config)`: the engine runs it once when it
 * is compiled (compile.ts) and hands its result to every call as `ctx.prepared`. A detector
 * keeps no module-level cache keyed by settings or config; caches of values seen in events
 * (bounded key caches, memos of names) stay where they are.
 *
 * Add a detector: write `detectors/<category>/<id>.ts` exporting a `defineDetector({...})`,
 * list it in `detectors/registry.ts`, add fixtures under test/unit/detectors/. Config, docs
 * (`npm run docs`) and the default config file follow from its metadata. Detectors that count
 * events per key in a window and report at a threshold use `detectors/threshold.ts`.
 */
import type * as z from 'zod';
import type { EngineConfig } from '../config/schema.js';
import type { EngineEvent } from '../events/engine-event.js';
import type { EventKind } from '../events/schema.js';
import type { ToolLabeler } from '../labels/tool-labels.js';
import type { StateView } from '../state/view.js';
import type { Severity } from '../alerts/severity.js';

export const CATEGORIES = ['auth', 'api', 'resource', 'config', 'agent', 'compliance'] as const;
export type Category = (typeof CATEGORIES)[number];

export type StateNeed =
  | 'none'
  | 'window'
  | 'baseline'
  | 'window+baseline'
  | 'registry'
  | 'session'
  | 'baseline (scheduled)';

export interface Reference {
  /** Short id, e.g. `OWASP-MCP05`, `SAFE-T1102`, `MCP-SPEC-AUTH`. */
  readonly id: string;
  readonly title: string;
  readonly url?: string;
}

export interface DetectorMeta {
  /** Stable id used in alerts, config, metrics and docs (e.g. `AUTH-BRUTE-FORCE`). */
  readonly id: string;
  readonly category: Category;
  /** Short human title, e.g. "Authentication brute force". */
  readonly title: string;
  /** The default severity (findings may be raised or lowered by the detector's own logic). */
  readonly severity: Severity;
  /** What it detects, one or two sentences. */
  readonly detects: string;
  /** Why it matters: the attack or failure it points at. */
  readonly why: string;
  /** How to tune it: which settings, what legitimate traffic looks like. */
  readonly tuning: string;
  /** One line: what a responder does first. */
  readonly runbook: string;
  readonly references: readonly Reference[];
  readonly state: StateNeed;
  /**
   * Trusted principals/networks (allowLists) do not suppress this detector's alerts: it is about
   * content or server-side definitions, not about who is calling.
   */
  readonly ignoresTrustedCallers?: boolean;
}

/** What a detector reports. The pipeline adds detector id, category, fingerprint and redaction. */
export interface Finding {
  readonly severity: Severity;
  /** One line. May include names from the event; secrets are redacted downstream. */
  readonly title: string;
  /**
   * The incident's identity within the detector and server, e.g. `ip=203.0.113.7` or
   * `session=abc tool=read_file`. Same incident → same subject → same fingerprint.
   */
  readonly subject: string;
  /** Event time of the finding (epoch ms). */
  readonly ts: number;
  readonly server?: string;
  readonly session?: string;
  readonly principal?: string;
  readonly clientIp?: string;
  readonly tool?: string;
  /** Small structured evidence (matched pattern, counts, thresholds). Redacted and bounded downstream. */
  readonly evidence?: Readonly<Record<string, unknown>>;
}

export interface DetectorContext<S, P = unknown> {
  /** This detector's resolved settings (defaults merged with the config file). */
  readonly settings: S;
  /**
   * What the detector's `prepare(settings, config)` returned when the engine was compiled
   * (undefined for a detector without `prepare`). Shared by every call: do not mutate it, except
   * for bounded caches of event values a detector deliberately keeps in it.
   */
  readonly prepared: P;
  /** The whole engine config: allow-lists, tool labels, server expectations, policy. */
  readonly config: EngineConfig;
  readonly state: StateView;
  readonly labels: ToolLabeler;
  report(finding: Finding): void;
}

export interface Detector<S extends z.ZodObject = z.ZodObject, P = undefined> {
  readonly meta: DetectorMeta;
  /**
   * Detector-specific settings with their defaults (thresholds, windows). Every field has a
   * default and a `.describe()` text (it becomes the comment in the default config file).
   * Common settings (enabled, mode, severity, dedupSeconds) are added by the config schema.
   */
  readonly settings: S;
  /** Event kinds dispatched to `evaluate`. */
  readonly events: readonly EventKind[];
  /**
   * Optional: derives what `evaluate` needs from the settings and the config (glob sets, word
   * sets, thresholds) — run ONCE per compiled engine, never per event or batch; its result is
   * `ctx.prepared`. Pure and deterministic like the rest of the detector. Declare it before
   * `evaluate` so TypeScript infers `ctx.prepared` from its return type.
   */
  prepare?(settings: z.output<S>, config: EngineConfig): P;
  evaluate(ev: EngineEvent, ctx: DetectorContext<z.output<S>, P>): void;
  /**
   * Optional scheduled evaluation at time `now` (epoch ms, from an injected clock), for detectors
   * that alert on absence (RES-TELEMETRY-GAP).
   */
  tick?(now: number, ctx: DetectorContext<z.output<S>, P>): void;
}

/** The context a detector's `evaluate` receives, for helpers outside it: `ContextOf<typeof myDetector>`. */
export type ContextOf<D> = D extends Detector<infer S, infer P> ? DetectorContext<z.output<S>, P> : never;

/** Identity helper that keeps the settings type (and what `prepare` returns) flowing into `evaluate`. */
export function defineDetector<S extends z.ZodObject, P = undefined>(detector: Detector<S, P>): Detector<S, P> {
  return detector;
}
