/** `validate-config [file]`: check a config file and say what is wrong, key by key. */
import { ALL_DETECTORS } from '../../engine/detectors/registry.js';
import { loadConfigFile } from '../config-file.js';
import { writeLine, type CliIo } from '../io.js';
import { EXIT_OK } from '../usage-error.js';

export function validateConfig(file: string | undefined, io: CliIo): number {
  const { config, file: used } = loadConfigFile(file);
  const detectors = ALL_DETECTORS.map((d) => config.detectors[d.meta.id]);
  const enabled = detectors.filter((s) => s?.enabled).length;
  const shadow = detectors.filter((s) => s?.enabled && s.mode === 'shadow').length;
  writeLine(
    io.stdout,
    `${used ?? 'built-in defaults'}: valid — ${enabled} of ${ALL_DETECTORS.length} detectors enabled (${shadow} in shadow mode), ${config.suppressions.length} suppressions`,
  );
  return EXIT_OK;
}
