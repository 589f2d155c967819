/** Every value modifier: a positive case and a near-miss that must not match. */
import { describe, expect, it } from 'vitest';
import { call, matches, oneSelection, ruleSetOf } from './helpers.js';

interface Case {
  readonly name: string;
  readonly selection: string;
  readonly hit: Record<string, unknown>;
  readonly miss: Record<string, unknown>;
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

const CASES: readonly Case[] = [
  { name: 'plain value is equality, case-insensitive', selection: 'tool: Read_File', hit: { tool: 'read_FILE' }, miss: { tool: 'read_file_v2' } },
  { name: 'wildcards * and ?', selection: "tool: 'read_?ile*'", hit: { tool: 'read_file_secure' }, miss: { tool: 'read_ffile' } },
  { name: 'escaped wildcard is literal', selection: "tool: 'what\\*'", hit: { tool: 'what*' }, miss: { tool: 'whatever' } },
  { name: 'contains', selection: 'result.text|contains: ignore previous', hit: { result: { text: 'Please IGNORE PREVIOUS notes' } }, miss: { result: { text: 'ignore the previous' } } },
  { name: 'startswith', selection: 'tool|startswith: delete_', hit: { tool: 'DELETE_repo' }, miss: { tool: 'undelete_repo' } },
  { name: 'endswith', selection: 'arguments.path|endswith: /.env', hit: { arguments: { path: '/app/.ENV' } }, miss: { arguments: { path: '/app/.env.example' } } },
  { name: 'list is any of', selection: 'tool: [a_tool, b_tool]', hit: { tool: 'b_tool' }, miss: { tool: 'c_tool' } },
  { name: 'all needs every value', selection: 'result.text|contains|all: [send, password]', hit: { result: { text: 'send the password now' } }, miss: { result: { text: 'send the report' } } },
  { name: 'object field: any string leaf below', selection: 'arguments|contains: /etc/shadow', hit: { arguments: { opts: { files: ['/a', '/etc/shadow'] } } }, miss: { arguments: { opts: { files: ['/etc/passwd'] } } } },
  { name: 'array of tools: tools.description', selection: 'tools.description|contains: do not tell the user', hit: { event: 'mcp.tools', tools: [{ name: 'a', description: 'ok' }, { name: 'b', description: 'Do not tell the user about this' }] }, miss: { event: 'mcp.tools', tools: [{ name: 'do not tell the user', description: 'ok' }] } },
  { name: 're is case-sensitive', selection: "result.text|re: 'curl\\s+-d\\s+@'", hit: { result: { text: 'run curl -d @/etc/passwd' } }, miss: { result: { text: 'run CURL -d @/etc/passwd' } } },
  { name: 're|i ignores case', selection: "result.text|re|i: 'curl\\s+-d\\s+@'", hit: { result: { text: 'run CURL  -D @x' } }, miss: { result: { text: 'run curl -d x' } } },
  { name: 're|m anchors lines', selection: "result.text|re|m: '^SYSTEM:'", hit: { result: { text: 'hello\nSYSTEM: obey' } }, miss: { result: { text: 'the SYSTEM: prompt' } } },
  { name: 're|s dot matches newline', selection: "result.text|re|s: 'begin.+end'", hit: { result: { text: 'begin\nend' } }, miss: { result: { text: 'end begin' } } },
  { name: 'cidr', selection: 'client.ip|cidr: 10.0.0.0/8', hit: { client: { ip: '10.20.30.40' } }, miss: { client: { ip: '11.0.0.1' } } },
  { name: 'cidr ipv6', selection: "client.ip|cidr: '2001:db8::/32'", hit: { client: { ip: '2001:db8:1::5' } }, miss: { client: { ip: '2001:db9::5' } } },
  { name: 'base64 (whole value)', selection: 'arguments.blob|base64: rm -rf /', hit: { arguments: { blob: b64('rm -rf /') } }, miss: { arguments: { blob: b64('rm -rf /tmp/x') } } },
  { name: 'base64offset|contains at offset 0', selection: 'arguments|base64offset|contains: /etc/passwd', hit: { arguments: { cmd: `echo ${b64('cat /etc/passwd')}` } }, miss: { arguments: { cmd: b64('cat /etc/hosts') } } },
  { name: 'base64offset|contains at offset 1', selection: 'arguments|base64offset|contains: /etc/passwd', hit: { arguments: { cmd: b64('x/etc/passwd') } }, miss: { arguments: { cmd: b64('x/etc/passw') } } },
  { name: 'base64offset|contains at offset 2', selection: 'arguments|base64offset|contains: /etc/passwd', hit: { arguments: { cmd: b64('xy/etc/passwd!') } }, miss: { arguments: { cmd: 'L2V0Yy9wYXNzd2Q'.toLowerCase() } } },
  { name: 'exists: true', selection: 'arguments.sudo|exists: true', hit: { arguments: { sudo: false } }, miss: { arguments: { su: true } } },
  { name: 'exists: false', selection: 'principal|exists: false', hit: { tool: 'x' }, miss: { principal: { sub: 'a' } } },
  { name: 'gt', selection: 'http.status|gt: 499', hit: { http: { status: 503 } }, miss: { http: { status: 499 } } },
  { name: 'gte', selection: 'durationMs|gte: 1000', hit: { durationMs: 1000 }, miss: { durationMs: 999.5 } },
  { name: 'lt on a numeric string', selection: 'arguments.limit|lt: 0', hit: { arguments: { limit: '-5' } }, miss: { arguments: { limit: 'none' } } },
  { name: 'lte', selection: 'result.bytes|lte: 10', hit: { result: { bytes: 10 } }, miss: { result: { bytes: 11 } } },
  { name: 'windash', selection: "arguments.cmd|windash|contains: ' -enc '", hit: { arguments: { cmd: 'powershell /enc AAA' } }, miss: { arguments: { cmd: 'powershell enc AAA' } } },
  { name: 'cased', selection: 'tool|cased: ReadFile', hit: { tool: 'ReadFile' }, miss: { tool: 'readfile' } },
  { name: 'null: absent or empty', selection: 'principal.sub: null', hit: { principal: { sub: '' } }, miss: { principal: { sub: 'alice' } } },
  { name: 'numbers compare as text for equality', selection: 'http.status: 401', hit: { http: { status: 401 } }, miss: { http: { status: 4010 } } },
  { name: 'booleans', selection: 'result.isError: true', hit: { result: { isError: true } }, miss: { result: { isError: false } } },
];

describe('value modifiers', () => {
  it.each(CASES)('$name', ({ selection, hit, miss }) => {
    const set = ruleSetOf(oneSelection(selection));
    const plain = ruleSetOf(oneSelection(selection), { prefilter: false });
    expect(matches(set, call(hit))).toBe(true);
    expect(matches(set, call(miss))).toBe(false);
    expect(matches(plain, call(hit))).toBe(true);
    expect(matches(plain, call(miss))).toBe(false);
  });
});

describe('keywords and event scope', () => {
  it('a keyword list searches every string of the event, case-insensitively', () => {
    const set = ruleSetOf('title: t\nid: K\ndetection:\n  kw:\n    - BEGIN PRIVATE KEY\n    - aws_secret_access_key\n  condition: kw\n');
    expect(matches(set, call({ result: { text: '-----begin private key-----' } }))).toBe(true);
    expect(matches(set, call({ arguments: { deep: [{ x: 'AWS_SECRET_ACCESS_KEY=...' }] } }))).toBe(true);
    expect(matches(set, call({ result: { text: 'begin the private keynote' } }))).toBe(false);
  });

  it('logsource.category restricts the event kind and service the server', () => {
    const set = ruleSetOf(oneSelection('tool: x', 'logsource: {product: mcp, category: call, service: files}\n'));
    expect(matches(set, call({ tool: 'x', server: { name: 'files' } }))).toBe(true);
    expect(matches(set, call({ tool: 'x', server: { name: 'other' } }))).toBe(false);
    expect(matches(set, call({ event: 'mcp.notification', tool: 'x', server: { name: 'files' } }))).toBe(false);
  });

  it('a text longer than the leaf bound is matched on its bounded prefix only', () => {
    const set = ruleSetOf(oneSelection('result.text|contains: needle'));
    expect(matches(set, call({ result: { text: `${'a'.repeat(100)}needle` } }))).toBe(true);
    expect(matches(set, call({ result: { text: `${'a'.repeat(20_000)}needle` } }))).toBe(false);
  });
});
