/**
 * dist/instrument — what `mcp-watchtower/instrument` resolves to — is built by
 * `npm run build:instrument` (run on `npm ci` through `prepare`). When it is missing, or older than
 * the sources, this builds it the same way: esbuild for the bundle, the TypeScript compiler for the
 * declarations (tsconfig.instrument.json).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import ts from 'typescript';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SOURCE_DIR = join(REPO_ROOT, 'packages/instrument/src');
export const DIST_ENTRY = join(REPO_ROOT, 'dist/instrument/index.js');
export const DIST_TYPES = join(REPO_ROOT, 'dist/instrument/index.d.ts');

function newestSourceMtime(): number {
  return Math.max(
    ...readdirSync(SOURCE_DIR)
      .filter((name) => name.endsWith('.ts'))
      .map((name) => statSync(join(SOURCE_DIR, name)).mtimeMs),
  );
}

function isStale(file: string, sourcesMtime: number): boolean {
  return !existsSync(file) || statSync(file).mtimeMs < sourcesMtime;
}

function emitDeclarations(): void {
  const configPath = join(REPO_ROOT, 'tsconfig.instrument.json');
  const read = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(configPath));
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  const emitted = program.emit();
  const errors = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].filter(
    (d) => d.category === ts.DiagnosticCategory.Error,
  );
  if (errors.length > 0 || emitted.emitSkipped) {
    throw new Error(
      `declarations of packages/instrument do not build:\n${errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n')}`,
    );
  }
}

/** Builds what is missing or stale; returns what it built (empty when dist was current). */
export async function ensureInstrumentDist(): Promise<string[]> {
  const sourcesMtime = newestSourceMtime();
  const built: string[] = [];
  if (isStale(DIST_ENTRY, sourcesMtime)) {
    // The flags of `npm run build:instrument`.
    await build({
      entryPoints: [join(SOURCE_DIR, 'index.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: DIST_ENTRY,
      logLevel: 'silent',
    });
    built.push('index.js');
  }
  if (isStale(DIST_TYPES, sourcesMtime)) {
    emitDeclarations();
    built.push('index.d.ts');
  }
  return built;
}
