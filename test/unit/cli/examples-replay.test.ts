/**
 * `npm start` replays examples/logs: it must show alerts from every category, raised by the
 * attack scenarios the examples contain, and read every line of every format.
 */
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../functions/cli/main.js';
import { loadEngineConfig } from '../../../functions/engine/config/defaults.js';

async function replayExamples(): Promise<{ code: number; alerts: Array<Record<string, unknown>>; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += String(c)));
  stderr.on('data', (c) => (err += String(c)));
  const code = await runCli(['replay', 'examples/logs', '--config', 'examples/watchtower.config.yaml', '--output', 'json'], { stdout, stderr, stdin: new PassThrough(), env: {} });
  return { code, alerts: out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>), stderr: err };
}

describe('npm start (replay of examples/logs)', () => {
  it('replays with the engine sections of watchtower.config.yaml plus the ATR pack', () => {
    const root = loadEngineConfig(readFileSync('watchtower.config.yaml', 'utf8'));
    const examples = loadEngineConfig(readFileSync('examples/watchtower.config.yaml', 'utf8'));
    if (!root.ok || !examples.ok) throw new Error('invalid config');
    const { rulePacks, deployment: _d, ...rest } = examples.config;
    const { rulePacks: _r, deployment: _d2, ...rootRest } = root.config;
    expect(rest).toEqual(rootRest);
    expect(rulePacks.atr?.enabled).toBe(true);
  });

  it('raises the attacks of every category and parses every line', async () => {
    const { code, alerts, stderr } = await replayExamples();
    expect(code).toBe(0);
    expect(new Set(alerts.map((a) => a.category))).toEqual(new Set(['auth', 'api', 'resource', 'config', 'agent', 'compliance']));
    const detectors = new Set(alerts.map((a) => a.detector as string));
    // Every shipped detector has a scenario here.
    const builtIn = [
      'AGT-CREDENTIAL-ACCESS', 'AGT-ELICITATION-FLOOD', 'AGT-EXFIL-ENCODING', 'AGT-TOXIC-FLOW', 'AGT-UNUSUAL-TOOL',
      'API-INJECTION', 'API-LOOP', 'API-PROMPT-INJECTION', 'API-PROTOCOL-ABUSE', 'API-RATE', 'API-SECRET-LEAK', 'API-SSRF',
      'AUTH-BAD-ORIGIN', 'AUTH-BRUTE-FORCE', 'AUTH-NEW-PRINCIPAL', 'AUTH-PRIV-ESC', 'AUTH-SESSION-HIJACK', 'AUTH-TOKEN-AUDIENCE', 'AUTH-UNAUTHENTICATED',
      'CFG-SERVER-CHANGE', 'CFG-TOOL-DRIFT', 'CFG-TOOL-POISONING', 'CFG-TOOL-SHADOWING',
      'CMP-POLICY',
      'RES-BULK-READ', 'RES-ERROR-RATE', 'RES-LATENCY', 'RES-SATURATION', 'RES-TELEMETRY-GAP',
    ];
    for (const id of builtIn) expect(detectors, id).toContain(id);
    // Beside them, Sigma rules: the project's (rules/) and the ATR pack (examples/watchtower.config.yaml enables it).
    const rules = [...detectors].filter((d) => !builtIn.includes(d));
    expect(rules.every((d) => /^(MCP-RULE-|MCP-CORR-|ATR-\d{4}-\d{5}$)/.test(d)), rules.join(' ')).toBe(true);
    for (const id of ['MCP-RULE-DOWNLOAD-EXECUTE', 'MCP-RULE-GIT-FORCE-PUSH', 'MCP-RULE-IMAGE-BEACON']) expect(detectors, id).toContain(id);
    expect(rules.filter((d) => d.startsWith('ATR-')).length).toBeGreaterThanOrEqual(5);
    // The ATR pack stays quiet on benign sessions: its alerts come from the attack scenarios and the devbox session.
    const atrSessions = new Set(alerts.filter((a) => String(a.detector).startsWith('ATR-')).map((a) => String(a.session)));
    // (sessions s-000001 … s-000030 are the 48 benign background sessions; attack scenarios follow)
    for (const s of atrSessions) expect(s === 'devbox-7' || (/^s-[0-9a-f]{6}$/.test(s) && parseInt(s.slice(2), 16) > 48), `ATR alert in benign session ${s}`).toBe(true);
    // The triage bot's tool sweep is judged against its own five earlier sessions.
    expect(alerts.filter((a) => a.detector === 'AGT-UNUSUAL-TOOL').map((a) => `${a.severity} ${a.principal} ${a.session}`)).toEqual([
      'low svc-triage-bot triage-6',
    ]);
    // Benign mail traffic only ever raises the low "private read then send" flow, never copied content.
    const benignToxic = alerts.filter((a) => a.detector === 'AGT-TOXIC-FLOW' && a.severity !== 'low');
    expect(benignToxic).toHaveLength(1);
    expect(stderr).toMatch(/, 0 unparsed and skipped/);
    // No secret from the logs in any alert.
    const all = JSON.stringify(alerts);
    expect(all).not.toMatch(/AKIA[A-Z0-9]{16}/);
    expect(all).not.toContain('MIIEow');
  }, 300_000);
});
