/**
 * The light instrumentation package installs and works on its own: `npm pack` of the workspace
 * package, installed into an empty project next to the MCP SDK (its only, peer, dependency), then
 * imported by plain Node from that project. Also checks that installing it adds no package besides
 * itself to what the SDK brings.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/instrument-dist.js';

const run = promisify(execFile);
const workDir = mkdtempSync(join(tmpdir(), 'watchtower-instrument-pkg-'));
const project = join(workDir, 'consumer');
const SDK_VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/@modelcontextprotocol/sdk/package.json'), 'utf8')) as { version: string }).version;
const NPM_QUIET = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];

let tarball = '';

/** Installed package directories (scoped ones as @scope/name). */
function installedPackages(root: string): string[] {
  const names: string[] = [];
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries) {
      if (name.startsWith('.')) continue;
      if (name.startsWith('@')) {
        for (const scoped of readdirSync(join(dir, name))) {
          names.push(`${name}/${scoped}`);
          walk(join(dir, name, scoped, 'node_modules'));
        }
      } else {
        names.push(name);
        walk(join(dir, name, 'node_modules'));
      }
    }
  };
  walk(join(root, 'node_modules'));
  return names;
}

beforeAll(async () => {
  // `npm pack` runs the package's prepack (the TypeScript build to dist/).
  const { stdout } = await run('npm', ['pack', '--workspace', '@mcp-watchtower/instrument', '--pack-destination', workDir, '--json', '--loglevel=error'], {
    cwd: REPO_ROOT,
    timeout: 120_000,
  });
  tarball = join(workDir, (JSON.parse(stdout) as Array<{ filename: string }>)[0]?.filename ?? '');
  await run('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', type: 'module', private: true }));
}, 180_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('@mcp-watchtower/instrument, installed alone', () => {
  it('declares no dependency but the MCP SDK (as a peer)', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'packages/instrument/package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.dependencies).toBeUndefined();
    expect(Object.keys(manifest.peerDependencies as object)).toEqual(['@modelcontextprotocol/sdk']);
  });

  it('installs from its tarball beside the SDK, adds nothing else, and instruments a real server', async () => {
    await run('npm', ['install', ...NPM_QUIET, `@modelcontextprotocol/sdk@${SDK_VERSION}`], { cwd: project, timeout: 300_000 });
    const sdkOnly = new Set(installedPackages(project));
    await run('npm', ['install', ...NPM_QUIET, tarball], { cwd: project, timeout: 300_000 });
    const withPackage = installedPackages(project).filter((name) => !sdkOnly.has(name));
    expect(withPackage).toEqual(['@mcp-watchtower/instrument']);

    writeFileSync(
      join(project, 'server.mjs'),
      `import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { instrument, mcpHttpLogger, observeMessages } from '@mcp-watchtower/instrument';
const lines = [];
const server = new Server({ name: 'alone-mcp', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{ name: 'echo', inputSchema: { type: 'object' } }] }));
server.setRequestHandler(CallToolRequestSchema, async (r) => ({ content: [{ type: 'text', text: String(r.params.arguments?.text) }] }));
instrument(server, { write: (l) => lines.push(l) });
const [a, b] = InMemoryTransport.createLinkedPair();
await server.connect(b);
const client = new Client({ name: 'alone-client', version: '1.0.0' });
await client.connect(a);
await client.callTool({ name: 'echo', arguments: { text: 'key AKIAIOSFODNN7EXAMPLE' } });
await client.close();
process.stdout.write(JSON.stringify({ lines, helpers: [typeof mcpHttpLogger, typeof observeMessages], resolved: import.meta.resolve('@mcp-watchtower/instrument') }));
`,
    );
    const { stdout } = await run(process.execPath, ['server.mjs'], { cwd: project, timeout: 30_000 });
    const report = JSON.parse(stdout) as { lines: string[]; helpers: string[]; resolved: string };
    expect(report.resolved).toContain('/consumer/node_modules/@mcp-watchtower/instrument/dist/index.js');
    expect(report.helpers).toEqual(['function', 'function']);
    const events = report.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.map((e) => e.event)).toEqual(['mcp.session', 'mcp.call']);
    expect(events[1]).toMatchObject({ tool: 'echo', server: { name: 'alone-mcp' }, arguments: { text: 'key [REDACTED:aws-access-key]' } });
  }, 600_000);
});
