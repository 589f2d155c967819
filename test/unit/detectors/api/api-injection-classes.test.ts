import { describe, expect, it } from 'vitest';
import { findingsOf, mcpEvent, runEvents } from '../../../helpers/engine-harness.js';

const ID = 'API-INJECTION';

function call(tool: string, args: Record<string, unknown>) {
  return mcpEvent({ event: 'mcp.call', time: 0, server: { name: 'app-mcp' }, session: 's', rpc: { id: 1, method: 'tools/call' }, tool, arguments: args });
}

async function categories(tool: string, args: Record<string, unknown>): Promise<string[]> {
  const outcome = await runEvents([call(tool, args)], { only: [ID] });
  expect(outcome.outcomes.flatMap((o) => Object.keys(o.detectorErrors))).toEqual([]);
  return findingsOf(outcome, ID).map((f) => `${f.severity}:${String(f.evidence?.category)}`);
}

describe('API-INJECTION: generalized families', () => {
  it.each([
    ['boolean-blind SQLi', 'get_order', { reference: "7' AND 1=2-- -" }, 'sql'],
    ['error-based SQLi', 'get_order', { reference: "1' and extractvalue(1,concat(0x7e,version()))--" }, 'sql'],
    ['stacked DECLARE', 'get_order', { reference: '1; declare @q varchar(99)' }, 'sql'],
    ['backtick substitution', 'read_file', { path: '/var/log/`whoami`/audit.log' }, 'command'],
    ['Ruby/PHP code eval', 'lookup_customer', { name: 'System("ls -al /")' }, 'command'],
    ['..0x2f traversal', 'read_file', { path: '..0x2f..0x2fetc/passwd' }, 'path-traversal'],
    ['overlong UTF-8 traversal', 'read_file', { path: '..%c0%af..%c0%afetc%c0%afpasswd' }, 'path-traversal'],
    ['UNC path', 'read_file', { path: '\\\\203.0.113.9\\share\\x.txt' }, 'path-traversal'],
    ['script tag in a stored title', 'create_page', { title: '"><script>alert(1)</script>' }, 'html'],
    ['event handler', 'post_comment', { author: '<img src=x onerror=alert(1)>' }, 'html'],
    ['LDAP filter break-out', 'find_user', { uid: '*)(uid=*))(|(uid=*' }, 'ldap'],
    ['XPath probe', 'find_user', { name: "' or count(/*)=1 or 'a'='b" }, 'xpath'],
    ['OGNL expression', 'render_report', { label: '%{#context["xwork.MethodAccessor.denyMethodExecution"]=false}' }, 'template'],
    // Folded before matching (text/normalize.ts): compatibility forms and zero-width characters.
    ['fullwidth script tag', 'create_page', { title: '＜script＞alert(1)＜/script＞' }, 'html'],
    ['zero-width inside a UNION SELECT', 'get_order', { reference: "1' UNI\u200bON SEL\u200bECT password FROM users--" }, 'sql'],
  ])('%s', async (_name, tool, args, category) => {
    expect((await categories(tool, args)).map((c) => c.split(':')[1])).toContain(category);
  });

  it('near misses: normal SQL to a SQL tool, shell to a shell tool, prose and HTML documents', async () => {
    expect(await categories('run_sql', { query: "SELECT id FROM t WHERE a = 'x' AND b = 2 ORDER BY 3" })).toEqual([]);
    expect(await categories('run_command', { command: 'ls -la /tmp && cat README.md | head -5' })).toEqual([]);
    expect(await categories('search_docs', { query: 'How do I prevent SQL injection and XSS in my login form?' })).toEqual([]);
    expect(await categories('create_page', { content: '<p>Hello <b>world</b></p><script src="/app.js"></script>' })).toEqual([]);
    expect(await categories('lookup_customer', { name: "O'Brien & Sons (Dublin)" })).toEqual([]);
    expect(await categories('lookup_customer', { name: 'Ｍüller ＧｍｂＨ — Straße 1/2' })).toEqual([]);
    expect(await categories('search_docs', { query: 'the `id` field of the user object' })).toEqual([]);
  });
});
