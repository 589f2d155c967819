#!/usr/bin/env node
/**
 * mcp-watchtower CLI. Exit codes: 0 ok; 2 usage or config error (message on stderr); 3 an alert at
 * or above `--fail-on` fired.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { awsOptions, checkAwsOptions, checkDetectionOptions, detectionOptions } from './common-options.js';
import { EXIT_LEFT_IN_QUEUE, redrive } from './commands/redrive.js';
import { replay } from './commands/replay.js';
import { rulesTest } from './commands/rules-test.js';
import { parseDuration, tail } from './commands/tail.js';
import { validateConfig } from './commands/validate-config.js';
import { watch } from './commands/watch.js';
import { processIo, writeLine, type CliIo } from './io.js';
import { createRuntimePorts } from './runtime.js';
import { EXIT_USAGE, UsageError } from './usage-error.js';

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('mcp-watchtower')
    .description('Security monitoring for MCP servers: run the detection engine over MCP logs.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError();

  const replayCommand = program
    .command('replay')
    .description('replay log files (or - for stdin) through the detectors and report what fires')
    .argument('[inputs...]', 'log files, directories of log files, or - for stdin', []);
  for (const option of [...detectionOptions(), ...awsOptions()]) replayCommand.addOption(option);
  replayCommand.action(async (inputs: string[], raw: Record<string, unknown>) => {
    const detection = checkDetectionOptions(raw);
    const ports = await createRuntimePorts(checkAwsOptions(raw), io);
    setExit(await replay(inputs, detection, io, { store: ports.store, ...(ports.publisher ? { publishTo: ports.publisher } : {}) }));
  });

  const watchCommand = program
    .command('watch')
    .description('follow a growing log file (or - for stdin) and print alerts as lines arrive')
    .argument('<input>', 'log file to follow, or - for stdin')
    .addOption(new Option('--from-end', 'start at the end of the file instead of its beginning'));
  for (const option of detectionOptions()) watchCommand.addOption(option);
  watchCommand.action(async (input: string, raw: Record<string, unknown>) => {
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      setExit(await watch(input, checkDetectionOptions(raw), io, { signal: controller.signal, fromEnd: raw.fromEnd === true }));
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  });

  const tailCommand = program
    .command('tail')
    .description('read a CloudWatch log group (FilterLogEvents) through the detectors; --follow keeps polling')
    .requiredOption('--log-group <name>', 'the MCP server\'s log group')
    .addOption(new Option('--since <duration>', 'start this far back: 30s, 15m, 1h, 2d').default('1h'))
    .addOption(new Option('--follow', 'keep polling for new events until Ctrl-C'))
    .addOption(new Option('--filter-pattern <pattern>', 'CloudWatch Logs filter pattern applied by the service'))
    .addOption(new Option('--poll-seconds <n>', 'pause between polls with --follow').default('5'))
    .addOption(new Option('--logs-endpoint <url>', 'CloudWatch Logs endpoint (an emulator or VPC endpoint)'));
  for (const option of [...detectionOptions(), ...awsOptions()]) tailCommand.addOption(option);
  tailCommand.action(async (raw: Record<string, unknown>) => {
    const pollSeconds = Number(raw.pollSeconds);
    if (!Number.isFinite(pollSeconds) || pollSeconds < 1 || pollSeconds > 3600) {
      throw new UsageError(`--poll-seconds must be between 1 and 3600, got ${String(raw.pollSeconds)}`);
    }
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      setExit(
        await tail(
          {
            logGroup: String(raw.logGroup),
            sinceMs: parseDuration(String(raw.since)),
            follow: raw.follow === true,
            ...(typeof raw.filterPattern === 'string' ? { filterPattern: raw.filterPattern } : {}),
            ...(typeof raw.logsEndpoint === 'string' ? { logsEndpoint: raw.logsEndpoint } : {}),
          },
          checkDetectionOptions(raw),
          checkAwsOptions(raw),
          io,
          { signal: controller.signal, pollMs: pollSeconds * 1000 },
        ),
      );
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  });

  const redriveCommand = program
    .command('redrive')
    .description(
      `re-process the DLQ (failed log deliveries, CloudTrail changes) with the stack's state table and topic; exit ${EXIT_LEFT_IN_QUEUE} when messages are left in the queue`,
    )
    .requiredOption('--queue-url <url>', 'the stack\'s DeadLetterQueue URL')
    .addOption(new Option('--max-messages <n>', 'handle at most this many messages').default('1000'))
    .addOption(new Option('--sqs-endpoint <url>', 'SQS endpoint (an emulator)'));
  for (const option of [...detectionOptions(), ...awsOptions()]) redriveCommand.addOption(option);
  redriveCommand.action(async (raw: Record<string, unknown>) => {
    const maxMessages = Number(raw.maxMessages);
    if (!Number.isInteger(maxMessages) || maxMessages < 1 || maxMessages > 1_000_000) {
      throw new UsageError(`--max-messages must be an integer between 1 and 1000000, got ${String(raw.maxMessages)}`);
    }
    setExit(
      await redrive(
        {
          queueUrl: String(raw.queueUrl),
          maxMessages,
          ...(typeof raw.sqsEndpoint === 'string' ? { sqsEndpoint: raw.sqsEndpoint } : {}),
        },
        checkDetectionOptions(raw),
        checkAwsOptions(raw),
        io,
      ),
    );
  });

  program
    .command('validate-config')
    .description('check a config file (default ./watchtower.config.yaml) and report every problem by key')
    .argument('[file]', 'config file')
    .action((file: string | undefined) => setExit(validateConfig(file, io)));

  const rulesCommand = program.command('rules').description('Sigma rules: test them');
  rulesCommand
    .command('test')
    .description('run every inline test of the rule files (default: the project rules/ and the config\'s rules:); exit 1 when a test fails, 2 when a rule is invalid')
    .argument('[paths...]', 'rule files or folders', [])
    .addOption(new Option('-c, --config <file>', 'config file whose rules: to test when no path is given'))
    .action(async (paths: string[], raw: Record<string, unknown>) =>
      setExit(await rulesTest(paths, typeof raw.config === 'string' ? { config: raw.config } : {}, io)),
    );

  return program;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      writeLine(io.stderr, `mcp-watchtower: ${error.message}`);
      return EXIT_USAGE;
    }
    writeLine(io.stderr, `mcp-watchtower: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
