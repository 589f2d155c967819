/**
 * One analysis per tool definition, shared by the three tool detectors: hash, parameter names,
 * poisoning signals and instruction-shaped references to tools. Clients list tools at every session
 * start, so the same definitions arrive over and over; the analysis is a pure function of the
 * definition, so it is memoised (bounded LRU, keyed by the definition's JSON) instead of scanning
 * the same text three times per listing.
 */
import type { ToolDefinition } from '../../events/schema.js';
import {
  definitionTexts,
  hashToolDefinition,
  parameterNames,
  schemaPropertyNames,
  type ToolDefinitionHash,
} from '../../text/tool-definition.js';
import {
  findForeignToolInstructions,
  findPoisonSignals,
  type PoisonSignal,
  type ToolReference,
} from '../../text/tool-text-analysis.js';

const CACHE_MAX_ENTRIES = 512;
/** Larger definitions are analysed every time rather than pinned in memory. */
const CACHE_MAX_KEY_CHARS = 65_536;
/** References kept before the caller removes its own tools and parameters. */
const MAX_UNFILTERED_REFERENCES = 64;
const NO_NAMES: ReadonlySet<string> = new Set();

export interface DefinitionAnalysis extends ToolDefinitionHash {
  /** `inputSchema.properties` names, in order (bounded). */
  readonly parameters: readonly string[];
  /** Every property name in the input and output schemas, at any depth (bounded). */
  readonly propertyNames: ReadonlySet<string>;
  /** Poisoning signals over every text of the definition (title, description, schemas, annotations). */
  readonly signals: readonly PoisonSignal[];
  /** Instructions about any tool, not yet filtered by the server's own tool names. */
  readonly references: readonly ToolReference[];
}

const cache = new Map<string, DefinitionAnalysis>();
// The three detectors see the same event objects: identity first, then the JSON key.
const byObject = new WeakMap<object, DefinitionAnalysis>();

function compute(tool: ToolDefinition): DefinitionAnalysis {
  const texts = definitionTexts(tool);
  const inputNames = schemaPropertyNames(tool.inputSchema);
  return {
    ...hashToolDefinition(tool),
    parameters: parameterNames(tool.inputSchema),
    propertyNames: new Set([...inputNames, ...schemaPropertyNames(tool.outputSchema)]),
    signals: findPoisonSignals(texts, inputNames),
    references: findForeignToolInstructions(texts, NO_NAMES, MAX_UNFILTERED_REFERENCES),
  };
}

/** The (memoised) analysis of a definition. The result is shared: callers must not mutate it. */
export function analyzeDefinition(tool: ToolDefinition): DefinitionAnalysis {
  const seen = byObject.get(tool);
  if (seen !== undefined) return seen;
  const analysis = analyzeByContent(tool);
  byObject.set(tool, analysis);
  return analysis;
}

function analyzeByContent(tool: ToolDefinition): DefinitionAnalysis {
  let key: string | undefined;
  try {
    key = JSON.stringify(tool);
  } catch {
    key = undefined;
  }
  if (key === undefined || key.length > CACHE_MAX_KEY_CHARS) return compute(tool);
  const hit = cache.get(key);
  if (hit !== undefined) {
    // Refresh recency: Map iteration order is insertion order, so the first key is the least recent.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const analysis = compute(tool);
  cache.set(key, analysis);
  if (cache.size > CACHE_MAX_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return analysis;
}

/**
 * References to tools that are neither the server's own (`ownTools`, from the same listing) nor
 * property names of this definition's schemas; `onlyWhere` restricts them to some texts (e.g.
 * title/description).
 */
export function foreignReferences(
  analysis: DefinitionAnalysis,
  ownTools: ReadonlySet<string>,
  onlyWhere?: (where: string) => boolean,
): ToolReference[] {
  return analysis.references.filter(
    (r) =>
      !ownTools.has(r.name) &&
      !analysis.propertyNames.has(r.name) &&
      (onlyWhere === undefined || onlyWhere(r.where)),
  );
}
