/**
 * What `mcp-watchtower wrap` adds to a round trip: the official SDK client calls a real stdio MCP
 * server from npm (@modelcontextprotocol/server-filesystem, read_text_file of a ~1.5 KB file)
 * directly, through `wrap --log <file>`, and through `wrap --log <file> --alerts <file>` (detection
 * in-process). Calls interleave the three, so drift hits every variant equally; medians and p90s of
 * the per-call round trips are reported.
 *
 *   npx tsx bench/wrap-overhead.ts [calls]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

export interface WrapOverhead {
  /** Round trips measured per variant. */
  calls: number;
  /** Median round trip (µs) of one tools/call: direct, through `wrap`, through `wrap --alerts`. */
  directUsP50: number;
  wrappedUsP50: number;
  wrappedWithAlertsUsP50: number;
  /** Median added latency per round trip (µs): wrap writing events to a file. */
  overheadUsP50: number;
  /** The same with in-process detection (--alerts). */
  overheadWithAlertsUsP50: number;
  /** 90th percentiles (µs), same order. */
  directUsP90: number;
  wrappedUsP90: number;
  wrappedWithAlertsUsP90: number;
}

const WARMUP_CALLS = 200;
const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

type Variant = 'direct' | 'wrapped' | 'alerts';

async function connect(variant: Variant, root: string, dir: string): Promise<Client> {
  const require = createRequire(import.meta.url);
  const server = join(require.resolve('@modelcontextprotocol/server-filesystem/package.json'), '../dist/index.js');
  const wrapArgs =
    variant === 'direct'
      ? []
      : [
          join(REPO_ROOT, 'bin/mcp-watchtower.js'),
          'wrap',
          '--log',
          join(dir, `${variant}.log`),
          ...(variant === 'alerts' ? ['--alerts', join(dir, 'alerts.jsonl')] : []),
          '--',
          process.execPath,
        ];
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [...wrapArgs, server, root],
    cwd: REPO_ROOT,
    stderr: 'ignore',
  });
  const client = new Client({ name: 'bench-client', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

async function roundTrip(client: Client, path: string): Promise<number> {
  const start = performance.now();
  await client.callTool({ name: 'read_text_file', arguments: { path } });
  return (performance.now() - start) * 1000;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);
}

export async function measureWrapOverhead(opts: { calls?: number } = {}): Promise<WrapOverhead> {
  const calls = Math.max(10, Math.floor(opts.calls ?? 1500));
  const dir = mkdtempSync(join(tmpdir(), 'watchtower-bench-wrap-'));
  const root = join(dir, 'root');
  const file = join(root, 'notes.md');
  const clients: Partial<Record<Variant, Client>> = {};
  try {
    mkdirSync(root);
    writeFileSync(file, 'line of a document that a tool returns to the agent\n'.repeat(30));
    const variants: Variant[] = ['direct', 'wrapped', 'alerts'];
    for (const v of variants) clients[v] = await connect(v, root, dir);
    const samples: Record<Variant, number[]> = { direct: [], wrapped: [], alerts: [] };
    // Call by call, rotating which variant goes first, so machine noise hits all three alike.
    for (let i = 0; i < WARMUP_CALLS + calls; i++) {
      for (let k = 0; k < variants.length; k++) {
        const v = variants[(i + k) % variants.length] as Variant;
        const us = await roundTrip(clients[v] as Client, file);
        if (i >= WARMUP_CALLS) samples[v].push(us);
      }
    }
    const p50 = (v: Variant): number => percentile(samples[v], 50);
    const p90 = (v: Variant): number => percentile(samples[v], 90);
    return {
      calls,
      directUsP50: p50('direct'),
      wrappedUsP50: p50('wrapped'),
      wrappedWithAlertsUsP50: p50('alerts'),
      overheadUsP50: p50('wrapped') - p50('direct'),
      overheadWithAlertsUsP50: p50('alerts') - p50('direct'),
      directUsP90: p90('direct'),
      wrappedUsP90: p90('wrapped'),
      wrappedWithAlertsUsP90: p90('alerts'),
    };
  } finally {
    for (const client of Object.values(clients)) await client?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const calls = process.argv[2] ? Number(process.argv[2]) : undefined;
  measureWrapOverhead({ calls }).then(
    (result) => process.stdout.write(JSON.stringify(result, null, 2) + '\n'),
    (error: unknown) => {
      process.stderr.write(`wrap overhead benchmark failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
