/**
 * A small stdio MCP server instrumented with mcp-watchtower — deliberately naive (it follows any
 * path and fetches any URL) so its logs show what the detectors catch. Files live in memory; no
 * real file, network or mail is touched.
 *
 *   npx tsx examples/instrumented-server/server.ts        (speaks MCP on stdin/stdout, logs on stderr)
 *   npx tsx examples/instrumented-server/drive.ts > /tmp/mcp.log    (runs a session against it)
 */
import { posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
// In your own server: import { instrument } from 'mcp-watchtower/instrument';
import { instrument, type InstrumentOptions } from '../../packages/instrument/src/index.js';

export const EXAMPLE_SERVER_INFO = { name: 'example-files-mcp', version: '1.2.0' } as const;
export const HOME = '/home/user';

// Fake but pattern-valid credentials, assembled at runtime so repository secret scanners stay quiet.
const FAKE_ACCESS_KEY_ID = 'AKIA' + 'IOSFODNN7EXAMPLE';
const FAKE_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/' + 'bPxRfiCYEXAMPLEKEY';

export const FAKE_FILES: Readonly<Record<string, string>> = {
  '/srv/docs/readme.md':
    '# Example service\n\nThis service stores team documents. See deploy.md for releases.\n',
  '/srv/docs/deploy.md':
    '# Deploying\n\nRun the pipeline, then check the dashboard. Rollbacks: redeploy the previous tag.\n',
  '/srv/docs/oncall.md': '# On-call\n\nPage the owner of the failing service; escalate after 15 minutes.\n',
  [`${HOME}/.aws/credentials`]: `[default]\naws_access_key_id = ${FAKE_ACCESS_KEY_ID}\naws_secret_access_key = ${FAKE_SECRET_ACCESS_KEY}\nregion = eu-west-1\n`,
  '/etc/passwd':
    'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nuser:x:1000:1000::/home/user:/bin/bash\n',
};

const FAKE_METADATA = 'ami-id\nami-launch-index\nhostname\niam/\ninstance-id\nlocal-ipv4\n';

function resolvePath(path: string): string {
  const expanded = path === '~' || path.startsWith('~/') ? HOME + path.slice(1) : path;
  return posix.normalize(expanded.startsWith('/') ? expanded : `/srv/docs/${expanded}`);
}

function text(
  value: string,
  isError = false,
): { content: Array<{ type: 'text'; text: string }>; isError?: boolean } {
  return isError
    ? { content: [{ type: 'text', text: value }], isError: true }
    : { content: [{ type: 'text', text: value }] };
}

/** The example server with its four tools (not yet connected, not instrumented). */
export function createExampleServer(): McpServer {
  const server = new McpServer(EXAMPLE_SERVER_INFO, { capabilities: { tools: {} } });

  server.registerTool(
    'read_file',
    {
      description: 'Read a text file from the document store.',
      inputSchema: { path: z.string().describe('Absolute path or a path relative to /srv/docs') },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ path }) => {
      const content = FAKE_FILES[resolvePath(path)];
      return content === undefined ? text(`ENOENT: no such file: ${path}`, true) : text(content);
    },
  );

  server.registerTool(
    'search_docs',
    {
      description: 'Search the document store; returns matching lines.',
      inputSchema: { query: z.string(), limit: z.number().int().positive().max(50).optional() },
      annotations: { readOnlyHint: true },
    },
    async ({ query, limit }) => {
      const needle = query.toLowerCase();
      const hits: string[] = [];
      for (const [path, body] of Object.entries(FAKE_FILES)) {
        if (!path.startsWith('/srv/docs/')) continue;
        for (const line of body.split('\n'))
          if (line.toLowerCase().includes(needle)) hits.push(`${path}: ${line}`);
      }
      return text(hits.slice(0, limit ?? 10).join('\n') || 'no matches');
    },
  );

  server.registerTool(
    'fetch_url',
    {
      description: 'Fetch a web page and return its text.',
      inputSchema: { url: z.string() },
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async ({ url }) => {
      // Never touches the network: a canned answer stands in for the response.
      const body = url.includes('169.254.169.254')
        ? FAKE_METADATA
        : `<html><body>Example page for ${url}</body></html>`;
      return text(body);
    },
  );

  server.registerTool(
    'send_email',
    {
      description: 'Send an email on behalf of the user.',
      inputSchema: { to: z.string(), subject: z.string(), body: z.string() },
      annotations: { destructiveHint: false, openWorldHint: true },
    },
    async ({ to }) => text(`queued message to ${to} (id msg-${to.length.toString(16)}-01)`),
  );

  return server;
}

/** Starts the example on this process's stdin/stdout with instrumentation writing to stderr (or `write`). */
export async function runStdioExample(options: InstrumentOptions = {}): Promise<McpServer> {
  const server = createExampleServer();
  instrument(server, options);
  await server.connect(new StdioServerTransport());
  return server;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runStdioExample().catch((error: unknown) => {
    process.stderr.write(`example server failed: ${String(error)}\n`);
    process.exit(1);
  });
}
