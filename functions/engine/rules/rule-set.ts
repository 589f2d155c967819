/**
 * Rule documents → one compiled rule set: every detection rule's tests over one shared pass of the
 * event's text, a literal prefilter (Aho-Corasick) in front of them, correlations over the state
 * port. The rule set is pure: it reads events and a StateView and reports findings.
 */
import type { Severity } from '../alerts/severity.js';
import type { DetectorMeta, Finding } from '../detectors/detector.js';
import { findingContext } from '../events/accessors.js';
import type { EngineEvent } from '../events/engine-event.js';
import { EVENT_KINDS, type McpEvent } from '../events/schema.js';
import { keyPart } from '../state/key-part.js';
import type { StateView } from '../state/view.js';
import { advanceCorrelation, compileCorrelation, type CompiledCorrelation } from './correlation.js';
import { compileDetection, detectionMatches, fieldId, type CompiledDetection, type FieldRegistry } from './detection.js';
import { EventText, FieldTree } from './event-text.js';
import { ruleCategory, ruleMeta, ruleSeverity } from './meta.js';
import { LiteralAutomaton } from './prefilter.js';
import { isCorrelation, type LoadedRule, type RuleDocument, type RuleError } from './types.js';
import { RuleCompileError } from './values.js';

/** Per-rule settings (config `ruleSettings.<id>`), the same common settings built-in detectors have. */
export interface RuleSettings {
  readonly enabled: boolean;
  readonly mode: 'alert' | 'shadow';
  readonly severity?: Severity;
  readonly dedupSeconds?: number;
}

export type RuleSettingsInput = Partial<RuleSettings>;

export interface CompileRuleSetOptions {
  /** Config `ruleSettings`: per rule id. */
  readonly settings?: Readonly<Record<string, RuleSettingsInput>>;
  /** Compile rules that are disabled too (`rules test` runs every rule). @default false */
  readonly includeDisabled?: boolean;
  /** Run the literal prefilter. Off only to compare results in tests. @default true */
  readonly prefilter?: boolean;
  /** Force the automaton's layout (tests). @default chosen by size */
  readonly denseAutomaton?: boolean;
  /**
   * Compile each RE2 program when a prefilter hit first needs it, not now: for rules validated
   * before — `true` for all (the Lambda handler's, compiled at synth), `'packs'` for the rules of
   * packs (the generated ATR pack, whose patterns `npm run atr-pack` compiled and its tests run).
   * An invalid pattern is then a rule error at its first use instead of a compile error.
   * @default false
   */
  readonly lazyRegex?: boolean | 'packs';
}

export interface CompiledRule {
  /** Position in `RuleSet.rules`. */
  readonly index: number;
  readonly id: string;
  readonly file: string;
  readonly pack?: string;
  readonly doc: RuleDocument;
  readonly meta: DetectorMeta;
  readonly settings: RuleSettings;
  /** Raises findings of its own (false for a base rule only used by correlations, unless they say `generate: true`). */
  readonly generates: boolean;
  readonly detection?: CompiledDetection;
  readonly correlation?: CompiledCorrelation;
}

export type CompileRuleSetResult =
  | { readonly ok: true; readonly ruleSet: RuleSet; readonly errors: readonly [] }
  /** `ruleSet` holds the rules that compiled. */
  | { readonly ok: false; readonly ruleSet: RuleSet; readonly errors: readonly RuleError[] };

export type ReportFinding = (rule: CompiledRule, finding: Finding) => void;

export function resolveRuleSettings(rule: LoadedRule, settings: Readonly<Record<string, RuleSettingsInput>> | undefined): RuleSettings {
  const own = settings?.[rule.doc.id] ?? {};
  return {
    enabled: own.enabled ?? rule.defaults?.enabled ?? true,
    mode: own.mode ?? rule.defaults?.mode ?? 'alert',
    ...(own.severity !== undefined ? { severity: own.severity } : {}),
    ...(own.dedupSeconds !== undefined ? { dedupSeconds: own.dedupSeconds } : {}),
  };
}

/** Compiles rule documents. Rules with errors are left out and reported (file, rule, key). */
export function compileRuleSet(rules: readonly LoadedRule[], options: CompileRuleSetOptions = {}): CompileRuleSetResult {
  const errors: RuleError[] = [];
  const fail = (rule: LoadedRule, key: string | undefined, message: string): void => {
    errors.push({ file: rule.file, rule: rule.doc.id, ...(key !== undefined ? { key } : {}), message });
  };
  // Ids are unique across the set; names too.
  const byId = new Map<string, LoadedRule>();
  const byName = new Map<string, LoadedRule>();
  for (const rule of rules) {
    const previous = byId.get(rule.doc.id);
    if (previous) {
      fail(rule, 'id', `duplicate rule id (also in ${previous.file})`);
      continue;
    }
    byId.set(rule.doc.id, rule);
    if (rule.doc.name !== undefined) byName.set(rule.doc.name, rule);
  }
  const settingsOf = new Map<LoadedRule, RuleSettings>();
  for (const rule of byId.values()) settingsOf.set(rule, resolveRuleSettings(rule, options.settings));
  const active = (rule: LoadedRule): boolean => options.includeDisabled === true || (settingsOf.get(rule) as RuleSettings).enabled;
  // Base rules: every detection rule an active correlation references runs even when disabled itself.
  const referenced = new Map<LoadedRule, boolean>(); // → some referencing correlation generates
  for (const rule of byId.values()) {
    if (!isCorrelation(rule.doc) || !active(rule)) continue;
    for (const ref of rule.doc.correlation.rules) {
      const base = byId.get(ref) ?? byName.get(ref);
      if (base && !isCorrelation(base.doc)) referenced.set(base, (referenced.get(base) ?? false) || rule.doc.correlation.generate === true);
    }
  }
  const registry: FieldRegistry = { tree: new FieldTree(), ids: new Map() };
  // One registry (field ids) for every rule; lazy RE2 programs per rule.
  const lazyRegistry: FieldRegistry = { ...registry, lazyRegex: true };
  const registryFor = (rule: LoadedRule): FieldRegistry =>
    options.lazyRegex === true || (options.lazyRegex === 'packs' && rule.pack !== undefined) ? lazyRegistry : registry;
  const compiled: CompiledRule[] = [];
  const indexOf = new Map<LoadedRule, number>();
  const pending: LoadedRule[] = [];
  for (const rule of byId.values()) {
    if (isCorrelation(rule.doc)) {
      if (active(rule)) pending.push(rule);
      continue;
    }
    const isReferenced = referenced.has(rule);
    if (!active(rule) && !isReferenced) continue;
    try {
      const category = ruleCategory(rule.doc);
      if (typeof category === 'object') throw new RuleCompileError('tags', category.error);
      if (rule.doc.logsource?.product !== undefined && rule.doc.logsource.product !== 'mcp') {
        throw new RuleCompileError('logsource.product', 'must be mcp');
      }
      const detection = compileDetection(rule.doc, registryFor(rule));
      const subjectFields = (rule.doc.fields ?? []).map((path, i) => fieldId(registry, path, `fields[${i}]`));
      const settings = settingsOf.get(rule) as RuleSettings;
      const generates = (settings.enabled || options.includeDisabled === true) && (!isReferenced || referenced.get(rule) === true);
      indexOf.set(rule, compiled.length);
      compiled.push(
        withSubject(
          {
            index: compiled.length,
            id: rule.doc.id,
            file: rule.file,
            ...(rule.pack !== undefined ? { pack: rule.pack } : {}),
            doc: rule.doc,
            meta: ruleMeta(rule.doc, rule.file, category),
            settings,
            generates,
            detection,
          },
          subjectFields,
        ),
      );
    } catch (error) {
      if (error instanceof RuleCompileError) fail(rule, error.key, error.message);
      else fail(rule, undefined, `cannot compile: ${(error as Error).message}`);
    }
  }
  for (const rule of pending) {
    if (!isCorrelation(rule.doc)) continue;
    try {
      const category = ruleCategory(rule.doc);
      if (typeof category === 'object') throw new RuleCompileError('tags', category.error);
      const correlation = compileCorrelation(
        rule.doc,
        (ref) => {
          const base = byId.get(ref) ?? byName.get(ref);
          if (!base) return `unknown rule "${ref}"`;
          if (isCorrelation(base.doc)) return `"${ref}" is a correlation; correlations reference detection rules`;
          const index = indexOf.get(base);
          return index ?? `rule "${ref}" did not compile`;
        },
        (path, key) => fieldId(registry, path, key),
      );
      compiled.push({
        index: compiled.length,
        id: rule.doc.id,
        file: rule.file,
        ...(rule.pack !== undefined ? { pack: rule.pack } : {}),
        doc: rule.doc,
        meta: ruleMeta(rule.doc, rule.file, category),
        settings: settingsOf.get(rule) as RuleSettings,
        generates: true,
        correlation,
      });
    } catch (error) {
      if (error instanceof RuleCompileError) fail(rule, error.key, error.message);
      else fail(rule, undefined, `cannot compile: ${(error as Error).message}`);
    }
  }
  const ruleSet = new RuleSet(compiled, registry, options);
  return errors.length === 0 ? { ok: true, ruleSet, errors: [] } : { ok: false, ruleSet, errors };
}

/** Past this many, insertion sort's quadratic worst case costs more than the native sort's copy. */
const INSERTION_SORT_MAX = 16;

function ascending(a: number, b: number): number {
  return a - b;
}

/**
 * Sorts rule indexes in place. Array.prototype.sort copies into a temporary array on every call
 * (~0.6 KB of garbage an event here); candidates are usually a handful of indexes, mostly in order,
 * but text holding many rules' literals can make hundreds, so long lists take the native sort.
 */
function sortAscending(a: number[]): void {
  if (a.length > INSERTION_SORT_MAX) {
    a.sort(ascending);
    return;
  }
  for (let i = 1; i < a.length; i++) {
    const v = a[i] as number;
    let j = i - 1;
    while (j >= 0 && (a[j] as number) > v) {
      a[j + 1] = a[j] as number;
      j--;
    }
    a[j + 1] = v;
  }
}

/** What the rule set does with events of one kind. */
interface KindPlan {
  /** Ungated detection rules that see the kind (ascending). */
  readonly ungated: readonly number[];
  /** Some gated rule sees the kind: scan its text for literals. */
  readonly scan: boolean;
  /** Some rule sees the kind at all. */
  readonly any: boolean;
}

const subjectFieldsOf = new WeakMap<CompiledRule, readonly number[]>();
function withSubject(rule: CompiledRule, fields: readonly number[]): CompiledRule {
  if (fields.length > 0) subjectFieldsOf.set(rule, fields);
  return rule;
}

/** The compiled rules and the shared matcher. One instance per engine; not re-entrant. */
export class RuleSet {
  readonly rules: readonly CompiledRule[];
  /** Literals in the prefilter (for the bench and docs). */
  readonly literalCount: number;
  /** Detection rules with no literal: evaluated on every event of their kinds. */
  readonly ungatedCount: number;
  private readonly text: EventText;
  private readonly automaton: LiteralAutomaton | undefined;
  /** Per literal: the detection rules it gates. */
  private readonly literalRules: readonly (readonly number[])[];
  private readonly detectionRules: readonly number[];
  /** Per detection rule: the correlations using it and its step positions there. */
  private readonly usedBy: ReadonlyMap<number, readonly { readonly correlation: number; readonly steps: readonly number[] }[]>;
  private readonly seen: Uint32Array;
  private epoch = 0;
  private readonly memo: Uint8Array;
  private readonly candidates: number[] = [];
  /** `evaluate`'s matched rules, its fed correlations and their steps (per correlation index), reused per event. */
  private readonly matched: number[] = [];
  private readonly fed: number[] = [];
  private readonly stepsOf: (number[] | undefined)[] = [];
  private readonly prefilter: boolean;
  /** Per event kind, what the rules need of its events (built once: kinds are a closed set). */
  private readonly plans: ReadonlyMap<string, KindPlan>;
  /** The plan for an event of no known kind: only kind-less rules can see it. */
  private readonly kindlessPlan: KindPlan;

  constructor(rules: readonly CompiledRule[], registry: FieldRegistry, options: CompileRuleSetOptions) {
    this.rules = rules;
    this.prefilter = options.prefilter !== false;
    // Keyword searches (field -1) read every leaf; without them only the named fields are walked.
    const keywords = rules.some((r) => r.detection?.selections.some((sel) => sel.groups.some((g) => g.some((t) => t.field < 0))));
    this.text = new EventText(registry.tree, registry.ids.size, keywords);
    const literalIds = new Map<string, number>();
    const literalRules: number[][] = [];
    const ungated: number[] = [];
    const detectionRules: number[] = [];
    let maxSelections = 1;
    for (const rule of rules) {
      const d = rule.detection;
      if (!d) continue;
      detectionRules.push(rule.index);
      maxSelections = Math.max(maxSelections, d.selections.length);
      if (d.gate === null || !this.prefilter) {
        ungated.push(rule.index);
        continue;
      }
      for (const literal of d.gate) {
        let id = literalIds.get(literal);
        if (id === undefined) {
          id = literalIds.size;
          literalIds.set(literal, id);
          literalRules.push([]);
        }
        (literalRules[id] as number[]).push(rule.index);
      }
    }
    this.literalCount = literalIds.size;
    this.ungatedCount = ungated.length;
    const planOf = (kind: string | undefined): KindPlan => {
      const sees = (index: number): boolean => {
        const kinds = (rules[index]?.detection as CompiledDetection).kinds;
        return kinds === null || (kind !== undefined && kinds.has(kind));
      };
      const ungatedOfKind = ungated.filter(sees);
      const scan = literalRules.some((gated) => gated.some(sees));
      return { ungated: ungatedOfKind, scan, any: scan || ungatedOfKind.length > 0 };
    };
    this.plans = new Map(EVENT_KINDS.map((kind) => [kind, planOf(kind)]));
    this.kindlessPlan = planOf(undefined);
    this.literalRules = literalRules;
    this.detectionRules = detectionRules;
    this.automaton =
      literalIds.size > 0
        ? new LiteralAutomaton([...literalIds.keys()], options.denseAutomaton !== undefined ? { dense: options.denseAutomaton } : {})
        : undefined;
    this.seen = new Uint32Array(rules.length);
    this.memo = new Uint8Array(maxSelections);
    const usedBy = new Map<number, { correlation: number; steps: number[] }[]>();
    for (const rule of rules) {
      const c = rule.correlation;
      if (!c) continue;
      c.steps.forEach((base, step) => {
        const list = usedBy.get(base) ?? [];
        let entry = list.find((e) => e.correlation === rule.index);
        if (!entry) {
          entry = { correlation: rule.index, steps: [] };
          list.push(entry);
        }
        entry.steps.push(step);
        usedBy.set(base, list);
      });
    }
    this.usedBy = usedBy;
  }

  get size(): number {
    return this.rules.length;
  }

  /** Detection rules whose condition holds on the event (indexes, ascending). Stateless. */
  match(event: McpEvent | Readonly<Record<string, unknown>>, onError?: (rule: CompiledRule, error: unknown) => void): number[] {
    return this.matchInto(event, [], onError);
  }

  /** `match` into `out` (emptied first): the engine reuses one array instead of one per event. */
  private matchInto(event: McpEvent | Readonly<Record<string, unknown>>, out: number[], onError?: (rule: CompiledRule, error: unknown) => void): number[] {
    out.length = 0;
    const kind = typeof event.event === 'string' ? event.event : '';
    // No rule sees this kind: skip the text walk and the prefilter altogether.
    const plan = this.plans.get(kind) ?? this.kindlessPlan;
    if (!plan.any) return out;
    const t = this.text;
    t.load(event);
    const server = (event as McpEvent).server?.name;
    const candidates = this.collectCandidates(plan);
    for (const index of candidates) {
      const rule = this.rules[index] as CompiledRule;
      const d = rule.detection as CompiledDetection;
      if (d.kinds !== null && !d.kinds.has(kind)) continue;
      if (d.service !== undefined && d.service !== server) continue;
      try {
        if (detectionMatches(d, t, this.memo)) out.push(index);
      } catch (error) {
        onError?.(rule, error);
      }
    }
    return out;
  }

  /** Every detection rule evaluated without the prefilter (tests compare the two). */
  matchAll(event: McpEvent | Readonly<Record<string, unknown>>): number[] {
    const t = this.text;
    t.load(event);
    const kind = typeof event.event === 'string' ? event.event : '';
    const server = (event as McpEvent).server?.name;
    return this.detectionRules.filter((index) => {
      const d = (this.rules[index] as CompiledRule).detection as CompiledDetection;
      if (d.kinds !== null && !d.kinds.has(kind)) return false;
      if (d.service !== undefined && d.service !== server) return false;
      return detectionMatches(d, t, this.memo);
    });
  }

  /** Which search identifiers of a detection rule hold on the event (for test failure messages). */
  explain(index: number, event: McpEvent | Readonly<Record<string, unknown>>): { readonly name: string; readonly holds: boolean }[] {
    const d = this.rules[index]?.detection;
    if (!d) return [];
    this.text.load(event);
    return d.selections.map((sel, id) => {
      this.memo.fill(0);
      return { name: sel.name, holds: detectionMatches({ ...d, condition: { t: 'ref', id } }, this.text, this.memo) };
    });
  }

  private collectCandidates(plan: KindPlan): readonly number[] {
    const candidates = this.candidates;
    candidates.length = 0;
    const epoch = ++this.epoch;
    if (epoch === 0xffffffff) {
      this.seen.fill(0);
      this.epoch = 1;
    }
    const seen = this.seen;
    const mark = this.epoch;
    for (const index of plan.ungated) {
      seen[index] = mark;
      candidates.push(index);
    }
    const automaton = this.automaton;
    // Literals only gate rules of other kinds: their hits would all be dropped by the kind test.
    if (automaton !== undefined && plan.scan) {
      const t = this.text;
      for (let leaf = 0; leaf < t.count; leaf++) automaton.scan(t.raw[leaf] as string, this.onLiteral);
    }
    if (candidates.length > 1) sortAscending(candidates);
    return candidates;
  }

  /** The automaton's report: the rules a found literal gates become candidates (once per event). Made once, not per event. */
  private readonly onLiteral = (literal: number): void => {
    const seen = this.seen;
    const mark = this.epoch;
    for (const index of this.literalRules[literal] as readonly number[]) {
      if (seen[index] === mark) continue;
      seen[index] = mark;
      this.candidates.push(index);
    }
  };

  /**
   * The engine's entry: matches the event, feeds correlations, reports findings for rules that
   * generate them. A rule that throws is counted through `onError` and skipped.
   */
  evaluate(ev: EngineEvent, view: StateView, report: ReportFinding, onError: (rule: CompiledRule) => void): void {
    const matched = this.matchInto(ev.event, this.matched, onError);
    if (matched.length === 0) return;
    const e = ev.event;
    // The correlations the matched rules feed, in first-fed order, with the steps each matched
    // (reused arrays: a base rule such as MCP-RULE-TOKEN-USE matches most events).
    const fed = this.fed;
    // Left over only if a previous event threw part-way: never carry its steps into this one.
    for (const index of fed) (this.stepsOf[index] as number[]).length = 0;
    fed.length = 0;
    for (const index of matched) {
      const rule = this.rules[index] as CompiledRule;
      if (rule.generates) report(rule, this.detectionFinding(rule, ev));
      const users = this.usedBy.get(index);
      if (users === undefined) continue;
      for (const use of users) {
        let steps = this.stepsOf[use.correlation];
        if (steps === undefined) {
          steps = [];
          this.stepsOf[use.correlation] = steps;
        }
        if (steps.length === 0) fed.push(use.correlation);
        for (const step of use.steps) steps.push(step);
      }
    }
    for (const index of fed) {
      const rule = this.rules[index] as CompiledRule;
      const steps = this.stepsOf[index] as number[];
      try {
        if (steps.length > 1) sortAscending(steps);
        const outcome = advanceCorrelation(rule.correlation as CompiledCorrelation, steps, this.text, ev.ts, view);
        if (outcome === undefined) continue;
        const c = rule.correlation as CompiledCorrelation;
        report(rule, {
          ...findingContext(e),
          severity: ruleSeverity(rule.doc),
          title: rule.doc.title,
          subject: outcome.subject,
          ts: ev.ts,
          evidence: {
            rule: rule.id,
            correlation: c.type,
            count: outcome.count,
            timespan: isCorrelation(rule.doc) ? rule.doc.correlation.timespan : undefined,
            ...(c.groupBy.length > 0 ? { groupBy: outcome.group } : {}),
          },
        });
      } catch {
        onError(rule);
      } finally {
        steps.length = 0;
      }
    }
  }

  private detectionFinding(rule: CompiledRule, ev: EngineEvent): Finding {
    const e = ev.event;
    const fields = subjectFieldsOf.get(rule);
    let subject: string;
    if (fields !== undefined && rule.doc.fields !== undefined) {
      subject = fields.map((f, i) => `${rule.doc.fields?.[i] as string}=${keyPart(this.text.firstValue(f) ?? '')}`).join(' ');
    } else {
      const who =
        e.session !== undefined
          ? `session=${keyPart(e.session)}`
          : e.principal?.sub !== undefined
            ? `principal=${keyPart(e.principal.sub)}`
            : e.client?.ip !== undefined
              ? `ip=${keyPart(e.client.ip)}`
              : 'all';
      subject = e.tool !== undefined ? `${who} tool=${keyPart(e.tool)}` : who;
    }
    return {
      ...findingContext(e),
      severity: ruleSeverity(rule.doc),
      title: rule.doc.title,
      subject,
      ts: ev.ts,
      evidence: { rule: rule.id, event: e.event, ...(rule.pack !== undefined ? { pack: rule.pack } : {}) },
    };
  }
}
