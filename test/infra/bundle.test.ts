/**
 * The one test that really bundles: local esbuild (no Docker) turns the repository's handlers into
 * ESM bundles under the 1.5 MB cold-start budget, with the engine config copied beside them.
 * Runs once functions/handlers/*.ts exist (they are written separately from the infrastructure).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { defaultHandlerEntries } from '../../infra/constructs/mcp-security-monitoring.js';
import { FUNCTION_BUNDLING } from '../../infra/constructs/watchtower-function.js';
import { buildStack, ENGINE_CONFIG } from './support/build-stack.js';
import { resources } from './support/template-queries.js';

const MAX_BUNDLE_BYTES = 1.5 * 1024 * 1024;
const entries = defaultHandlerEntries();
const handlersExist = existsSync(entries.ingest) && existsSync(entries.configChange);

describe.skipIf(!handlersExist)('esbuild bundles of the real handlers', () => {
  it('builds ESM bundles under 1.5 MB with watchtower.config.json beside them', { timeout: 120_000 }, () => {
    const { app, template } = buildStack({}, { bundle: true });
    const bundles = resources(template, 'AWS::Lambda::Function').map(([id, fn]) => {
      const key = (fn.Properties?.Code as { S3Key: string }).S3Key;
      return { id, directory: join(app.outdir, `asset.${key.replace(/\.zip$/, '')}`) };
    });
    expect(bundles).toHaveLength(2);
    for (const { id, directory } of bundles) {
      const bundle = join(directory, 'index.mjs');
      expect(existsSync(bundle), `${id}: ${bundle}`).toBe(true);
      expect(statSync(bundle).size, `${id} bundle size`).toBeLessThan(MAX_BUNDLE_BYTES);
      const code = readFileSync(bundle, 'utf8');
      expect(
        code.startsWith("import { createRequire as __watchtowerCreateRequire } from 'node:module';"),
      ).toBe(true);
      expect(existsSync(join(directory, 'index.mjs.map'))).toBe(true);
      expect(JSON.parse(readFileSync(join(directory, 'watchtower.config.json'), 'utf8'))).toEqual(
        ENGINE_CONFIG,
      );
    }
  });
});

/** The npm packages esbuild put into a handler's bundle, built with the construct's settings. */
async function bundledPackages(entry: string): Promise<Set<string>> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: FUNCTION_BUNDLING.format,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    minify: FUNCTION_BUNDLING.minify,
    external: FUNCTION_BUNDLING.bundleAwsSDK ? [] : ['@aws-sdk/*'],
    banner: { js: FUNCTION_BUNDLING.banner },
    write: false,
    outdir: 'out',
    metafile: true,
    logLevel: 'silent',
  });
  // Inputs esbuild read but tree-shook away entirely are listed with 0 bytes in the output.
  const inputs = Object.values(result.metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs).filter(([, { bytesInOutput }]) => bytesInOutput > 0),
  );
  const packages = inputs.map(([file]) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1]);
  return new Set(packages.filter((name): name is string => name !== undefined));
}

describe.skipIf(!handlersExist)('what the handler bundles contain (cold start)', () => {
  for (const [name, entry] of Object.entries(entries)) {
    it(`${name}: the SDK clients it uses, not the YAML parser or the CLI's clients`, { timeout: 60_000 }, async () => {
      const packages = await bundledPackages(entry);
      expect(packages.has('@aws-sdk/client-dynamodb')).toBe(true);
      expect(packages.has('@aws-sdk/client-sns')).toBe(true);
      expect(packages.has('yaml')).toBe(false);
      expect(packages.has('@aws-sdk/client-sqs')).toBe(false);
      expect(packages.has('@aws-sdk/client-cloudwatch-logs')).toBe(false);
    });
  }
});
