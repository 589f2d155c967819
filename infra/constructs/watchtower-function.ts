/**
 * A Lambda function of the pipeline: TypeScript bundled by the local esbuild (never Docker) into an
 * ESM file for the newest Node.js runtime on arm64, with the engine config written beside it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The repository root (this file lives in infra/constructs/). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the engine config lands inside every bundle; handlers read WATCHTOWER_CONFIG_FILE. */
export const BUNDLED_CONFIG_FILE_NAME = 'watchtower.config.json';
export const BUNDLED_CONFIG_PATH = `/var/task/${BUNDLED_CONFIG_FILE_NAME}`;

// ESM bundles have no `require`; some CommonJS dependencies call it for Node built-ins.
const REQUIRE_SHIM_BANNER =
  "import { createRequire as __watchtowerCreateRequire } from 'node:module'; const require = __watchtowerCreateRequire(import.meta.url);";

/**
 * How every function is bundled; bench/cold-start.ts builds and imports the ingest bundle with
 * these same settings. The AWS SDK v3 clients are bundled, not left to the runtime's copy: tree-
 * shaken and minified into the one file they import about twice as fast as the runtime's
 * node_modules packages (bench/cold-start.ts), and the deployed SDK is the version the tests ran.
 */
export const FUNCTION_BUNDLING = {
  format: OutputFormat.ESM,
  mainFields: ['module', 'main'],
  banner: REQUIRE_SHIM_BANNER,
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  bundleAwsSDK: true,
  /** Stack traces in the logs point at the TypeScript sources (costs the map's parse at init). */
  nodeOptions: '--enable-source-maps',
} as const;

/**
 * The newest Node.js runtime this CDK version knows. NODEJS_LATEST lags behind the newest
 * runtime on purpose, so pick the highest nodejsNN.x among the runtimes CDK lists.
 */
export function newestNodeRuntime(): Runtime {
  const version = (runtime: Runtime) => Number(/^nodejs(\d+)\.x$/.exec(runtime.name)?.[1] ?? 0);
  return [...Runtime.ALL]
    .filter((runtime) => version(runtime) > 0)
    .reduce((best, runtime) => (version(runtime) > version(best) ? runtime : best), Runtime.NODEJS_24_X);
}

/**
 * Writes the engine config as JSON into a content-addressed temp file at synth time, so the
 * bundling hook only has to copy it. Lambda environment variables cap at 4 KB, files do not.
 */
export function writeEngineConfigFile(engineConfig: unknown): string {
  const json = `${JSON.stringify(engineConfig, null, 2)}\n`;
  const digest = createHash('sha256').update(json).digest('hex').slice(0, 16);
  const directory = join(tmpdir(), 'mcp-watchtower-synth');
  mkdirSync(directory, { recursive: true });
  const path = join(directory, `engine-config-${digest}.json`);
  writeFileSync(path, json);
  return path;
}

const shellQuote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

export interface WatchtowerFunctionProps {
  /** TypeScript entry file exporting `handler`. */
  readonly entry: string;
  /** Execution role (created by the caller so its policy stays explicit). */
  readonly role: IRole;
  /** The function's log group (created by the caller with retention and encryption). */
  readonly logGroup: ILogGroup;
  /** Path of the engine config JSON file to copy into the bundle. */
  readonly engineConfigFile: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly description: string;
  /** Concurrency reserved for (and capping) the function. @default - none: the account's unreserved pool */
  readonly reservedConcurrentExecutions?: number;
}

export class WatchtowerFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: WatchtowerFunctionProps) {
    super(scope, id, {
      entry: props.entry,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: newestNodeRuntime(),
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      description: props.description,
      ...(props.reservedConcurrentExecutions !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions } : {}),
      role: props.role,
      logGroup: props.logGroup,
      environment: { NODE_OPTIONS: FUNCTION_BUNDLING.nodeOptions, ...props.environment },
      bundling: {
        forceDockerBundling: false,
        format: FUNCTION_BUNDLING.format,
        mainFields: [...FUNCTION_BUNDLING.mainFields],
        banner: FUNCTION_BUNDLING.banner,
        minify: FUNCTION_BUNDLING.minify,
        sourceMap: FUNCTION_BUNDLING.sourceMap,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: FUNCTION_BUNDLING.sourcesContent,
        bundleAwsSDK: FUNCTION_BUNDLING.bundleAwsSDK,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir: string, outputDir: string) => [
            `cp ${shellQuote(props.engineConfigFile)} ${shellQuote(join(outputDir, BUNDLED_CONFIG_FILE_NAME))}`,
          ],
        },
      },
    });
  }
}
