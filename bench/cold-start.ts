/**
 * The cold-start bar (DESIGN.md: ingest bundle ≤ 1.5 MB, module import ≤ 150 ms): bundles the
 * ingest handler with the settings the CDK construct uses (FUNCTION_BUNDLING in
 * infra/constructs/watchtower-function.ts: ESM, minified, AWS SDK bundled, source map), then
 * imports the bundle in fresh Node processes set up as the deployed function is — its NODE_OPTIONS,
 * its environment and the engine config JSON the CDK app writes beside the bundle (from
 * watchtower.config.yaml) — and takes the median import time. The import includes building the
 * engine from that config and creating the AWS clients (no network calls). Also lists the largest
 * contributors to the bundle. `--atr` (or `{ atr: true }`) enables the ATR community pack in that
 * config, as `rulePacks: { atr: { enabled: true } }` deploys it (its documents embedded as the CDK
 * app embeds them).
 *
 *   npx tsx bench/cold-start.ts [--atr]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { withRuleDocuments } from '../infra/config/embed-rules.js';
import { loadConfigFile } from '../infra/config/load-config.js';
import { BUNDLED_CONFIG_FILE_NAME, FUNCTION_BUNDLING } from '../infra/constructs/watchtower-function.js';

export interface ColdStart {
  bundleKb: number;
  importMsMedian: number;
  importMsMax: number;
  /**
   * CPU time (user + system) of the same imports, median: what the import costs when the machine
   * is shared and wall time mostly measures waiting for a core.
   */
  importCpuMsMedian: number;
  imports: number;
  /** The largest contributors to the bundle: npm packages and engine folders, in KB. */
  largest: ReadonlyArray<{ readonly part: string; readonly kb: number }>;
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const IMPORTS = 7;
const OUT_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'watchtower-cold-start');

/** Output bytes per npm package or source folder (functions/engine/detectors, ...). */
function largestParts(metafile: Metafile, count: number): ColdStart['largest'] {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
  const bytes = new Map<string, number>();
  for (const [file, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];
    const part = pkg ?? file.split('/').slice(0, 3).join('/');
    bytes.set(part, (bytes.get(part) ?? 0) + bytesInOutput);
  }
  return [...bytes]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([part, n]) => ({ part, kb: Math.round(n / 1024) }));
}

/** The engine config the CDK app writes for `configFile`, with the ATR pack switched on when asked. */
function engineConfigOf(configFile: string, atr: boolean): Readonly<Record<string, unknown>> {
  const engineConfig = loadConfigFile(configFile).engineConfig as Readonly<Record<string, unknown>>;
  if (!atr) return engineConfig;
  const { ruleDocuments: _embedded, rulePacks, ...rest } = engineConfig as Record<string, unknown>;
  const packs = (rulePacks ?? {}) as Record<string, Record<string, unknown>>;
  return withRuleDocuments({ ...rest, rulePacks: { ...packs, atr: { ...(packs['atr'] ?? {}), enabled: true } } }, dirname(configFile));
}

export async function measureColdStart(
  configFile = join(REPO_ROOT, 'watchtower.config.yaml'),
  options: { readonly atr?: boolean } = {},
): Promise<ColdStart> {
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  const outfile = join(OUT_DIR, 'index.mjs');
  const result = await build({
    entryPoints: [join(REPO_ROOT, 'functions/handlers/ingest.ts')],
    bundle: true,
    platform: 'node',
    format: FUNCTION_BUNDLING.format,
    // The construct targets the Lambda runtime's Node version; this machine runs Node 20.
    target: 'node20',
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    sourcesContent: FUNCTION_BUNDLING.sourcesContent,
    external: FUNCTION_BUNDLING.bundleAwsSDK ? [] : ['@aws-sdk/*'],
    banner: { js: FUNCTION_BUNDLING.banner },
    outfile,
    metafile: true,
    logLevel: 'silent',
  });
  writeFileSync(join(OUT_DIR, 'package.json'), '{"type":"module"}\n');
  // What the CDK app copies into the bundle (infra/config/load-config.ts → writeEngineConfigFile).
  const engineConfigFile = join(OUT_DIR, BUNDLED_CONFIG_FILE_NAME);
  writeFileSync(engineConfigFile, `${JSON.stringify(engineConfigOf(configFile, options.atr === true), null, 2)}\n`);
  const bundleKb = Math.round(statSync(outfile).size / 1024);
  const probe = `const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(pathToFileURL(outfile).href)}); const u = process.cpuUsage(c); process.stdout.write(String(performance.now() - t) + ' ' + String((u.user + u.system) / 1000));`;
  const env = {
    ...process.env,
    NODE_OPTIONS: FUNCTION_BUNDLING.nodeOptions,
    STATE_TABLE_NAME: 'watchtower-state',
    ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:watchtower-alerts',
    WATCHTOWER_CONFIG_FILE: engineConfigFile,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'cold-start-bench',
    AWS_SECRET_ACCESS_KEY: 'cold-start-bench',
    POWERTOOLS_DEV: 'false',
  };
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let i = 0; i < IMPORTS; i++) {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
      env,
      encoding: 'utf8',
    });
    const [ms, cpuMs] = child.stdout.trim().split(' ').map(Number) as [number, number];
    if (child.status !== 0 || !Number.isFinite(ms) || !Number.isFinite(cpuMs))
      throw new Error(`importing the ingest bundle failed: ${child.stderr.slice(0, 2000)}`);
    times.push(ms);
    cpuTimes.push(cpuMs);
  }
  times.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);
  return {
    bundleKb,
    importMsMedian: Math.round(times[Math.floor(times.length / 2)] ?? 0),
    importMsMax: Math.round(times[times.length - 1] ?? 0),
    importCpuMsMedian: Math.round(cpuTimes[Math.floor(cpuTimes.length / 2)] ?? 0),
    imports: times.length,
    largest: largestParts(result.metafile, 8),
  };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const atr = process.argv.includes('--atr');
  measureColdStart(undefined, { atr }).then(
    (c) =>
      process.stdout.write(
        `ingest bundle ${c.bundleKb} KB; module import${atr ? ' with the ATR pack' : ''} median ${c.importMsMedian} ms, max ${c.importMsMax} ms over ${c.imports} fresh processes (CPU median ${c.importCpuMsMedian} ms)\n` +
          `largest parts: ${c.largest.map((p) => `${p.part} ${p.kb} KB`).join(', ')}\n`,
      ),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
