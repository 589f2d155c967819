import { describe, expect, it } from 'vitest';
import { findingsOf, mcpEvent, runEvents, type EventInput } from '../../../helpers/engine-harness.js';

const ID = 'AGT-CREDENTIAL-ACCESS';

function call(overrides: Partial<EventInput>, time = 0) {
  return mcpEvent({
    event: 'mcp.call',
    time,
    server: { name: 'files-mcp' },
    session: 's-1',
    principal: { sub: 'user-42' },
    rpc: { id: 1, method: 'tools/call' },
    result: { isError: false, text: 'ok' },
    ...overrides,
  });
}

async function run(...events: ReturnType<typeof call>[]) {
  return findingsOf(await runEvents(events, { only: [ID] }), ID);
}

describe('AGT-CREDENTIAL-ACCESS', () => {
  it('fires high on a read_file of ~/.ssh/id_rsa', async () => {
    const findings = await run(call({ tool: 'read_file', arguments: { path: '~/.ssh/id_rsa' } }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'high',
      subject: 'principal:user-42 op=read_file kind=ssh-private-key',
      tool: 'read_file',
      evidence: { kinds: ['ssh-private-key'], paths: ['~/.ssh/id_rsa'], fields: ['path'], outcome: 'succeeded' },
    });
  });

  it('fires on a resources/read URI with URL encoding', async () => {
    const findings = await run(
      call({ rpc: { id: 2, method: 'resources/read' }, uri: 'file:///home/bob/%2Eaws%2Fcredentials' }),
    );
    expect(findings.map((f) => [f.severity, f.subject, f.evidence?.paths])).toEqual([
      ['high', 'principal:user-42 op=resources/read kind=aws-credentials', ['file:/home/bob/.aws/credentials']],
    ]);
  });

  it('fires on a shell command reading /proc/self/environ and .env, reporting both kinds', async () => {
    const findings = await run(
      call({ tool: 'run_command', arguments: { command: 'cat /proc/self/environ; cat ./.env.production' }, result: undefined }),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]?.evidence).toEqual({
      kinds: ['proc-environ', 'dotenv'],
      paths: ['/proc/self/environ', './.env.production'],
      fields: ['command'],
      outcome: 'unknown',
    });
  });

  it('fires on a Windows path in an unnamed array argument and on a camelCase path key', async () => {
    const findings = await run(
      call({ tool: 'copy', arguments: { args: ['-f', '%USERPROFILE%\\.aws\\credentials'] } }, 0),
      call({ tool: 'upload', arguments: { sourceFilePath: '/root/.kube/config' }, error: { code: -32000, message: 'denied' } }, 1),
    );
    expect(findings.map((f) => [f.subject, f.evidence?.fields, f.evidence?.outcome])).toEqual([
      ['principal:user-42 op=copy kind=aws-credentials', ['args[1]'], 'succeeded'],
      ['principal:user-42 op=upload kind=kube-config', ['sourceFilePath'], 'failed'],
    ]);
  });

  it('near miss: a search query about credential files is text, not a file access', async () => {
    const findings = await run(
      call({ tool: 'search_docs', arguments: { query: 'how to configure ~/.aws/config profiles' } }),
      call({ tool: 'search_docs', arguments: { query: '~/.aws/credentials' } }, 1),
      call({ tool: 'send_email', arguments: { to: 'a@example.com', body: 'Never commit your .env or ~/.ssh/id_rsa!' } }, 2),
      call({ tool: 'notes', arguments: { title: 'rotate keys', tags: 'ssh id_rsa' } }, 3),
    );
    expect(findings).toHaveLength(0);
  });

  it('near miss: public keys, dotenv templates, virtualenvs and a search URL do not fire', async () => {
    const findings = await run(
      call({ tool: 'read_file', arguments: { path: '/home/bob/.ssh/id_rsa.pub' } }),
      call({ tool: 'read_file', arguments: { path: '/srv/app/.env.example' } }, 1),
      call({ tool: 'read_file', arguments: { file: '.env.sample' } }, 2),
      call({ tool: 'run_command', arguments: { command: '.env/bin/python manage.py test' } }, 3),
      call({ tool: 'fetch', arguments: { url: 'https://www.example.com/search?q=.env+files' } }, 4),
      call({ tool: 'read_file', arguments: { path: '/srv/app/src/environment.ts' } }, 5),
    );
    expect(findings).toHaveLength(0);
  });

  it('fetching https://host/.env counts unless includeUrls is off', async () => {
    const event = call({ tool: 'fetch', arguments: { url: 'https://victim.example/.env' } });
    expect(findingsOf(await runEvents([event], { only: [ID] }), ID).map((f) => f.subject)).toEqual([
      'principal:user-42 op=fetch kind=dotenv',
    ]);
    const off = await runEvents([event], { only: [ID], config: { detectors: { [ID]: { includeUrls: false } } } });
    expect(findingsOf(off, ID)).toHaveLength(0);
  });

  it('calls without arguments or URI are ignored, and odd argument shapes do not throw', async () => {
    const result = await runEvents(
      [
        call({ tool: 'list_files' }),
        call({ tool: 'read_file', arguments: null }, 1),
        call({ tool: 'read_file', arguments: '/etc/shadow' }, 2),
        call({ tool: 'read_file', arguments: [[['/etc/passwd']]] }, 3),
      ],
      { only: [ID] },
    );
    expect(findingsOf(result, ID).map((f) => f.subject)).toEqual(['principal:user-42 op=read_file kind=shadow']);
    expect(result.outcomes[0]?.detectorErrors).toEqual({});
  });

  it('pathological 100 KB argument finishes', async () => {
    const findings = await run(
      call({ tool: 'read_file', arguments: { path: '/.ssh/'.repeat(20_000) + 'id_' + 'a'.repeat(5000) } }),
    );
    expect(findings).toHaveLength(0);
  });
});
