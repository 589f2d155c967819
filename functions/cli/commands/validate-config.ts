/** `validate-config [file]`: check a config file and say what is wrong, key by key (rules included). */
import { ALL_DETECTORS } from '../../engine/detectors/registry.js';
import { loadCliEngine } from '../engine-loader.js';
import { writeLine, type CliIo } from '../io.js';
import { EXIT_OK } from '../usage-error.js';

export function validateConfig(file: string | undefined, io: CliIo): number {
  const { config, file: used, engine, ruleFiles, warnings } = loadCliEngine(file !== undefined ? { config: file } : {});
  const detectors = ALL_DETECTORS.map((d) => config.detectors[d.meta.id]);
  const enabled = detectors.filter((s) => s?.enabled).length;
  const shadow = detectors.filter((s) => s?.enabled && s.mode === 'shadow').length;
  writeLine(
    io.stdout,
    `${used ?? 'built-in defaults'}: valid — ${enabled} of ${ALL_DETECTORS.length} detectors enabled (${shadow} in shadow mode), ${config.suppressions.length} suppressions`,
  );
  const rules = engine.rules?.entries.filter((e) => e !== undefined) ?? [];
  writeLine(io.stdout, `rules: ${rules.length} enabled (${rules.filter((e) => e.shadow).length} in shadow mode) from ${ruleFiles.length} files`);
  for (const w of warnings) writeLine(io.stderr, `warning: ${w}`);
  return EXIT_OK;
}
