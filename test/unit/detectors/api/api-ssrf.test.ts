import { describe, expect, it } from 'vitest';
import { findingsOf, mcpEvent, runEvents, type EventInput } from '../../../helpers/engine-harness.js';

const ID = 'API-SSRF';

function call(
  tool: string | undefined,
  args: Record<string, unknown> | undefined,
  overrides: Partial<EventInput> = {},
) {
  return mcpEvent({
    event: 'mcp.call',
    time: 0,
    server: { name: 'web-mcp' },
    session: 'sess-1',
    client: { ip: '203.0.113.7' },
    rpc: { id: 1, method: 'tools/call' },
    ...(tool !== undefined ? { tool } : {}),
    ...(args !== undefined ? { arguments: args } : {}),
    ...overrides,
  });
}

async function run(events: ReturnType<typeof call>[], config?: Record<string, unknown>) {
  const result = await runEvents(events, { only: [ID], ...(config ? { config } : {}) });
  expect(result.outcomes.flatMap((o) => Object.keys(o.detectorErrors))).toEqual([]);
  return findingsOf(result, ID).map((f) => [f.severity, f.subject, f.evidence?.reasons]);
}

describe('API-SSRF', () => {
  it('cloud metadata endpoints → critical, in every written form', async () => {
    const urls = [
      'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
      'http://2852039166/latest/',
      'http://0xA9FEA9FE/',
      'http://0251.0376.0251.0376/',
      'http://[::ffff:169.254.169.254]/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://good.example.com@169.254.169.254/',
      'http://[fd00:ec2::254]/latest/',
      'http://metadata.google.internal./computeMetadata/v1/',
      'http://169.254.170.2/v2/credentials/abc',
      'http://100.100.100.200/latest/meta-data/',
      'http://169.254.169.254.nip.io/',
    ];
    const findings = await run(urls.map((url, i) => call('fetch_url', { url }, { time: i })));
    expect(findings).toEqual([
      ['critical', 'tool=fetch_url target=169.254.169.254', ['cloud-metadata']],
      ['critical', 'tool=fetch_url target=169.254.169.254', ['cloud-metadata']],
      ['critical', 'tool=fetch_url target=169.254.169.254', ['cloud-metadata']],
      ['critical', 'tool=fetch_url target=169.254.169.254', ['cloud-metadata']],
      ['critical', 'tool=fetch_url target=169.254.169.254', ['cloud-metadata']],
      ['critical', 'tool=fetch_url target=169.254.169.254', ['cloud-metadata']],
      ['critical', 'tool=fetch_url target=169.254.169.254', ['cloud-metadata']],
      ['critical', 'tool=fetch_url target=fd00:ec2:0:0:0:0:0:254', ['cloud-metadata']],
      ['critical', 'tool=fetch_url target=metadata.google.internal', ['cloud-metadata']],
      ['critical', 'tool=fetch_url target=169.254.170.2', ['cloud-metadata']],
      ['critical', 'tool=fetch_url target=100.100.100.200', ['cloud-metadata']],
      ['critical', 'tool=fetch_url target=169.254.169.254', ['cloud-metadata']],
    ]);
  });

  it('evidence names the obfuscation and the userinfo trick', async () => {
    const result = await runEvents([call('fetch_url', { url: 'http://user@0xA9FEA9FE/' })], { only: [ID] });
    expect(findingsOf(result, ID)[0]?.evidence).toMatchObject({
      field: 'url',
      ip: '169.254.169.254',
      addressClass: 'metadata',
      obfuscation: ['hex'],
      userinfo: true,
    });
  });

  it('loopback, private, link-local and internal names → low; scheme-less host arguments too', async () => {
    const findings = await run([
      call('fetch_url', { url: 'http://127.1:8080/admin' }),
      call('http_get', { endpoint: 'http://localhost./debug/vars' }),
      call('webhook_test', { callback_url: 'https://10.0.3.7/hook' }),
      call('check_port', { host: '0x7f000001', port: 6379 }),
      call('ping', { target: '[::1]' }),
      call('fetch_url', { url: 'http://ip-10-0-1-2.ec2.internal/' }),
      call('fetch_url', { url: 'http://0.0.0.0:9200/_cat/indices' }),
    ]);
    expect(findings).toEqual([
      ['low', 'tool=fetch_url target=127.0.0.1', ['loopback']],
      ['low', 'tool=http_get target=localhost', ['loopback']],
      ['low', 'tool=webhook_test target=10.0.3.7', ['private']],
      ['low', 'tool=check_port target=127.0.0.1', ['loopback']],
      ['low', 'tool=ping target=0:0:0:0:0:0:0:1', ['loopback']],
      ['low', 'tool=fetch_url target=ip-10-0-1-2.ec2.internal', ['internal-name']],
      ['low', 'tool=fetch_url target=0.0.0.0', ['unspecified']],
    ]);
  });

  it('dangerous schemes → medium; smuggling to an internal service → high', async () => {
    const findings = await run([
      call('fetch_url', { url: 'gopher://127.0.0.1:6379/_SET%20x%201' }),
      call('fetch_url', { url: 'dict://203.0.113.9:11211/stats' }),
      call('load_resource', { src: 'jar:http://203.0.113.9/evil.jar!/Payload.class' }),
      call('fetch_url', { url: 'file:///home/app/notes.txt' }),
      call('convert_doc', { input: 'file:///etc/passwd' }),
      call('open_link', { href: 'file://fileserver.corp/share/x' }),
    ]);
    expect(findings).toEqual([
      ['high', 'tool=fetch_url target=gopher://127.0.0.1', ['scheme:gopher', 'loopback']],
      ['medium', 'tool=fetch_url target=dict://203.0.113.9', ['scheme:dict']],
      ['medium', 'tool=load_resource target=jar://203.0.113.9', ['scheme:jar']],
      ['medium', 'tool=fetch_url target=file:/home/app/notes.txt', ['file-url']],
      ['medium', 'tool=convert_doc target=file:/etc/passwd', ['file-url', 'sensitive-path']],
      ['medium', 'tool=open_link target=file://fileserver.corp', ['file-url', 'remote-file-host']],
    ]);
  });

  it("near miss: resources/read file: URIs of the server's own root are normal; system paths are not", async () => {
    const read = (uri: string) =>
      call(undefined, undefined, { rpc: { id: 2, method: 'resources/read' }, uri });
    const findings = await run([
      read('file:///srv/data/report.csv'),
      read('file:///srv/data/sub/dir/x.md'),
      read('file:///etc/shadow'),
    ]);
    expect(findings).toEqual([
      ['medium', 'method=resources/read target=file:/etc/shadow', ['file-url', 'sensitive-path']],
    ]);
  });

  it('near misses: public URLs (even mentioning localhost), file paths in non-fetch tools, version strings, prose', async () => {
    const findings = await run([
      call('fetch_url', { url: 'https://docs.example.com/guides/localhost-setup?host=localhost' }),
      call('fetch_url', { url: 'https://8.8.8.8/dns-query' }),
      call('read_file', { path: 'file:///srv/data/a.txt' }),
      call('install_package', { name: 'left-pad', version: '10.0.1' }),
      call('search_docs', { query: 'how do I block 169.254.169.254 with IMDSv2?' }),
      call('send_email', { to: 'ops@corp.example', body: 'Server 10.0.0.1 is down' }),
      call('send_email', {
        to: 'dev@corp.example',
        body: 'The app runs at http://localhost:3000 after `npm start`.',
      }),
      call('create_page', {
        title: 'IMDS runbook',
        content: 'Check credentials with curl http://169.254.169.254/latest/meta-data/ on the host.',
      }),
      call('get_weather', { city: 'Paris', units: 'metric' }),
    ]);
    expect(findings).toEqual([]);
  });

  it('allowHosts and reportInternal tune internal targets; metadata is always reported', async () => {
    const events = [
      call('fetch_url', { url: 'http://localhost:3000/api' }, { time: 0 }),
      call('fetch_url', { url: 'http://169.254.169.254/' }, { time: 1 }),
    ];
    expect(await run(events, { detectors: { [ID]: { allowHosts: ['localhost'] } } })).toEqual([
      ['critical', 'tool=fetch_url target=169.254.169.254', ['cloud-metadata']],
    ]);
    expect(await run(events, { detectors: { [ID]: { reportInternal: false } } })).toEqual([
      ['critical', 'tool=fetch_url target=169.254.169.254', ['cloud-metadata']],
    ]);
  });

  it('pathological 100 KB inputs finish', async () => {
    const adversarial = [
      '://'.repeat(33_000),
      '9'.repeat(100_000),
      '.'.repeat(100_000),
      'http://' + '@'.repeat(100_000),
      'http://[' + ':'.repeat(100_000),
      'file:' + '/'.repeat(100_000),
      '0x'.repeat(50_000),
      '%'.repeat(100_000),
    ];
    const events = adversarial.map((v, i) => call('fetch_url', { url: v, host: v }, { time: i }));
    const result = await runEvents(events, { only: [ID] });
    expect(result.outcomes.flatMap((o) => Object.keys(o.detectorErrors))).toEqual([]);
  });
});
