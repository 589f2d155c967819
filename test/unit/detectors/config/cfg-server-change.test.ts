import { describe, expect, it } from 'vitest';
import { findingsOf, mcpEvent, runEvents, type EventInput } from '../../../helpers/engine-harness.js';

const ID = 'CFG-SERVER-CHANGE';
const HOUR = 3600;

function call(
  time: number,
  version: string | undefined,
  protocolVersion?: string,
  overrides: Partial<EventInput> = {},
) {
  return mcpEvent({
    event: 'mcp.call',
    time,
    server: { name: 'files-mcp', ...(version !== undefined ? { version } : {}) },
    ...(protocolVersion !== undefined ? { protocolVersion } : {}),
    rpc: { method: 'tools/call' },
    tool: 'read_file',
    ...overrides,
  });
}

function change(time: number, change: Record<string, string>, server = 'files-mcp') {
  return mcpEvent({ event: 'mcp.change', time, server: { name: server }, change });
}

const DEPLOY_ROLE = 'arn:aws:iam::123456789012:role/deploy-mcp';
const LAMBDA_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:files-mcp';

describe('CFG-SERVER-CHANGE — versions', () => {
  it('a new server version → low; the first version seen and repeats never alert', async () => {
    const events = [call(0, '1.4.0'), call(10, '1.4.0'), call(600, '1.5.0'), call(700, '1.5.0')];
    const findings = findingsOf(await runEvents(events, { only: [ID] }), ID);
    expect(findings.map((f) => [f.severity, f.subject, f.server, f.evidence])).toEqual([
      ['low', 'version=1.5.0', 'files-mcp', { version: '1.5.0', previous: '1.4.0', highest: '1.4.0' }],
    ]);
  });

  it('a version lower than the highest seen → medium (semver, pre-releases rank below releases)', async () => {
    const downgrade = findingsOf(
      await runEvents([call(0, 'v2.0.0'), call(600, '1.9.3')], { only: [ID] }),
      ID,
    );
    expect(downgrade.map((f) => [f.severity, f.subject])).toEqual([['medium', 'version=1.9.3']]);
    const pre = findingsOf(await runEvents([call(0, '2.0.0'), call(600, '2.0.0-rc.2')], { only: [ID] }), ID);
    expect(pre.map((f) => f.severity)).toEqual(['medium']);
    const up = findingsOf(await runEvents([call(0, '2.0.0-rc.2'), call(600, '2.0.0')], { only: [ID] }), ID);
    expect(up.map((f) => f.severity)).toEqual(['low']);
  });

  it('near miss: instances alternating between two versions during a rolling deploy alert once', async () => {
    const events = [0, 400, 800, 1200, 1600, 2000, 2400].map((t, i) =>
      call(t, i % 2 === 0 ? '1.4.0' : '1.5.0'),
    );
    const findings = findingsOf(await runEvents(events, { only: [ID], batchSize: 1 }), ID);
    expect(findings.map((f) => [f.severity, f.subject])).toEqual([['low', 'version=1.5.0']]);
  });

  it('a known older version returning after rollbackAfterHours while a newer one ran → medium rollback', async () => {
    const events = [
      call(0, '1.4.0'),
      call(HOUR, '1.5.0'),
      call(30 * HOUR, '1.5.0'),
      call(30 * HOUR + 60, '1.4.0'),
    ];
    const findings = findingsOf(await runEvents(events, { only: [ID] }), ID);
    expect(findings.map((f) => [f.severity, f.subject])).toEqual([
      ['low', 'version=1.5.0'],
      ['medium', 'version=1.4.0'],
    ]);
    expect(findings[1]?.evidence?.newerVersionsSeen).toEqual(['1.5.0']);
  });

  it('near miss: versions that are not semver are changes, never downgrades', async () => {
    const events = [call(0, 'build-2026-11-20'), call(600, 'build-2026-11-01')];
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID).map((f) => f.severity)).toEqual(['low']);
  });

  it('steady traffic on an unchanged version costs no state writes', async () => {
    const result = await runEvents(
      [call(0, '1.4.0', '2025-11-25'), call(10, '1.4.0', '2025-11-25'), call(20, '1.4.0', '2025-11-25')],
      {
        only: [ID],
        batchSize: 1,
      },
    );
    expect(result.outcomes.map((o) => o.stateWrites)).toEqual([1, 0, 0]);
  });

  it('versionChanges can be switched off', async () => {
    const result = await runEvents([call(0, '1.4.0'), call(600, '1.3.0')], {
      only: [ID],
      config: { detectors: { [ID]: { versionChanges: false } } },
    });
    expect(findingsOf(result, ID)).toEqual([]);
  });
});

describe('CFG-SERVER-CHANGE — protocol', () => {
  it('an older protocol version after a newer one → medium, once per protocol version', async () => {
    const events = [
      call(0, undefined, '2025-11-25'),
      call(60, undefined, '2025-03-26'),
      call(600, undefined, '2025-03-26'),
      call(900, undefined, '2025-11-25'),
    ];
    const findings = findingsOf(await runEvents(events, { only: [ID] }), ID);
    expect(findings.map((f) => [f.severity, f.subject, f.evidence?.newestSeen])).toEqual([
      ['medium', 'protocol=2025-03-26', '2025-11-25'],
    ]);
  });

  it('older than servers.<name>.minProtocolVersion → medium (also the first one seen)', async () => {
    const config = { servers: { 'files-mcp': { minProtocolVersion: '2025-06-18' } } };
    const findings = findingsOf(
      await runEvents([call(0, undefined, '2025-03-26'), call(30, undefined, '2025-11-25')], {
        only: [ID],
        config,
      }),
      ID,
    );
    expect(findings.map((f) => [f.severity, f.subject, f.evidence?.minProtocolVersion])).toEqual([
      ['medium', 'protocol=2025-03-26', '2025-06-18'],
    ]);
  });

  it('near miss: a newer protocol, or a value that is not a protocol date, does not alert', async () => {
    const events = [
      call(0, undefined, '2025-03-26'),
      call(60, undefined, '2025-11-25'),
      call(120, undefined, 'latest'),
    ];
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toEqual([]);
  });
});

describe('CFG-SERVER-CHANGE — mcp.change', () => {
  it('no actor policy → medium', async () => {
    const findings = findingsOf(
      await runEvents(
        [
          change(0, {
            actor: DEPLOY_ROLE,
            action: 'UpdateFunctionCode20150331v2',
            resource: LAMBDA_ARN,
            source: 'cloudtrail',
          }),
        ],
        {
          only: [ID],
        },
      ),
      ID,
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'medium',
      server: 'files-mcp',
      subject: `actor=${DEPLOY_ROLE} change=cloudtrail:UpdateFunctionCode20150331v2:${LAMBDA_ARN}`,
      evidence: { actorPolicy: 'none', source: 'cloudtrail' },
    });
  });

  it('an actor outside changes.allowedActors → high; an allowed one (also as an STS session of the role) → medium', async () => {
    const config = { changes: { allowedActors: ['arn:aws:iam::*:role/deploy-*'] } };
    const events = [
      change(0, {
        actor: 'arn:aws:iam::123456789012:user/mallory',
        action: 'PutRolePolicy',
        resource: 'files-mcp-role',
        source: 'cloudtrail',
      }),
      change(10, {
        actor: DEPLOY_ROLE,
        action: 'UpdateFunctionConfiguration20150331v2',
        resource: LAMBDA_ARN,
        source: 'cloudtrail',
      }),
      change(20, {
        actor: 'arn:aws:sts::123456789012:assumed-role/deploy-mcp/gh-actions-42',
        action: 'RegisterTaskDefinition',
        source: 'cloudtrail',
      }),
      change(30, { target: 'server-config', key: 'allowedOrigins' }),
    ];
    const findings = findingsOf(await runEvents(events, { only: [ID], config }), ID);
    expect(findings.map((f) => [f.severity, f.evidence?.actorPolicy])).toEqual([
      ['high', 'not allowed'],
      ['medium', 'allowed'],
      ['medium', 'allowed'],
      ['high', 'not allowed'],
    ]);
    expect(findings[3]?.title).toBe(
      'MCP server change: set allowedOrigins on server-config by an unknown actor (not an allowed actor)',
    );
  });

  it('near miss: read-only CloudTrail calls are not changes', async () => {
    const events = [
      change(0, {
        actor: 'arn:aws:iam::123456789012:user/mallory',
        action: 'GetFunction',
        resource: LAMBDA_ARN,
        source: 'cloudtrail',
      }),
      change(5, {
        actor: 'arn:aws:iam::123456789012:user/mallory',
        action: 'ListTagsForResource',
        source: 'cloudtrail',
      }),
    ];
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toEqual([]);
  });

  it('near miss: events without version data or server name are ignored', async () => {
    const events = [
      call(0, undefined),
      call(10, undefined, undefined, { server: undefined }),
      mcpEvent({ event: 'mcp.usage', time: 20, usage: { cpuPct: 5 } }),
    ];
    const result = await runEvents(events, { only: [ID] });
    expect(findingsOf(result, ID)).toEqual([]);
    expect(result.outcomes[0]?.detectorErrors).toEqual({});
  });

  it('pathological: 200 KB change fields and versions complete with bounded subjects', async () => {
    const big = 'x'.repeat(200_000);
    const events = [change(0, { actor: big, action: big, resource: big }), call(10, '1.0.0'), call(700, big)];
    const findings = findingsOf(await runEvents(events, { only: [ID] }), ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.subject).toMatch(/^actor=#[0-9a-f]{16} change=#[0-9a-f]{16}$/);
    expect(findings[0]!.title.length).toBeLessThan(300);
  });
});
