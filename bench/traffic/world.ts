/**
 * The simulated estate: MCP servers (each logging in its own source format to its own log group),
 * their tools, and the users who call them.
 */
import { Rng } from './rng.js';

export type ServerFormat = 'canonical' | 'lambda-text' | 'jsonrpc';

export interface SimTool {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: Record<string, unknown>;
  readonly annotations?: Record<string, unknown>;
}

export interface SimServer {
  readonly name: string;
  readonly version: string;
  readonly format: ServerFormat;
  readonly logGroup: string;
  readonly streams: readonly string[];
  readonly tools: readonly SimTool[];
  /** Share of sessions that go to this server. */
  readonly weight: number;
}

export interface SimUser {
  readonly sub: string;
  readonly clientId: string;
  readonly clientName: string;
  readonly clientVersion: string;
  readonly ips: readonly string[];
  readonly tokenFp: string;
}

const obj = (props: Record<string, string>, required: string[] = Object.keys(props)) => ({
  type: 'object',
  properties: Object.fromEntries(Object.entries(props).map(([k, t]) => [k, { type: t }])),
  required,
});

export const SERVERS: readonly SimServer[] = [
  {
    name: 'files-mcp',
    version: '1.4.0',
    format: 'canonical',
    logGroup: '/ecs/files-mcp',
    streams: ['files-mcp/task-7f3a', 'files-mcp/task-91bc'],
    weight: 0.3,
    tools: [
      { name: 'read_file', description: 'Read a text file under /srv/data.', inputSchema: obj({ path: 'string' }), annotations: { readOnlyHint: true } },
      { name: 'list_directory', description: 'List the entries of a directory under /srv/data.', inputSchema: obj({ path: 'string' }), annotations: { readOnlyHint: true } },
      { name: 'search_files', description: 'Search file contents for a phrase.', inputSchema: obj({ query: 'string' }), annotations: { readOnlyHint: true } },
      { name: 'write_file', description: 'Write a text file under /srv/data/out.', inputSchema: obj({ path: 'string', content: 'string' }) },
    ],
  },
  {
    name: 'docs-mcp',
    version: '2.0.1',
    format: 'lambda-text',
    logGroup: '/aws/lambda/docs-mcp',
    streams: ['2026/11/24/[$LATEST]0a1b2c3d', '2026/11/24/[$LATEST]4e5f6a7b'],
    weight: 0.25,
    tools: [
      { name: 'search_docs', description: 'Search the engineering handbook.', inputSchema: obj({ query: 'string' }), annotations: { readOnlyHint: true } },
      { name: 'get_page', description: 'Get one handbook page by id.', inputSchema: obj({ id: 'string' }), annotations: { readOnlyHint: true } },
      { name: 'fetch_url', description: 'Fetch a public web page and return its text.', inputSchema: obj({ url: 'string' }), annotations: { readOnlyHint: true, openWorldHint: true } },
    ],
  },
  {
    name: 'crm-mcp',
    version: '0.9.3',
    format: 'jsonrpc',
    logGroup: '/mcp/crm-mcp',
    streams: ['proxy-1'],
    weight: 0.2,
    tools: [
      { name: 'query_customers', description: 'Query customer records with a SQL WHERE clause.', inputSchema: obj({ where: 'string' }) },
      { name: 'get_customer', description: 'Get one customer record by id.', inputSchema: obj({ id: 'string' }) },
    ],
  },
  {
    name: 'mail-mcp',
    version: '3.2.0',
    format: 'canonical',
    logGroup: '/ecs/mail-mcp',
    streams: ['mail-mcp/task-12ab'],
    weight: 0.25,
    tools: [
      { name: 'read_inbox', description: 'Read recent messages from the user\'s inbox.', inputSchema: obj({ folder: 'string' }), annotations: { readOnlyHint: true } },
      { name: 'send_email', description: 'Send an email on behalf of the user.', inputSchema: obj({ to: 'string', subject: 'string', body: 'string' }), annotations: { openWorldHint: true } },
    ],
  },
];

const CLIENTS = [
  ['claude-code', '2.1.0'],
  ['cursor', '1.9.4'],
  ['vscode-copilot', '1.312.0'],
] as const;

export function makeUsers(rng: Rng, count: number): SimUser[] {
  const users: SimUser[] = [];
  for (let i = 1; i <= count; i++) {
    const [clientName, clientVersion] = rng.pick(CLIENTS);
    const net = rng.pick(['203.0.113', '198.51.100', '192.0.2']);
    const ips = [`${net}.${rng.int(1, 254)}`];
    if (rng.chance(0.3)) ips.push(`${net}.${rng.int(1, 254)}`);
    users.push({ sub: `user-${i}`, clientId: `oauth-${clientName}`, clientName, clientVersion, ips, tokenFp: rng.hex(16) });
  }
  return users;
}
