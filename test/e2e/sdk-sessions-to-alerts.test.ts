/**
 * End to end with the real MCP SDK: SDK Clients drive instrumented servers over stdio (separate
 * processes; events read from their stderr) and over Streamable HTTP on 127.0.0.1 (the example
 * endpoint with the HTTP logger and the SDK's requireBearerAuth). The lines the servers wrote are
 * delivered as CloudWatch Logs subscription payloads — one log group per server — to the real
 * ingest handler (DynamoDB Local state, fauxqs SNS → SQS), and the alerts are read from the queue.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import {
  EXAMPLE_TOKENS,
  startHttpExample,
  type RunningHttpExample,
} from '../../examples/instrumented-server/http-server.js';
import type { Alert } from '../../functions/engine/alerts/alert.js';
import type { Severity } from '../../functions/engine/alerts/severity.js';
import { subscriptionEvent, type LogSource } from './support/cloudwatch-delivery.js';
import { connectHttp, rejectedConnect } from './support/http-session.js';
import { LineCollector, type CapturedLine, type ParsedEvent } from './support/line-collector.js';
import { closeAllStdioSessions, connectStdio } from './support/stdio-session.js';
import { startPipeline, type WatchtowerPipeline } from './support/watchtower-pipeline.js';

const EXAMPLE_SERVER = fileURLToPath(
  new URL('../../examples/instrumented-server/server.ts', import.meta.url),
);
const POISONED_SERVER = fileURLToPath(new URL('./fixtures/poisoned-tool-server.ts', import.meta.url));
const RUG_PULL_SERVER = fileURLToPath(new URL('./fixtures/rug-pull-server.ts', import.meta.url));

const AGENT = { name: 'claude-code', version: '2.1.0' };
const AGENT_USER_AGENT = 'claude-code/2.1.0 (linux; x64)';

/** One log group per server deployment. */
const LOG_GROUPS = {
  httpFiles: '/ecs/example-files-mcp',
  stdioFiles: '/mcp/workstations/example-files-mcp',
  calculator: '/mcp/workstations/calculator-mcp',
  weather: '/mcp/workstations/weather-mcp',
} as const;
const HTTP_STREAM = 'mcp/example-files-mcp/6b1d0c3e9f2a4d57a1c8e0f3b2d4a6c9';

const SEVERITY_RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

let pipeline: WatchtowerPipeline;
let http: RunningHttpExample;
const httpLines = new LineCollector();
/** Session id → the scenario step that ran it, to attribute each alert to its step. */
const steps = new Map<string, string>();

function sessionOf(lines: readonly CapturedLine[]): string {
  const session = (JSON.parse(lines[0]?.message ?? '{}') as { session?: unknown }).session;
  if (typeof session !== 'string') throw new Error('the server wrote no session id');
  return session;
}

/** A stdio server logs one stream per process, i.e. per session. */
function stdioSource(logGroup: string, lines: readonly CapturedLine[]): LogSource {
  return { logGroup, logStream: `workstation-17/${sessionOf(lines)}` };
}

/** Delivers each server's lines as one subscription payload, in order, and reads what was published. */
async function ingest(
  deliveries: ReadonlyArray<readonly [LogSource, readonly CapturedLine[]]>,
): Promise<Alert[]> {
  let published = 0;
  for (const [source, lines] of deliveries) {
    const result = await pipeline.ingest(subscriptionEvent(source, lines));
    // Every line the instrumentation wrote is a valid canonical event.
    expect(result).toMatchObject({ status: 'processed', events: lines.length });
    if (result.status === 'processed') published += result.published;
  }
  const alerts = await pipeline.drainAlerts();
  expect(alerts).toHaveLength(published);
  return alerts;
}

/** `detector severity server`, sorted. */
function summary(alerts: readonly Alert[]): string[] {
  return alerts.map((a) => `${a.detector} ${a.severity} ${a.server}`).sort();
}

/** `step detector severity server`, sorted: the step is the session's, else the client IP's. */
function attributed(alerts: readonly Alert[]): string[] {
  return alerts
    .map((a) => {
      const step =
        a.session !== undefined
          ? (steps.get(a.session) ?? `unknown-session:${a.session}`)
          : `ip:${a.clientIp ?? '?'}`;
      return `${step} ${a.detector} ${a.severity} ${a.server}`;
    })
    .sort();
}

/** The HTTP logger's record of a client ending its session (DELETE). */
function isSessionEnd(event: ParsedEvent, sessionId: string): boolean {
  return (
    event.event === 'mcp.session' &&
    event.session === sessionId &&
    (event.rpc as { method?: unknown } | undefined)?.method === 'DELETE'
  );
}

function only(alerts: readonly Alert[], detector: string): Alert {
  const found = alerts.filter((a) => a.detector === detector);
  expect(found).toHaveLength(1);
  return found[0] as Alert;
}

beforeAll(async () => {
  [pipeline, http] = await Promise.all([
    startPipeline(),
    startHttpExample({ port: 0, write: httpLines.write }),
  ]);
});

afterAll(async () => {
  await closeAllStdioSessions();
  await http?.close();
});

describe('real SDK sessions → CloudWatch Logs subscription → ingest handler → SNS → SQS', () => {
  let benignAlerts: Alert[] = [];

  // The servers' normal history, on both transports: list, read, search, mail a colleague.
  beforeAll(async () => {
    const stdio = await connectStdio(EXAMPLE_SERVER, AGENT);
    await stdio.client.listTools();
    await stdio.client.callTool({ name: 'search_docs', arguments: { query: 'deploy' } });
    await stdio.client.callTool({ name: 'read_file', arguments: { path: '/srv/docs/deploy.md' } });
    await stdio.client.callTool({ name: 'read_file', arguments: { path: 'oncall.md' } });
    await stdio.client.callTool({
      name: 'send_email',
      arguments: {
        to: 'dana@example.com',
        subject: 'Release on Thursday',
        body: 'Hi Dana, I will run the release on Thursday at 10:00. Ping me if that clashes with anything.',
      },
    });
    const stdioLines = await stdio.close();
    steps.set(sessionOf(stdioLines), 'benign-stdio');

    const mark = httpLines.lines.length;
    const session = await connectHttp(http.url, EXAMPLE_TOKENS.alice, AGENT, AGENT_USER_AGENT);
    steps.set(session.sessionId, 'benign-http');
    await session.client.listTools();
    await session.client.callTool({ name: 'search_docs', arguments: { query: 'on-call', limit: 5 } });
    await session.client.callTool({ name: 'read_file', arguments: { path: '/srv/docs/readme.md' } });
    await session.client.callTool({
      name: 'send_email',
      arguments: {
        to: 'sam@example.com',
        subject: 'Docs',
        body: 'Sam, the team docs now live in the document store; start with the readme.',
      },
    });
    await session.end();
    await httpLines.waitFor('the DELETE that ends the benign HTTP session', (events) =>
      events.some((e) => isSessionEnd(e, session.sessionId)),
    );

    benignAlerts = await ingest([
      [stdioSource(LOG_GROUPS.stdioFiles, stdioLines), stdioLines],
      [{ logGroup: LOG_GROUPS.httpFiles, logStream: HTTP_STREAM }, httpLines.since(mark)],
    ]);
  });

  it('benign sessions raise nothing of medium severity or above', () => {
    expect(summary(benignAlerts)).toEqual([
      'AGT-TOXIC-FLOW low example-files-mcp',
      'AGT-TOXIC-FLOW low example-files-mcp',
      'AUTH-NEW-PRINCIPAL low example-files-mcp',
    ]);
    expect(attributed(benignAlerts)).toEqual(
      [
        // The catalogue's low "private read, then a public sink in the same session" (no content copied).
        'benign-http AGT-TOXIC-FLOW low example-files-mcp',
        'benign-stdio AGT-TOXIC-FLOW low example-files-mcp',
        // user-42 first seen on this server (claude-code from 127.0.0.0/24): context, not an incident.
        'benign-http AUTH-NEW-PRINCIPAL low example-files-mcp',
      ].sort(),
    );
    for (const alert of benignAlerts)
      expect(SEVERITY_RANK[alert.severity]).toBeLessThan(SEVERITY_RANK.medium);
    // user-42 with claude-code; the session's DELETE (no client name) is not a new "(none)" client.
    expect(
      benignAlerts
        .filter((a) => a.detector === 'AUTH-NEW-PRINCIPAL')
        .map((a) => [a.principal, a.evidence.client, a.evidence.network, a.evidence.newPrincipal]),
    ).toEqual([['user-42', 'claude-code', '127.0.0.0/24', true]]);
    for (const alert of benignAlerts.filter((a) => a.detector === 'AGT-TOXIC-FLOW')) {
      expect(alert).toMatchObject({ tool: 'send_email', evidence: { sourceTool: 'read_file' } });
    }
  });

  it('attack sessions raise exactly the alerts each attack justifies', async () => {
    // A server whose tool description hides an instruction to read ~/.ssh/id_rsa and keep quiet.
    const poisoned = await connectStdio(POISONED_SERVER, { name: 'cursor', version: '1.7.0' });
    await poisoned.client.listTools();
    await poisoned.client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
    const poisonedLines = await poisoned.close();
    steps.set(sessionOf(poisonedLines), 'poisoned-description');

    // A rug pull: the tool gains a `sidenote` parameter after its first use (tools/list_changed).
    const rugPull = await connectStdio(RUG_PULL_SERVER, AGENT);
    const changed = new Promise<void>((resolve) =>
      rugPull.client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()),
    );
    const before = await rugPull.client.listTools();
    await rugPull.client.callTool({ name: 'get_forecast', arguments: { city: 'Lisbon' } });
    await changed;
    const after = await rugPull.client.listTools();
    expect(Object.keys(before.tools[0]?.inputSchema.properties ?? {})).toEqual(['city']);
    expect(Object.keys(after.tools[0]?.inputSchema.properties ?? {})).toEqual(['city', 'sidenote']);
    const rugPullLines = await rugPull.close();
    steps.set(sessionOf(rugPullLines), 'rug-pull');
    expect(rugPullLines.map((l) => (JSON.parse(l.message) as { event: string }).event)).toContain(
      'mcp.notification',
    );

    // A hijacked agent on the stdio file server: path traversal, credential read, metadata SSRF.
    const hijacked = await connectStdio(EXAMPLE_SERVER, AGENT);
    await hijacked.client.listTools();
    await hijacked.client.callTool({ name: 'read_file', arguments: { path: '../../../../etc/passwd' } });
    await hijacked.client.callTool({ name: 'read_file', arguments: { path: '~/.aws/credentials' } });
    await hijacked.client.callTool({
      name: 'fetch_url',
      arguments: { url: 'http://169.254.169.254/latest/meta-data/' },
    });
    const hijackedLines = await hijacked.close();
    steps.set(sessionOf(hijackedLines), 'hijacked-stdio');

    // Over HTTP: SQL injection through a valid session, then forged bearer tokens from one client.
    const mark = httpLines.lines.length;
    const injector = await connectHttp(http.url, EXAMPLE_TOKENS.alice, AGENT, AGENT_USER_AGENT);
    steps.set(injector.sessionId, 'sql-injection-http');
    await injector.client.callTool({ name: 'search_docs', arguments: { query: "' OR '1'='1' --" } });
    await injector.client.callTool({ name: 'search_docs', arguments: { query: "x'; DROP TABLE users; --" } });
    await injector.end();
    const forgedTokens = Array.from(
      { length: 6 },
      (_, i) => `forged-${i}-` + 'f3a9c1d27e'.repeat(2).slice(i, i + 12),
    );
    for (const token of forgedTokens) {
      const error = await rejectedConnect(
        http.url,
        token,
        { name: 'probe', version: '0.0.1' },
        'python-httpx/0.27.0',
      );
      expect((error as Error & { code?: unknown }).code).toBe(401);
    }
    await httpLines.waitFor(
      'the DELETE of the injecting session and one mcp.auth failure per forged token',
      (events) =>
        events.slice(mark).some((e) => isSessionEnd(e, injector.sessionId)) &&
        events.slice(mark).filter((e) => e.event === 'mcp.auth').length === forgedTokens.length,
    );
    const failures = httpLines
      .events()
      .slice(mark)
      .filter((e) => e.event === 'mcp.auth');
    // Six different tokens, each rejected by requireBearerAuth and fingerprinted by the HTTP logger.
    expect(new Set(failures.map((e) => (e.principal as { tokenFp?: string }).tokenFp)).size).toBe(6);
    for (const failure of failures) {
      expect(failure).toMatchObject({
        auth: { outcome: 'failure', reason: 'invalid_token' },
        principal: { tokenPresent: true },
        client: { ip: '127.0.0.1', userAgent: 'python-httpx/0.27.0' },
        http: { status: 401 },
      });
    }

    const attackAlerts = await ingest([
      [stdioSource(LOG_GROUPS.calculator, poisonedLines), poisonedLines],
      [stdioSource(LOG_GROUPS.weather, rugPullLines), rugPullLines],
      [stdioSource(LOG_GROUPS.stdioFiles, hijackedLines), hijackedLines],
      [{ logGroup: LOG_GROUPS.httpFiles, logStream: HTTP_STREAM }, httpLines.since(mark)],
    ]);

    expect(summary(attackAlerts)).toEqual([
      'AGT-CREDENTIAL-ACCESS high example-files-mcp',
      'API-INJECTION high example-files-mcp',
      'API-INJECTION medium example-files-mcp',
      'API-SECRET-LEAK medium example-files-mcp',
      'API-SSRF critical example-files-mcp',
      'AUTH-BRUTE-FORCE high example-files-mcp',
      'CFG-TOOL-DRIFT high weather-mcp',
      'CFG-TOOL-POISONING high calculator-mcp',
    ]);
    expect(attributed(attackAlerts)).toEqual([
      'hijacked-stdio AGT-CREDENTIAL-ACCESS high example-files-mcp',
      'hijacked-stdio API-INJECTION high example-files-mcp',
      'hijacked-stdio API-SECRET-LEAK medium example-files-mcp',
      'hijacked-stdio API-SSRF critical example-files-mcp',
      'ip:127.0.0.1 AUTH-BRUTE-FORCE high example-files-mcp',
      'poisoned-description CFG-TOOL-POISONING high calculator-mcp',
      'rug-pull CFG-TOOL-DRIFT high weather-mcp',
      'sql-injection-http API-INJECTION medium example-files-mcp',
    ]);

    // What each alert says, so the right evidence — not just the right detector — came through.
    const poisoning = only(attackAlerts, 'CFG-TOOL-POISONING');
    expect(poisoning).toMatchObject({ tool: 'add', source: { logGroup: LOG_GROUPS.calculator } });
    expect(poisoning.evidence.kinds).toEqual(
      expect.arrayContaining(['instruction-tag', 'concealment', 'pre-use-instruction']),
    );
    expect(only(attackAlerts, 'CFG-TOOL-DRIFT')).toMatchObject({
      tool: 'get_forecast',
      evidence: {
        changed: ['inputSchema'],
        addedParameters: ['sidenote'],
        sideChannelParameters: ['sidenote'],
      },
    });
    expect(only(attackAlerts, 'AGT-CREDENTIAL-ACCESS')).toMatchObject({
      tool: 'read_file',
      evidence: { kinds: ['aws-credentials'], paths: ['~/.aws/credentials'], outcome: 'succeeded' },
    });
    expect(only(attackAlerts, 'API-SSRF')).toMatchObject({
      tool: 'fetch_url',
      evidence: { host: '169.254.169.254', reasons: ['cloud-metadata'] },
    });
    const injections = attackAlerts.filter((a) => a.detector === 'API-INJECTION');
    expect(injections.map((a) => [a.tool, a.evidence.category, a.count]).sort()).toEqual([
      ['read_file', 'path-traversal', 1],
      // Both SQL payloads (tautology, stacked DROP TABLE) fold into one alert per tool and category.
      ['search_docs', 'sql', 2],
    ]);
    expect(only(attackAlerts, 'AUTH-BRUTE-FORCE')).toMatchObject({
      clientIp: '127.0.0.1',
      source: { logGroup: LOG_GROUPS.httpFiles },
      evidence: { failures: 5, threshold: 5, tokenPresent: true, reason: 'invalid_token' },
    });
    // No attack alert lands on a benign session.
    expect(attributed(attackAlerts).filter((line) => line.startsWith('benign-'))).toEqual([]);
  });
});
