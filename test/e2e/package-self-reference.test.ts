/**
 * `import { instrument } from 'mcp-watchtower/instrument'` — the line the README tells users to
 * write — resolves through package.json "exports" to dist/instrument, for Node (a plain .mjs
 * consumer run by node itself, no tsx) and for TypeScript (the "types" condition under NodeNext).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIST_ENTRY, DIST_TYPES, REPO_ROOT, ensureInstrumentDist } from './support/instrument-dist.js';

const CONSUMER = join(REPO_ROOT, 'test/e2e/fixtures/package-consumer.mjs');

interface ConsumerReport {
  resolved: string;
  written: number;
  writeFailures: number;
  internalErrors: number;
  lines: string[];
}

beforeAll(async () => {
  await ensureInstrumentDist();
}, 60_000);

describe('mcp-watchtower/instrument (package self-reference)', () => {
  it('Node resolves it to dist/instrument/index.js, and the bundle instruments a real SDK server', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [CONSUMER], {
      cwd: REPO_ROOT,
      timeout: 20_000,
    });
    const report = JSON.parse(stdout) as ConsumerReport;
    expect(report.resolved).toBe(pathToFileURL(DIST_ENTRY).href);
    expect({
      written: report.written,
      writeFailures: report.writeFailures,
      internalErrors: report.internalErrors,
    }).toEqual({
      written: 2,
      writeFailures: 0,
      internalErrors: 0,
    });
    const events = report.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events).toEqual([
      expect.objectContaining({
        v: 1,
        event: 'mcp.session',
        server: { name: 'consumer-mcp', version: '3.1.4' },
        client: { name: 'consumer-client', version: '1.0.0' },
        rpc: { id: 0, method: 'initialize' },
      }),
      expect.objectContaining({
        v: 1,
        event: 'mcp.call',
        rpc: { id: 1, method: 'tools/call' },
        tool: 'echo',
        arguments: { text: 'hello' },
        result: { isError: false, text: 'hello', bytes: 5 },
      }),
    ]);
  });

  it('TypeScript (NodeNext) resolves its types to dist/instrument/index.d.ts', () => {
    const { resolvedModule } = ts.resolveModuleName(
      'mcp-watchtower/instrument',
      CONSUMER.replace(/\.mjs$/, '.mts'),
      { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext },
      ts.sys,
    );
    expect(resolvedModule?.resolvedFileName).toBe(DIST_TYPES);
    expect(resolvedModule?.isExternalLibraryImport).toBe(false);
  });
});
