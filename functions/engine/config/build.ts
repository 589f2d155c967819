/**
 * Builds the full config schema from the detector registry and turns a parsed config document into
 * a validated EngineConfig. Every error names the key and the problem ("detectors.API-RATE.perMinute: …").
 * No YAML here: the Lambda handlers read the bundled JSON config, so the YAML parser stays out
 * of their bundles; the CLI and the CDK app read YAML through config/yaml-source.ts.
 */
import * as z from 'zod';
import type { AnyDetector } from '../detectors/registry-types.js';
import { parseCidr } from '../net/ip.js';
import { CommonDetectorSettings, engineConfigShape, type EngineConfig } from './schema.js';

export function buildConfigSchema(detectors: readonly AnyDetector[]) {
  const shape: Record<string, z.ZodType> = {};
  for (const detector of detectors) {
    // One strict object per detector (not extend().strict(): each step builds another schema).
    shape[detector.meta.id] = z.strictObject({ ...CommonDetectorSettings.shape, ...detector.settings.shape }).prefault({});
  }
  const detectorsSchema = z.object(shape).strict().prefault({});
  return z.object(engineConfigShape(detectorsSchema)).strict();
}

export type ConfigResult = { readonly ok: true; readonly config: EngineConfig } | { readonly ok: false; readonly errors: string[] };

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number;
      row[j] = Math.min(cur + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] as number;
}

function suggestion(key: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(key.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean "${best}"?)` : '';
}

function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: z.ZodType | undefined = schema;
  for (const part of path) {
    node = unwrap(node);
    if (node instanceof z.ZodObject) node = (node.shape as Record<string, z.ZodType>)[String(part)];
    else if (node instanceof z.ZodRecord) node = node.valueType as z.ZodType;
    else if (node instanceof z.ZodArray) node = node.element as z.ZodType;
    else return [];
  }
  node = unwrap(node);
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

function unwrap(node: z.ZodType | undefined): z.ZodType | undefined {
  let current = node;
  for (let i = 0; i < 8 && current; i++) {
    if (current instanceof z.ZodDefault || current instanceof z.ZodPrefault || current instanceof z.ZodOptional) {
      current = current.unwrap() as z.ZodType;
    } else break;
  }
  return current;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[') || '(root)';
}

function formatIssues(schema: z.ZodType, error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, issue.path);
      return issue.keys
        .map((key) => `${formatPath([...issue.path, key])}: unknown key${suggestion(key, known)}`)
        .join('\n');
    }
    return `${where}: ${issue.message}`;
  });
}

function semanticErrors(config: EngineConfig, detectors: readonly AnyDetector[], isRuleId: (id: string) => boolean): string[] {
  const errors: string[] = [];
  const ids = new Set(detectors.map((d) => d.meta.id));
  config.allowLists.cidrs.forEach((cidr, i) => {
    if (!parseCidr(cidr)) errors.push(`allowLists.cidrs[${i}]: "${cidr}" is not a CIDR (e.g. 10.0.0.0/8)`);
  });
  config.suppressions.forEach((s, i) => {
    if (s.detector !== undefined && !ids.has(s.detector) && !isRuleId(s.detector)) {
      errors.push(`suppressions[${i}].detector: unknown detector "${s.detector}"${suggestion(s.detector, [...ids])}`);
    }
    if (s.cidr !== undefined && !parseCidr(s.cidr)) errors.push(`suppressions[${i}].cidr: "${s.cidr}" is not a CIDR`);
    const matchers = [s.detector, s.server, s.principal, s.cidr, s.tool, s.session].filter((m) => m !== undefined);
    if (matchers.length === 0) errors.push(`suppressions[${i}]: needs at least one of detector, server, principal, cidr, tool, session`);
  });
  return errors;
}

/**
 * Validates an already-parsed config object. `isRuleId` accepts rule ids where detector ids go
 * (suppressions); callers that load rules after the config pass `() => true` and check the ids
 * against the compiled rules (rules/config-rules.ts).
 */
export function parseEngineConfig(raw: unknown, detectors: readonly AnyDetector[], isRuleId: (id: string) => boolean = () => false): ConfigResult {
  const schema = buildConfigSchema(detectors);
  // One parse per schema instance: zod's JIT would compile a fast path for every object schema
  // (tens of milliseconds at a Lambda cold start) and never use it again.
  const result = schema.safeParse(raw ?? {}, { jitless: true });
  if (!result.success) return { ok: false, errors: formatIssues(schema, result.error) };
  const config = result.data as unknown as EngineConfig;
  const errors = semanticErrors(config, detectors, isRuleId);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config };
}
