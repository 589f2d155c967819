/**
 * `npm run atr-pack`: converts the agent-threat-rules package into the ATR pack.
 *
 *   1. every rule file → Sigma document (or an exclusion with its reason);
 *   2. each converted rule runs its own test cases alone; a rule failing any is excluded;
 *   3. defaults, measured: false positives on README/doc chunks of node_modules decide alert vs
 *      shadow; how often the prefilter lets ordinary traffic through to a rule's regexes decides
 *      whether it ships on;
 *   4. writes functions/engine/rules/packs/atr/atr-pack.json and docs/atr-pack.md.
 *
 * Takes minutes (12 MB of YAML, ~700 rules over ~600 chunks of text); run it after upgrading the
 * package. The pack's vitest test checks the file still matches a fresh conversion.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileRuleSet, type LoadedRule } from '../../functions/engine/rules/index.js';
import type { AtrPack, AtrPackExcluded, AtrPackRule } from '../../functions/engine/rules/packs/atr/pack.js';
import { benignChunks } from './benign-corpus.js';
import { ATR_PACK_DOC, ATR_PACK_JSON } from './paths.js';
import { atrPackage, readAtrRules } from './read-atr-rules.js';
import { renderAtrPackDoc } from './render-doc.js';
import { packRule, runAtrTests } from './run-tests.js';
import { trafficEvents, candidateRate } from './traffic-sample.js';


/** A rule alerts by default when it fires on at most this many benign chunks. */
const FP_THRESHOLD = 0;
/** Every Nth chunk of the benign corpus is measured (keeps the run to minutes). */
const CHUNK_STRIDE = 4;
/** A rule ships on when its literals let at most this share of ordinary traffic through. */
const CANDIDATE_RATE_LIMIT = 0.02;
const TRAFFIC_LINES = 3000;

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function main(): Promise<void> {
  const { dir, version } = atrPackage();
  let t = performance.now();
  const entries = readAtrRules(join(dir, 'rules'));
  log(`read ${entries.length} rule files in ${Math.round(performance.now() - t)} ms`);

  const excluded: AtrPackExcluded[] = [];
  const passing: { run: NonNullable<ReturnType<typeof runAtrTests>>; dropped: string[] }[] = [];
  let cases = 0;
  let passed = 0;
  let convertedRules = 0;
  t = performance.now();
  for (const entry of entries) {
    const c = entry.converted;
    if (c.state === 'disabled') {
      excluded.push({ id: c.id, title: c.title, reason: c.reason, detail: c.detail });
      continue;
    }
    convertedRules++;
    const run = runAtrTests(entry);
    if (!run) continue;
    cases += run.cases;
    passed += run.passed;
    if (run.error !== undefined) {
      excluded.push({ id: c.id, title: c.title, reason: 'compile-error', detail: run.error });
      continue;
    }
    if (run.failures.length > 0) {
      const dropped = c.dropped.map((d) => `c${d.index} ${d.reason}`).join(', ');
      const detail = `${dropped ? `after dropping ${dropped}: ` : ''}${run.failures.length} of ${run.cases} cases fail: ${run.failures.slice(0, 3).join('; ')}`;
      excluded.push({ id: c.id, title: c.title, reason: 'fails-own-tests', detail });
      continue;
    }
    passing.push({ run, dropped: c.dropped.map((d) => `c${d.index} (${d.field}): ${d.reason}`) });
  }
  log(`tests: ${passed}/${cases} cases, ${passing.length}/${convertedRules} rules pass all, in ${Math.round(performance.now() - t)} ms`);

  // Prefilter rate on ordinary traffic, per rule (deterministic: literal occurrence, not time).
  const traffic = trafficEvents(TRAFFIC_LINES);
  const rates = new Map<string, number>();
  for (const { run } of passing) {
    const rule = run.ruleSet?.rules[0];
    rates.set(run.id, candidateRate(rule?.detection?.gate ?? null, traffic));
  }

  // False positives on benign text, all passing rules in one compiled set.
  const chunks = benignChunks(join(process.cwd(), 'node_modules')).filter((_, i) => i % CHUNK_STRIDE === 0);
  const loaded: LoadedRule[] = passing.map(({ run }) => packRule(run.doc, run.file).rule as LoadedRule);
  const all = compileRuleSet(loaded, { includeDisabled: true }).ruleSet;
  const hits = new Map<string, number>();
  t = performance.now();
  chunks.forEach((chunk, i) => {
    const event = { v: 1, event: 'mcp.call', time: '2026-11-24T10:00:00.000Z', server: { name: 'benign' }, tool: 'fetch_docs', arguments: { content: chunk.text }, result: { text: chunk.text } };
    for (const index of all.match(event)) {
      const id = all.rules[index]?.id as string;
      hits.set(id, (hits.get(id) ?? 0) + 1);
    }
    if ((i + 1) % 100 === 0) log(`benign ${i + 1}/${chunks.length} (${Math.round(performance.now() - t)} ms)`);
  });

  const rules: AtrPackRule[] = passing.map(({ run, dropped }) => {
    const rate = rates.get(run.id) ?? 1;
    const benignHits = hits.get(run.id) ?? 0;
    const { tests: _tests, ...doc } = run.doc;
    return {
      doc: doc as AtrPackRule['doc'],
      enabled: rate <= CANDIDATE_RATE_LIMIT,
      mode: benignHits <= FP_THRESHOLD ? 'alert' : 'shadow',
      benignHits,
      candidateRate: Math.round(rate * 10000) / 10000,
      ...(dropped.length > 0 ? { dropped } : {}),
      tests: run.cases,
    };
  });
  const pack: AtrPack = {
    package: 'agent-threat-rules',
    version,
    method: {
      benignCorpus: `the README and docs/*.md files of the packages in node_modules (every ${CHUNK_STRIDE}th chunk; agent-threat-rules itself excluded)`,
      benignChunks: chunks.length,
      fpThreshold: FP_THRESHOLD,
      trafficEvents: traffic.length,
      candidateRateLimit: CANDIDATE_RATE_LIMIT,
    },
    tests: { cases, passed, rules: convertedRules, rulesPassing: passing.length },
    rules,
    excluded: excluded.sort((a, b) => a.id.localeCompare(b.id)),
  };
  writeFileSync(ATR_PACK_JSON, `${JSON.stringify(pack)}\n`);
  writeFileSync(ATR_PACK_DOC, renderAtrPackDoc(pack));
  const on = rules.filter((r) => r.enabled);
  log(
    `wrote ${ATR_PACK_JSON}: ${rules.length} rules (${on.filter((r) => r.mode === 'alert').length} alert, ${on.filter((r) => r.mode === 'shadow').length} shadow, ${rules.length - on.length} off), ${excluded.length} not imported`,
  );
}

await main();
