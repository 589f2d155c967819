/**
 * `rules test [paths...]`: runs every inline test of the rule files (default: the project's
 * rules/ and the config's `rules:`). Exit 0 all pass, 1 a test failed, 2 an invalid rule (the
 * message names the file, the rule and the key).
 */
import { configDirOf, readConfiguredRuleFiles, readRuleFiles } from '../../adapters/rule-files.js';
import { runInlineTests } from '../../engine/rules/inline-tests.js';
import { compileRuleSet } from '../../engine/rules/rule-set.js';
import { formatRuleError } from '../../engine/rules/types.js';
import { loadConfigFile } from '../config-file.js';
import { writeLine, type CliIo } from '../io.js';
import { EXIT_OK, EXIT_USAGE } from '../usage-error.js';

export const EXIT_TEST_FAILED = 1;
export const EXIT_INVALID_RULE = EXIT_USAGE;

export async function rulesTest(paths: readonly string[], options: { readonly config?: string }, io: CliIo): Promise<number> {
  let read;
  if (paths.length > 0) read = readRuleFiles(paths);
  else {
    const { config, file } = loadConfigFile(options.config);
    const configDir = configDirOf(file);
    read = readConfiguredRuleFiles(config, configDir !== undefined ? { configDir } : {});
  }
  // Every rule is tested, whatever the config enables.
  const compiled = compileRuleSet(read.rules, { includeDisabled: true });
  const errors = [...read.errors, ...compiled.errors];
  const report = await runInlineTests(compiled.ruleSet);
  errors.push(...report.invalid);
  for (const e of errors) writeLine(io.stderr, `invalid rule: ${formatRuleError(e)}`);
  for (const f of report.failures) writeLine(io.stdout, `FAIL ${f.file}: rule ${f.rule}: test "${f.test}": ${f.why}`);
  const untested = report.rulesWithoutTests.length;
  writeLine(
    io.stdout,
    `${read.files.length} files, ${report.rules} rules, ${report.tests} tests: ${report.passed} passed, ${report.failures.length} failed` +
      (errors.length > 0 ? `, ${errors.length} invalid` : '') +
      (untested > 0 ? ` (${untested} rules without tests: ${report.rulesWithoutTests.slice(0, 5).join(', ')}${untested > 5 ? ', …' : ''})` : ''),
  );
  if (errors.length > 0) return EXIT_INVALID_RULE;
  return report.failures.length > 0 ? EXIT_TEST_FAILED : EXIT_OK;
}
