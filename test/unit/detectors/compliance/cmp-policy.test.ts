import { describe, expect, it } from 'vitest';
import { luhnValid } from '../../../../functions/engine/text/pii.js';
import { findingsOf, mcpEvent, runEvents, type EventInput } from '../../../helpers/engine-harness.js';

const ID = 'CMP-POLICY';

function withCheckDigit(prefix: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(prefix + d)) return prefix + d;
  throw new Error('unreachable');
}

// Built at runtime: no pattern-valid card number is stored in the repo.
const CARD = withCheckDigit('453914880343646');
const CARD_GROUPED = `${CARD.slice(0, 4)} ${CARD.slice(4, 8)} ${CARD.slice(8, 12)} ${CARD.slice(12)}`;
const NOT_LUHN = CARD.slice(0, 15) + ((Number(CARD.slice(-1)) + 1) % 10);

function call(tool: string, args: Record<string, unknown> = {}, overrides: Partial<EventInput> = {}) {
  return mcpEvent({
    event: 'mcp.call',
    time: 0,
    server: { name: 'files-mcp' },
    session: 'sess-1',
    principal: { sub: 'user-7', clientId: 'agent-app' },
    client: { ip: '203.0.113.7' },
    rpc: { id: 1, method: 'tools/call' },
    tool,
    arguments: args,
    ...overrides,
  });
}

const ALLOW_LISTS = {
  allowLists: { servers: ['files-mcp', 'db-*'], tools: ['read_*', 'files-mcp/write_file', 'send_email'] },
};
const PII_POLICY = { policy: {} };

async function findings(events: ReturnType<typeof call>[], config: Record<string, unknown>) {
  return findingsOf(await runEvents(events, { only: [ID], config }), ID);
}

describe('CMP-POLICY', () => {
  it('is inactive without a policy: no allow-lists, no policy section → nothing fires', async () => {
    const events = [
      call('delete_everything', {}, { server: { name: 'shadow-mcp' } }),
      call('send_email', { to: 'x@corp.io', body: `card ${CARD}` }),
    ];
    expect(await findings(events, {})).toEqual([]);
  });

  it('calls to servers not on allowLists.servers → medium', async () => {
    const events = [
      call('read_file', {}, { server: { name: 'shadow-mcp' } }),
      call('read_file', {}, { server: { name: 'db-prod' } }),
      call('read_file'),
    ];
    const found = await findings(events, ALLOW_LISTS);
    expect(found.map((f) => [f.severity, f.server, f.subject, f.evidence?.rule])).toEqual([
      ['medium', 'shadow-mcp', 'server-not-allowed', 'allowLists.servers'],
    ]);
  });

  it('tools not on allowLists.tools (by `tool` or `server/tool` glob) → medium', async () => {
    const events = [
      call('delete_file', { path: '/srv/a' }),
      call('write_file', { path: '/srv/a' }),
      call('write_file', { path: '/x' }, { server: { name: 'db-prod' } }),
      call('read_table', {}, { server: { name: 'db-prod' } }),
      // prompts/get carries its name in `tool` too, but it is not a tool call.
      call('summarize', {}, { rpc: { id: 2, method: 'prompts/get' } }),
    ];
    const found = await findings(events, ALLOW_LISTS);
    expect(found.map((f) => [f.severity, f.server, f.subject])).toEqual([
      ['medium', 'files-mcp', 'tool-not-allowed tool=delete_file'],
      ['medium', 'db-prod', 'tool-not-allowed tool=write_file'],
    ]);
  });

  it("tools outside a principal's allowed set (policy.principalTools, by sub or clientId) → medium", async () => {
    const config = {
      policy: { principalTools: { 'user-42': ['read_*'], 'ci-bot': ['files-mcp/*'] }, piiToSinks: false },
    };
    const events = [
      call('send_email', { to: 'a@corp.io' }, { principal: { sub: 'user-42' } }),
      call('read_file', {}, { principal: { sub: 'user-42' } }),
      call('delete_file', {}, { principal: { clientId: 'ci-bot' } }),
      call('delete_file', {}, { principal: { clientId: 'ci-bot' }, server: { name: 'db-prod' } }),
      call('delete_file', {}, { principal: { sub: 'someone-else' } }),
    ];
    const found = await findings(events, config);
    expect(found.map((f) => [f.severity, f.subject])).toEqual([
      ['medium', 'principal-tool principal=user-42 tool=send_email'],
      ['medium', 'principal-tool principal=ci-bot tool=delete_file'],
    ]);
    expect(found[1]?.server).toBe('db-prod');
  });

  it('a card number in the body of a sink tool → high, with counts and field names but no values', async () => {
    // The single email in `note` is below the bulk threshold, so `note` is not named as a PII field.
    const events = [
      call('send_email', {
        to: 'billing@corp.io',
        subject: 'Order',
        note: 'ask ops@corp.io',
        body: `Customer paid with ${CARD_GROUPED}.`,
      }),
    ];
    const found = await findings(events, PII_POLICY);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: 'high',
      subject: 'pii tool=send_email',
      tool: 'send_email',
      session: 'sess-1',
      title: 'PII sent to sink tool send_email: 1 card number',
      evidence: { pii: { 'card-number': 1 }, fields: ['body'] },
    });
    expect(JSON.stringify(found[0])).not.toContain(CARD.slice(4, 12));
  });

  it('national ids and bulk emails in sink content → high; the card check also covers addressing fields', async () => {
    const emails = ['ann', 'bob', 'cy', 'dee', 'eve'].map((n) => `${n}@customer-mail.net`).join(', ');
    const events = [
      call('post_message', { channel: '#general', text: `SSN 536-22-1234 and NINO AB 12 34 56 C` }),
      call('create_issue', { title: 'export', body: { rows: emails } }),
      call('send_email', { to: `${CARD}`, body: 'hello' }),
    ];
    const found = await findings(events, PII_POLICY);
    expect(found.map((f) => [f.severity, f.subject, f.evidence?.pii, f.evidence?.fields])).toEqual([
      ['high', 'pii tool=post_message', { 'us-ssn': 1, 'uk-nino': 1 }, ['text']],
      ['high', 'pii tool=create_issue', { email: 5 }, ['body.rows']],
      ['high', 'pii tool=send_email', { 'card-number': 1 }, ['to']],
    ]);
  });

  it('near miss: recipients in to/cc/bcc/recipients are not a leak, however many', async () => {
    const many = Array.from({ length: 12 }, (_, i) => `person${i}@corp.io`);
    const events = [
      call('send_email', {
        to: many.slice(0, 4),
        cc: many.slice(4, 8),
        bcc: many.slice(8),
        body: 'Team lunch at 12:30.',
      }),
      call('send_email', {
        message: { recipients: many.map((email) => ({ email, name: 'x' })), body: 'Hi all' },
      }),
    ];
    expect(await findings(events, PII_POLICY)).toEqual([]);
  });

  it('near miss: one email, 4 emails, order ids failing Luhn, ISBNs, timestamps, phone numbers in sink content', async () => {
    const events = [
      call('send_email', { to: 'a@corp.io', body: 'Reply to support@corp.io if needed.' }),
      call('send_email', { to: 'a@corp.io', body: 'Owners: a@x.io, b@x.io, c@x.io, d@x.io' }),
      call('post_message', {
        text: `Order ${NOT_LUHN} shipped at 1732442400000; ISBN 978-3-16-148410-0; call +1 555-123-4567 or 555 0134 5678 9012.`,
      }),
    ];
    expect(await findings(events, PII_POLICY)).toEqual([]);
  });

  it('addressing fields and the bulk-email threshold are configurable', async () => {
    const list = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => `${n}@partner.org`);
    const events = [call('send_invite', { guest_list: list, note: 'Kick-off' })];
    expect((await findings(events, PII_POLICY)).map((f) => f.evidence?.pii)).toEqual([{ email: 6 }]);
    const tuned = { ...PII_POLICY, detectors: { [ID]: { addressingFields: ['guest_list'] } } };
    expect(await findings(events, tuned)).toEqual([]);
    const higher = { ...PII_POLICY, detectors: { [ID]: { bulkEmailThreshold: 7 } } };
    expect(await findings(events, higher)).toEqual([]);
  });

  it('near miss: PII going to a non-sink tool, or with piiToSinks off', async () => {
    const events = [
      call('read_file', { path: '/srv/cards.txt', note: `card ${CARD}` }),
      call('update_record', { value: CARD }),
    ];
    expect(await findings(events, PII_POLICY)).toEqual([]);
    const sink = [call('send_email', { body: CARD })];
    expect(await findings(sink, { policy: { piiToSinks: false } })).toEqual([]);
    // Explicit labels make any tool a sink.
    const labelled = await findings([call('update_record', { value: CARD })], {
      ...PII_POLICY,
      toolLabels: { publicSink: ['update_record'] },
    });
    expect(labelled.map((f) => f.subject)).toEqual(['pii tool=update_record']);
  });

  it('policy applies to trusted principals too (compliance is not about caller trust)', async () => {
    const result = await runEvents([call('send_email', { body: CARD })], {
      only: [ID],
      config: { ...PII_POLICY, allowLists: { principals: ['user-7'] } },
    });
    expect(result.alerts.map((a) => [a.detector, a.severity])).toEqual([[ID, 'high']]);
  });

  it('pathological 100 KB sink arguments finish quickly and stay bounded', async () => {
    const events = [
      call('send_email', {
        body: '4'.repeat(100_000),
        notes: '1-'.repeat(50_000),
        list: 'a'.repeat(63).concat('@').repeat(1_600),
        parts: Array.from({ length: 200 }, () => 'AB12 '.repeat(500)),
      }),
    ];
    expect(await findings(events, PII_POLICY)).toEqual([]);
  }, 2_000);
});
