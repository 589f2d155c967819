/**
 * The cold-start bar (DESIGN.md: ingest bundle ≤ 1.5 MB, module import ≤ 150 ms): bundles the
 * ingest handler with the same esbuild options the CDK construct uses (ESM, minified, AWS SDK
 * external because the Lambda runtime ships it), then imports the bundle in fresh Node processes
 * with the environment the stack sets and takes the median import time. The import includes
 * building the engine from the config and creating the AWS clients (no network calls).
 *
 *   npx tsx bench/cold-start.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export interface ColdStart {
  bundleKb: number;
  importMsMedian: number;
  importMsMax: number;
  imports: number;
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const IMPORTS = 7;
// Inside the repo so the external @aws-sdk/* packages resolve from node_modules, as /var/runtime does.
const OUT_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'watchtower-cold-start');

export async function measureColdStart(): Promise<ColdStart> {
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  const outfile = join(OUT_DIR, 'index.mjs');
  await build({
    entryPoints: [join(REPO_ROOT, 'functions/handlers/ingest.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    mainFields: ['module', 'main'],
    minify: true,
    external: ['@aws-sdk/*'],
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    outfile,
    logLevel: 'silent',
  });
  writeFileSync(join(OUT_DIR, 'package.json'), '{"type":"module"}\n');
  const bundleKb = Math.round(statSync(outfile).size / 1024);
  const probe = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(outfile).href)}); process.stdout.write(String(performance.now() - t));`;
  const env = {
    ...process.env,
    STATE_TABLE_NAME: 'watchtower-state',
    ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:watchtower-alerts',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'cold-start-bench',
    AWS_SECRET_ACCESS_KEY: 'cold-start-bench',
    POWERTOOLS_DEV: 'false',
  };
  const times: number[] = [];
  for (let i = 0; i < IMPORTS; i++) {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
      env,
      encoding: 'utf8',
    });
    const ms = Number(child.stdout);
    if (child.status !== 0 || !Number.isFinite(ms))
      throw new Error(`importing the ingest bundle failed: ${child.stderr.slice(0, 2000)}`);
    times.push(ms);
  }
  times.sort((a, b) => a - b);
  return {
    bundleKb,
    importMsMedian: Math.round(times[Math.floor(times.length / 2)] ?? 0),
    importMsMax: Math.round(times[times.length - 1] ?? 0),
    imports: times.length,
  };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  measureColdStart().then(
    (c) =>
      process.stdout.write(
        `ingest bundle ${c.bundleKb} KB; module import median ${c.importMsMedian} ms, max ${c.importMsMax} ms over ${c.imports} fresh processes\n`,
      ),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
