/**
 * RE2 programs for rule patterns, shared by pattern and flags and compiled at most once per
 * process. re2js compiles slowly (~0.5–3 ms a pattern here; the ATR pack has ~2,750), while most
 * patterns sit behind a literal prefilter and never run on a given deployment's traffic — so an
 * engine whose rules were validated before (the Lambda handler: the CDK app compiled them at
 * synth) asks for lazy programs, compiled the first time a prefilter hit reaches them.
 */
import { RE2JS } from 're2js';

/** Most programs kept (patterns come from rule files: bounded, but a long-lived test process compiles many sets). */
const MAX_CACHED = 20_000;
const programs = new Map<string, RE2JS>();

/** The compiled program (from the cache when this pattern and these flags were compiled before). Throws on invalid syntax. */
export function re2Program(pattern: string, flags: number): RE2JS {
  const key = `${flags}\u0000${pattern}`;
  let re = programs.get(key);
  if (re === undefined) {
    re = RE2JS.compile(pattern, flags);
    if (programs.size >= MAX_CACHED) programs.clear();
    programs.set(key, re);
  }
  return re;
}

/**
 * A program compiled on first use. A pattern that fails to compile then (it was validated
 * eagerly elsewhere, so only a hand-edited deployment gets here) throws on every use: the rule set
 * counts it as that rule's error and goes on.
 */
export function lazyRe2Program(pattern: string, flags: number): () => RE2JS {
  let re: RE2JS | undefined;
  let failure: unknown;
  return () => {
    if (re !== undefined) return re;
    if (failure !== undefined) throw failure;
    try {
      re = re2Program(pattern, flags);
    } catch (error) {
      failure = error;
      throw error;
    }
    return re;
  };
}
