/**
 * Rules inside the engine: alerts carry the rule's id, title, level and category; per-rule
 * settings (enabled, shadow, severity, dedupSeconds) and suppressions are the platform's;
 * correlations of every type keep state through the StateView, with window edges and group-by.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../functions/engine/alerts/alert.js';
import { compileEngine, type Engine } from '../../../functions/engine/compile.js';
import { parseEngineConfig } from '../../../functions/engine/config/build.js';
import { ALL_DETECTORS } from '../../../functions/engine/detectors/registry.js';
import type { EngineEvent } from '../../../functions/engine/events/engine-event.js';
import { McpEventSchema } from '../../../functions/engine/events/schema.js';
import { runBatch } from '../../../functions/engine/pipeline.js';
import { compileConfiguredRules } from '../../../functions/engine/rules/config-rules.js';
import { parseRuleFile } from '../../../functions/engine/rules/rule-file.js';
import { MemoryStateStore } from '../../../functions/engine/state/memory-store.js';

const T0 = Date.parse('2026-05-01T12:00:00Z');

function engineWith(rulesYaml: string, config: Record<string, unknown> = {}): Engine {
  // Only the rules: every built-in detector off, so the alerts below are the rules' alone.
  const detectors = Object.fromEntries(ALL_DETECTORS.map((d) => [d.meta.id, { enabled: false }]));
  const parsed = parseEngineConfig({ detectors, ...config }, ALL_DETECTORS, () => true);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const file = parseRuleFile(rulesYaml, 'rules.yml');
  const rules = compileConfiguredRules(parsed.config, file.rules, ALL_DETECTORS, file.ok ? [] : file.errors);
  if (!rules.ok) throw new Error(rules.errors.join('\n'));
  return compileEngine(parsed.config, ALL_DETECTORS, rules.ruleSet);
}

function ev(seconds: number, fields: Record<string, unknown>): EngineEvent {
  const ts = T0 + seconds * 1000;
  const event = McpEventSchema.parse({ v: 1, event: 'mcp.call', time: new Date(ts).toISOString(), server: { name: 'srv' }, ...fields });
  return { event, ts, origin: { format: 'canonical', id: `t:${seconds}` } };
}

async function run(engine: Engine, batches: readonly (readonly EngineEvent[])[]) {
  const store = new MemoryStateStore();
  const alerts: Alert[] = [];
  const outcomes = [];
  let n = 0;
  for (const events of batches) {
    const outcome = await runBatch(engine, { batchId: `b${n++}`, events }, { store, sink: { publish: async (a) => void alerts.push(a) } });
    outcomes.push(outcome);
  }
  return { alerts, outcomes };
}

const SSH = `title: SSH key read
id: R-SSH
level: informational
tags: [mcp.category.resource]
description: reads a private key
detection:
  sel:
    arguments|endswith: /.ssh/id_rsa
  condition: sel
`;

describe('detection rules as detectors', () => {
  it('raise alerts with the rule id, title, level (informational → info) and category tag', async () => {
    const { alerts } = await run(engineWith(SSH), [[ev(0, { session: 's1', tool: 'read', arguments: { p: '/h/.ssh/id_rsa' } })]]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ detector: 'R-SSH', title: 'SSH key read', severity: 'info', category: 'resource', server: 'srv', description: 'reads a private key' });
  });

  it('ruleSettings: disabled, shadow, severity and dedupSeconds are applied by the platform', async () => {
    const events = [ev(0, { session: 's1', tool: 'read', arguments: { p: '/h/.ssh/id_rsa' } })];
    expect((await run(engineWith(SSH, { ruleSettings: { 'R-SSH': { enabled: false } } }), [events])).alerts).toHaveLength(0);
    const shadow = await run(engineWith(SSH, { ruleSettings: { 'R-SSH': { mode: 'shadow' } } }), [events]);
    expect(shadow.alerts).toHaveLength(0);
    expect(shadow.outcomes[0]?.shadowFindings).toEqual({ 'R-SSH': 1 });
    const forced = await run(engineWith(SSH, { ruleSettings: { 'R-SSH': { severity: 'critical' } } }), [events]);
    expect(forced.alerts[0]?.severity).toBe('critical');
    // Same incident half an hour apart: folded with the default dedup (1 h), a new alert with dedupSeconds 60.
    const later = [ev(1800, { session: 's1', tool: 'read', arguments: { p: '/h/.ssh/id_rsa' } })];
    expect((await run(engineWith(SSH), [events, later])).alerts).toHaveLength(1);
    expect((await run(engineWith(SSH, { ruleSettings: { 'R-SSH': { dedupSeconds: 60 } } }), [events, later])).alerts).toHaveLength(2);
  });

  it('suppressions name rules like detectors; an unknown id is an error', async () => {
    const events = [ev(0, { session: 's1', tool: 'read', arguments: { p: '/h/.ssh/id_rsa' } })];
    const suppressed = await run(engineWith(SSH, { suppressions: [{ detector: 'R-SSH', reason: 'known' }] }), [events]);
    expect(suppressed.alerts).toHaveLength(0);
    expect(() => engineWith(SSH, { suppressions: [{ detector: 'R-SHH', reason: 'typo' }] })).toThrow('suppressions[0].detector: unknown detector or rule "R-SHH"');
  });

  it('a rule that throws is counted, the batch goes on', async () => {
    const engine = engineWith(SSH);
    const set = engine.rules?.set;
    expect(set).toBeDefined();
    const original = set?.evaluate.bind(set);
    if (set === undefined || original === undefined) return;
    set.evaluate = (e, v, report, onError) => onError(set.rules[0] as never);
    const { outcomes } = await run(engine, [[ev(0, { tool: 'x' })]]);
    expect(outcomes[0]?.detectorErrors).toEqual({ 'R-SSH': 1 });
  });
});

const BASES = `title: Failed call
id: B-FAIL
name: failed
logsource: {category: call}
detection:
  sel: {result.isError: true}
  condition: sel
---
title: Read
id: B-READ
detection:
  sel: {tool|startswith: read_}
  condition: sel
---
title: Send
id: B-SEND
detection:
  sel: {tool|startswith: send_}
  condition: sel
`;

function correlation(body: string): string {
  return `${BASES}---\ntitle: Correlated\nid: CORR\nlevel: high\ncorrelation:\n${body
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}\n`;
}

const ids = (alerts: readonly Alert[]): string[] => alerts.map((a) => a.detector);

describe('correlations', () => {
  it('event_count: fires when the count in the window reaches the threshold, per group', async () => {
    const engine = engineWith(correlation('type: event_count\nrules: [failed]\ngroup-by: [principal.sub]\ntimespan: 1m\ncondition: {gte: 3}'));
    const fail = (s: number, sub: string) => ev(s, { tool: 'q', principal: { sub }, result: { isError: true } });
    expect(ids((await run(engine, [[fail(0, 'a'), fail(10, 'a'), fail(20, 'a')]])).alerts)).toEqual(['CORR']);
    // Three failures, but spread over two principals.
    expect(ids((await run(engine, [[fail(0, 'a'), fail(10, 'b'), fail(20, 'a')]])).alerts)).toEqual([]);
    // Window edges: the third failure 2 minutes after the first is outside a 1-minute window.
    expect(ids((await run(engine, [[fail(0, 'a'), fail(30, 'a'), fail(120, 'a')]])).alerts)).toEqual([]);
    // State carries across batches.
    expect(ids((await run(engine, [[fail(0, 'a')], [fail(10, 'a')], [fail(20, 'a')]])).alerts)).toEqual(['CORR']);
  });

  it('event_count: the base rule raises no alert of its own unless generate: true', async () => {
    const body = 'type: event_count\nrules: [failed]\ntimespan: 1m\ncondition: {gte: 1}';
    const fail = ev(0, { tool: 'q', result: { isError: true } });
    expect(ids((await run(engineWith(correlation(body)), [[fail]])).alerts)).toEqual(['CORR']);
    expect(ids((await run(engineWith(correlation(`${body}\ngenerate: true`)), [[fail]])).alerts).sort()).toEqual(['B-FAIL', 'CORR']);
  });

  it('value_count: distinct values of a field per group in the window', async () => {
    const engine = engineWith(correlation('type: value_count\nrules: [B-READ]\ngroup-by: [session]\ntimespan: 5m\ncondition: {field: arguments.path, gt: 2}'));
    const read = (s: number, session: string, path: string) => ev(s, { session, tool: 'read_file', arguments: { path } });
    expect(ids((await run(engine, [[read(0, 's', '/a'), read(1, 's', '/b'), read(2, 's', '/a'), read(3, 's', '/c')]])).alerts)).toEqual(['CORR']);
    expect(ids((await run(engine, [[read(0, 's', '/a'), read(1, 's', '/b'), read(2, 's', '/a'), read(3, 's', '/b')]])).alerts)).toEqual([]);
    expect(ids((await run(engine, [[read(0, 's', '/a'), read(1, 't', '/b'), read(2, 'u', '/c')]])).alerts)).toEqual([]);
    expect(ids((await run(engine, [[read(0, 's', '/a'), read(100, 's', '/b'), read(400, 's', '/c')]])).alerts)).toEqual([]);
  });

  it('temporal: every rule within the timespan, in any order', async () => {
    const engine = engineWith(correlation('type: temporal\nrules: [B-READ, B-SEND]\ngroup-by: [session]\ntimespan: 2m'));
    const e = (s: number, session: string, tool: string) => ev(s, { session, tool });
    expect(ids((await run(engine, [[e(0, 's', 'send_mail'), e(30, 's', 'read_file')]])).alerts)).toEqual(['CORR']);
    expect(ids((await run(engine, [[e(0, 's', 'read_file'), e(30, 's', 'read_db')]])).alerts)).toEqual([]);
    expect(ids((await run(engine, [[e(0, 's', 'read_file'), e(30, 't', 'send_mail')]])).alerts)).toEqual([]);
    expect(ids((await run(engine, [[e(0, 's', 'read_file'), e(200, 's', 'send_mail')]])).alerts)).toEqual([]);
  });

  it('temporal_ordered: the rules in their order within the timespan', async () => {
    const engine = engineWith(correlation('type: temporal_ordered\nrules: [B-READ, B-SEND]\ngroup-by: [session]\ntimespan: 2m'));
    const e = (s: number, tool: string) => ev(s, { session: 's', tool });
    expect(ids((await run(engine, [[e(0, 'read_file'), e(30, 'send_mail')]])).alerts)).toEqual(['CORR']);
    expect(ids((await run(engine, [[e(0, 'send_mail'), e(30, 'read_file')]])).alerts)).toEqual([]);
    expect(ids((await run(engine, [[e(0, 'read_file'), e(121, 'send_mail')]])).alerts)).toEqual([]);
    // Edge: exactly the timespan apart still counts; a later read restarts the chain.
    expect(ids((await run(engine, [[e(0, 'read_file'), e(120, 'send_mail')]])).alerts)).toEqual(['CORR']);
    expect(ids((await run(engine, [[e(0, 'read_file'), e(200, 'read_file'), e(300, 'send_mail')]])).alerts)).toEqual(['CORR']);
  });

  it('keeps one state item per group and never more (bounded by the group values seen)', async () => {
    const engine = engineWith(correlation('type: event_count\nrules: [failed]\ngroup-by: [principal.sub]\ntimespan: 1m\ncondition: {gte: 100}'));
    const store = new MemoryStateStore();
    const events = Array.from({ length: 50 }, (_, i) => ev(i, { tool: 'q', principal: { sub: `p${i % 5}` }, result: { isError: true } }));
    await runBatch(engine, { batchId: 'x', events }, { store, sink: { publish: async () => undefined } });
    expect([...store.keys()].filter((k) => k.startsWith('RULE|CORR|'))).toHaveLength(5);
  });
});
