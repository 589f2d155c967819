import { describe, expect, it } from 'vitest';
import { findingsOf, mcpEvent, runEvents, type EventInput } from '../../../helpers/engine-harness.js';

const ID = 'AUTH-PRIV-ESC';

/** A tools/call denied by a gateway policy. */
function policyDeny(time: number, tool: string, overrides: Partial<EventInput> = {}) {
  return mcpEvent({
    event: 'mcp.call',
    time,
    server: { name: 'files-mcp' },
    client: { ip: '203.0.113.7' },
    principal: { sub: 'user-42', tokenPresent: true },
    rpc: { id: time, method: 'tools/call' },
    tool,
    http: { status: 403 },
    policy: { decision: 'deny', rule: 'read-only-agents' },
    ...overrides,
  });
}

describe('AUTH-PRIV-ESC', () => {
  it('fires high at the 3rd distinct tool denied to one principal within 60 s', async () => {
    const events = [policyDeny(0, 'read_file'), policyDeny(20, 'write_file'), policyDeny(40, 'list_dir')];
    const result = await runEvents(events, { only: [ID] });
    const findings = findingsOf(result, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'high',
      subject: 'principal=user-42',
      principal: 'user-42',
      tool: 'list_dir',
      evidence: { denial: 'policy-deny', rule: 'read-only-agents', distinctTools: 3, threshold: 3, windowSeconds: 60 },
    });
    expect([...(findings[0]?.evidence?.targets as string[])].sort()).toEqual(['tool:list_dir', 'tool:read_file', 'tool:write_file']);
    expect(result.alerts.map((a) => [a.detector, a.severity, a.server])).toEqual([[ID, 'high', 'files-mcp']]);
  });

  it('counts every denial form: mcp.auth denied, insufficient_scope reason, 403 with an insufficient_scope error', async () => {
    const events = [
      mcpEvent({
        event: 'mcp.auth', time: 0, server: { name: 'files-mcp' }, client: { ip: '203.0.113.7' },
        principal: { sub: 'user-42', tokenPresent: true }, tool: 'read_file', auth: { outcome: 'denied', reason: 'forbidden' }, http: { status: 403 },
      }),
      mcpEvent({
        event: 'mcp.auth', time: 10, server: { name: 'files-mcp' }, client: { ip: '203.0.113.7' },
        principal: { sub: 'user-42', tokenPresent: true }, tool: 'write_file', auth: { outcome: 'failure', reason: 'insufficient_scope' },
      }),
      mcpEvent({
        event: 'mcp.call', time: 20, server: { name: 'files-mcp' }, client: { ip: '203.0.113.7' },
        principal: { sub: 'user-42', tokenPresent: true }, rpc: { id: 3, method: 'tools/call' }, tool: 'move_file',
        http: { status: 403 }, error: { code: -32000, message: 'Forbidden: insufficient_scope (needs files:write)' },
      }),
    ];
    const findings = findingsOf(await runEvents(events, { only: [ID] }), ID);
    expect(findings.map((f) => [f.severity, f.subject, f.evidence?.denial, f.evidence?.distinctTools])).toEqual([
      ['high', 'principal=user-42', 'insufficient_scope', 3],
    ]);
  });

  it('counts per source IP when there is no principal', async () => {
    const events = ['a_tool', 'b_tool', 'c_tool'].map((tool, i) => policyDeny(i * 5, tool, { principal: undefined }));
    const findings = findingsOf(await runEvents(events, { only: [ID] }), ID);
    expect(findings.map((f) => [f.severity, f.subject])).toEqual([['high', 'ip=203.0.113.7']]);
  });

  it('any denial of an admin-named tool is critical', async () => {
    const findings = findingsOf(await runEvents([policyDeny(0, 'grant_role')], { only: [ID] }), ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'critical',
      subject: 'principal=user-42 tool=grant_role',
      evidence: { denial: 'policy-deny', adminName: true, destructive: false },
    });
  });

  it('any denial of a destructive tool (name heuristics or config labels) is critical', async () => {
    const events = [policyDeny(0, 'delete_repository'), policyDeny(100, 'archive_project')];
    const config = { toolLabels: { destructive: ['archive_project'] } };
    const findings = findingsOf(await runEvents(events, { only: [ID], config }), ID);
    expect(findings.map((f) => [f.severity, f.subject, f.evidence?.destructive, f.evidence?.adminName])).toEqual([
      ['critical', 'principal=user-42 tool=delete_repository', true, false],
      ['critical', 'principal=user-42 tool=archive_project', true, false],
    ]);
  });

  it('an admin denial that is also the 3rd distinct tool raises both the critical and the high finding', async () => {
    const events = [policyDeny(0, 'read_file'), policyDeny(10, 'write_file'), policyDeny(20, 'setPermissions')];
    const findings = findingsOf(await runEvents(events, { only: [ID] }), ID);
    expect(findings.map((f) => [f.severity, f.subject])).toEqual([
      ['critical', 'principal=user-42 tool=setPermissions'],
      ['high', 'principal=user-42'],
    ]);
  });

  it('near miss: the same tool denied many times is one target', async () => {
    const events = Array.from({ length: 8 }, (_, i) => policyDeny(i * 5, 'read_file'));
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('near miss: endpoint-level denials without a tool count as one target', async () => {
    const events = Array.from({ length: 6 }, (_, i) =>
      mcpEvent({
        event: 'mcp.auth', time: i, server: { name: 'files-mcp' }, client: { ip: '203.0.113.7' },
        principal: { sub: 'user-42', tokenPresent: true }, auth: { outcome: 'denied', reason: 'insufficient_scope' }, http: { status: 403 },
      }),
    );
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('near miss: 3 distinct tools spread over more than 60 s do not fire', async () => {
    const events = [policyDeny(0, 'read_file'), policyDeny(40, 'write_file'), policyDeny(80, 'list_dir'), policyDeny(130, 'stat_file')];
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('near miss: allowed calls to admin tools and 401 authentication failures are not denials', async () => {
    const events = [
      policyDeny(0, 'grant_role', { policy: { decision: 'allow' }, http: { status: 200 } }),
      policyDeny(1, 'delete_user', { policy: undefined, http: { status: 200 }, result: { isError: false, text: 'deleted' } }),
      mcpEvent({
        event: 'mcp.auth', time: 2, server: { name: 'files-mcp' }, client: { ip: '203.0.113.7' },
        principal: { tokenPresent: true }, tool: 'sudo_exec', auth: { outcome: 'failure', reason: 'invalid_token' }, http: { status: 401 },
      }),
    ];
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('near miss: Origin/Host refusals belong to AUTH-BAD-ORIGIN, even on admin tools', async () => {
    const base = { event: 'mcp.auth' as const, server: { name: 'files-mcp' }, client: { ip: '203.0.113.7' }, principal: { sub: 'user-42' } };
    const events = [
      mcpEvent({ ...base, time: 0, tool: 'grant_role', auth: { outcome: 'denied', reason: 'invalid_origin' }, http: { status: 403, origin: 'https://evil.example' } }),
      mcpEvent({ ...base, time: 1, tool: 'read_file', auth: { outcome: 'denied', reason: 'invalid_host' }, http: { status: 403 } }),
      mcpEvent({ ...base, time: 2, tool: 'write_file', auth: { outcome: 'denied' }, http: { status: 403 }, error: { code: -32000, message: 'Invalid Origin header: https://evil.example' } }),
      mcpEvent({ ...base, time: 3, tool: 'list_dir', auth: { outcome: 'denied', reason: 'forbidden' }, http: { status: 403, origin: 'https://evil.example' } }),
    ];
    const config = { servers: { 'files-mcp': { allowedOrigins: ['https://app.example.com'] } } };
    expect(findingsOf(await runEvents(events, { only: [ID], config }), ID)).toHaveLength(0);
  });

  it('toolLabels.none exempts a tool from the admin/destructive rule; thresholds are configurable', async () => {
    const exempt = await runEvents([policyDeny(0, 'delete_draft'), policyDeny(1, 'role_info')], {
      only: [ID],
      config: { toolLabels: { none: ['delete_draft', 'role_info'] } },
    });
    expect(findingsOf(exempt, ID)).toHaveLength(0);
    const tuned = await runEvents([policyDeny(0, 'read_file'), policyDeny(1, 'write_file')], {
      only: [ID],
      config: { detectors: { [ID]: { distinctTools: 2 } } },
    });
    expect(findingsOf(tuned, ID).map((f) => [f.severity, f.evidence?.distinctTools])).toEqual([['high', 2]]);
  });

  it('pathological 100 KB tool names and error messages finish (scans are bounded)', async () => {
    const events = [
      policyDeny(0, `grant_${'x'.repeat(100_000)}`),
      mcpEvent({
        event: 'mcp.call', time: 1, server: { name: 'files-mcp' }, client: { ip: '203.0.113.7' },
        principal: { sub: 'user-42' }, tool: 'read_file', http: { status: 403 },
        error: { code: -32000, message: 'insufficient '.repeat(8_000) },
      }),
    ];
    const findings = findingsOf(await runEvents(events, { only: [ID] }), ID);
    expect(findings.map((f) => [f.severity, /^principal=user-42 tool=#[0-9a-f]{16}$/.test(f.subject)])).toEqual([['critical', true]]);
  });
});
