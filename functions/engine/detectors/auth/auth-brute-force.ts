import * as z from 'zod';
import { clientIp, findingContext, principalId } from '../../events/accessors.js';
import { defineDetector } from '../detector.js';
import { CountThreshold } from '../threshold.js';

export const authBruteForce = defineDetector({
  meta: {
    id: 'AUTH-BRUTE-FORCE',
    category: 'auth',
    title: 'Authentication brute force',
    severity: 'high',
    detects:
      'Repeated failed authentication (401 with a token presented, mcp.auth failures) from one source IP or against one principal.',
    why:
      'Token guessing and credential stuffing against an MCP endpoint show up as bursts of rejected tokens. The token-less first 401 of OAuth discovery is how every client starts, so it is not counted.',
    tuning:
      'Raise `threshold` for clients that retry aggressively with expired tokens; trust internal scanners with allowLists.cidrs. Failures whose token presence is unknown (API Gateway access logs) count against `unknownTokenThreshold`.',
    runbook: 'Look up the source IP and principal; block the IP at the WAF/gateway if it is not yours and revoke the targeted credentials.',
    references: [
      { id: 'OWASP-MCP07', title: 'OWASP MCP Top 10: Insufficient Authentication & Authorization' },
      { id: 'MCP-SEC-MONITORING', title: 'ModelContextProtocol-Security runtime monitoring: 5 auth failures in 300 s' },
      { id: 'MITRE-T1110', title: 'MITRE ATT&CK T1110 Brute Force', url: 'https://attack.mitre.org/techniques/T1110/' },
    ],
    state: 'window',
  },
  settings: z.object({
    threshold: z.number().int().min(1).default(5).describe('Failures (token presented) in the window that raise an alert.'),
    unknownTokenThreshold: z
      .number()
      .int()
      .min(1)
      .default(10)
      .describe('Failures with unknown token presence (API Gateway logs) in the window that raise an alert.'),
    windowSeconds: z.number().int().min(10).default(300).describe('Sliding window length.'),
  }),
  events: ['mcp.auth'],
  prepare(s) {
    const windowMs = s.windowSeconds * 1000;
    // Every failure at or above the threshold reports; the alert stage folds the burst into one alert.
    return {
      token: new CountThreshold({ threshold: s.threshold, windowMs, report: 'every' }),
      unknown: new CountThreshold({ threshold: s.unknownTokenThreshold, windowMs, report: 'every' }),
    };
  },
  evaluate(ev, ctx) {
    const e = ev.event;
    if (e.auth?.outcome !== 'failure') return;
    const tokenPresent = e.principal?.tokenPresent;
    // OAuth discovery: a client's first request carries no token and gets a 401 by design.
    if (tokenPresent === false) return;
    const known = tokenPresent === true;
    const kind = known ? 'token' : 'unknown';
    const threshold = ctx.prepared[kind];
    const server = e.server?.name ?? 'unknown';
    const subjects: Array<[string, string]> = [];
    const ip = clientIp(e);
    if (ip !== undefined) subjects.push(['ip', ip]);
    const principal = principalId(e);
    if (principal !== undefined) subjects.push(['principal', principal]);
    for (const [by, value] of subjects) {
      const failures = threshold.count(ctx.state, `AUTH-BRUTE-FORCE|${server}|${kind}|${by}|${value}`, ev.ts);
      if (failures < 0) continue;
      ctx.report({
        ...findingContext(e),
        severity: 'high',
        title: `${failures} failed authentications in ${ctx.settings.windowSeconds}s for ${by} ${value}`,
        subject: `${by}=${value}`,
        ts: ev.ts,
        evidence: {
          failures,
          threshold: threshold.threshold,
          windowSeconds: ctx.settings.windowSeconds,
          tokenPresent: known ? true : 'unknown',
          reason: e.auth.reason,
          ...(e.principal?.tokenFp !== undefined ? { tokenFp: e.principal.tokenFp } : {}),
        },
      });
    }
  },
});
