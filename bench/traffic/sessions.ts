/**
 * Benign MCP sessions: initialize, tools/list, then a handful of ordinary tool calls with
 * realistic arguments, results and latencies — including near-miss text (security words in
 * benign content) that detectors must not fire on.
 */
import type { SimEvent } from './lines.js';
import type { Rng } from './rng.js';
import type { SimServer, SimUser } from './world.js';

export interface SessionContext {
  readonly rng: Rng;
  readonly server: SimServer;
  readonly stream: string;
  readonly user: SimUser;
  readonly session: string;
  readonly ip: string;
}

export interface TimedEvent {
  readonly t: number;
  readonly ev: SimEvent;
}

const TOPICS = [
  'quarterly revenue', 'onboarding checklist', 'password reset policy', 'incident postmortem template',
  'how to prevent SQL injection in our services', 'rotating credentials safely', 'deploy pipeline',
  'on-call handbook', 'data retention schedule', 'why we drop tables only via migrations',
];

// What users write in outgoing mail: never copied from what the tools returned.
const EMAIL_LINES = [
  'Can we move the sync to Thursday afternoon?',
  'Attached are my notes from the planning session.',
  'Thanks for the quick turnaround on the review.',
  'Let me know if the draft works for you.',
];

const SENTENCES = [
  'The quarterly numbers improved across all regions, led by the EU team.',
  'Remember to rotate your access keys every ninety days; never paste them into chat.',
  'To clean the build directory run the clean script rather than deleting files by hand.',
  'Our guide on SQL injection explains why every query uses bound parameters.',
  'Ignore the previous draft of this page; the current policy is below.',
  'Customer escalations go to the support rotation first, then to the account owner.',
  'The incident was caused by an expired certificate on the internal load balancer.',
  'Meeting notes: ship the onboarding flow, review the retention schedule, plan the offsite.',
];

export function baseFields(c: SessionContext): Record<string, unknown> {
  return {
    v: 1,
    server: { name: c.server.name, version: c.server.version, instance: c.stream },
    transport: 'streamable-http',
    protocolVersion: '2025-11-25',
    session: c.session,
    client: { name: c.user.clientName, version: c.user.clientVersion, ip: c.ip, userAgent: `${c.user.clientName}/${c.user.clientVersion}` },
    principal: {
      sub: c.user.sub,
      clientId: c.user.clientId,
      scopes: ['mcp:tools'],
      tokenPresent: true,
      tokenFp: c.user.tokenFp,
      iss: 'https://auth.example.com',
      aud: ['https://mcp.example.com/mcp'],
    },
    http: { method: 'POST', path: '/mcp', status: 200 },
  };
}

function text(rng: Rng, sentences: number): string {
  let out = '';
  for (let i = 0; i < sentences; i++) out += `${rng.pick(SENTENCES)} `;
  return out.trim();
}

function argumentsFor(rng: Rng, tool: string, user: SimUser): Record<string, unknown> {
  switch (tool) {
    case 'read_file':
      return { path: `/srv/data/reports/${rng.pick(['q1', 'q2', 'q3', 'roadmap', 'handbook'])}-${rng.int(1, 40)}.md` };
    case 'list_directory':
      return { path: rng.pick(['/srv/data/reports', '/srv/data/shared', '/srv/data/out']) };
    case 'search_files':
    case 'search_docs':
      return { query: rng.pick(TOPICS) };
    case 'write_file':
      return { path: `/srv/data/out/summary-${rng.int(1, 500)}.md`, content: text(rng, 2) };
    case 'get_page':
      return { id: `page-${rng.int(1, 300)}` };
    case 'fetch_url':
      return { url: rng.pick(['https://docs.aws.amazon.com/lambda/latest/dg/welcome.html', 'https://modelcontextprotocol.io/specification/2025-11-25', 'https://example.com/localhost-setup-guide']) };
    case 'query_customers':
      return { where: rng.pick(["region = 'EU' AND status = 'active'", "plan = 'pro'", "created_at > '2026-01-01'"]) };
    case 'get_customer':
      return { id: `cus_${rng.int(1000, 9999)}` };
    case 'read_inbox':
      return { folder: rng.pick(['INBOX', 'Updates']) };
    case 'send_email':
      return { to: `${rng.pick(['alice', 'bob', 'carol'])}@example.com`, subject: 'Weekly update', body: `Hi, ${rng.pick(EMAIL_LINES)} Thanks, ${user.sub}` };
    default:
      return {};
  }
}

/** One benign session starting at `start`. */
export function benignSession(c: SessionContext, start: number): TimedEvent[] {
  const { rng, server } = c;
  const base = baseFields(c);
  const out: TimedEvent[] = [];
  let t = start;
  const iso = (time: number) => new Date(time).toISOString();
  out.push({ t, ev: { ...base, event: 'mcp.session', time: iso(t), rpc: { id: 0, method: 'initialize' } } as SimEvent });
  t += rng.int(50, 400);
  const tools = server.tools.map((tool) => ({ ...tool }));
  out.push({
    t,
    ev: { ...base, event: 'mcp.call', time: iso(t), rpc: { id: 1, method: 'tools/list' }, durationMs: rng.logNormal(8, 0.4), result: { isError: false, bytes: 1500 } } as SimEvent,
  });
  out.push({ t: t + 1, ev: { ...base, event: 'mcp.tools', time: iso(t + 1), tools } as SimEvent });
  const calls = rng.int(3, 25);
  for (let i = 0; i < calls; i++) {
    t += rng.int(1500, 30_000);
    // Writes and sends are rarer than reads.
    let tool = rng.pick(server.tools).name;
    if ((tool === 'send_email' || tool === 'write_file') && rng.chance(0.6)) tool = server.tools[0]?.name ?? tool;
    const durationMs = Math.round(rng.logNormal(server.name === 'crm-mcp' ? 120 : 35, 0.6) * 10) / 10;
    const failed = rng.chance(0.01);
    const resultText = failed ? '' : text(rng, rng.int(1, 6));
    out.push({
      t,
      ev: {
        ...base,
        event: 'mcp.call',
        time: iso(t),
        rpc: { id: i + 2, method: 'tools/call' },
        tool,
        arguments: argumentsFor(rng, tool, c.user),
        durationMs,
        ...(failed
          ? { error: { code: -32603, message: 'upstream timeout' } }
          : { result: { isError: false, text: resultText, bytes: resultText.length + rng.int(0, 4000) } }),
      } as SimEvent,
    });
  }
  return out;
}
