/**
 * `wrap [options] -- <command> [args...]`: run any stdio MCP server under the wrapper, which
 * forwards the protocol untouched and writes the v1 security events `instrument()` would write —
 * monitoring for servers whose source you do not control. stdout stays the protocol channel:
 * events go to --log (default stderr), alerts (with --alerts) to their own file or stderr.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { constants } from 'node:os';
import type { Writable } from 'node:stream';
import { Option, type Command } from 'commander';
import { compileEngine } from '../../engine/compile.js';
import { loadConfigFile } from '../config-file.js';
import { writeLine, type CliIo } from '../io.js';
import { UsageError } from '../usage-error.js';
import { runStdioProxy } from '../wrap/stdio-proxy.js';
import { WrapMonitor, type WrapStats } from '../wrap/wrap-monitor.js';

export interface WrapOptions {
  /** Event log file (appended), or "-" / undefined for stderr. */
  readonly log?: string;
  /** Alerts file (appended), or "-" for stderr; undefined runs no detection. */
  readonly alerts?: string;
  readonly serverName?: string;
  readonly config?: string;
}

export interface WrapExit {
  /** The exit code to return: the child's, or 126/127 when it could not be started. */
  readonly code: number;
  /** The signal that ended the child; the wrapper should end the same way. */
  readonly signal?: NodeJS.Signals;
  readonly stats?: WrapStats;
}

/** Exit codes a shell uses for a command it cannot run. */
const EXIT_CANNOT_EXECUTE = 126;
const EXIT_NOT_FOUND = 127;

async function openAppend(path: string, what: string, io: CliIo): Promise<WriteStream> {
  const stream = createWriteStream(path, { flags: 'a' });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (error: NodeJS.ErrnoException) =>
      reject(new UsageError(`cannot open ${what} ${path}: ${error.code ?? error.message}`)),
    );
  });
  // A write that fails later (disk full) must not take the server down with the wrapper: say so once.
  let reported = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (reported) return;
    reported = true;
    writeLine(io.stderr, `mcp-watchtower wrap: writing ${what} ${path} failed (${error.code ?? error.message}); the server keeps running`);
  });
  return stream;
}

async function closeFile(stream: WriteStream | undefined): Promise<void> {
  if (!stream || stream.destroyed) return;
  await new Promise<void>((resolve) => {
    stream.once('error', () => resolve());
    stream.end(() => resolve());
  });
}

export async function wrap(command: string, args: readonly string[], options: WrapOptions, io: CliIo): Promise<WrapExit> {
  // Config problems are found before anything is started.
  const engine = options.alerts !== undefined || options.config !== undefined ? compileEngine(loadConfigFile(options.config).config) : undefined;
  const logFile = options.log !== undefined && options.log !== '-' ? await openAppend(options.log, 'log file', io) : undefined;
  const alertsFile = options.alerts !== undefined && options.alerts !== '-' ? await openAppend(options.alerts, 'alerts file', io) : undefined;
  const log: Writable = logFile ?? io.stderr;
  const monitor = new WrapMonitor({
    log,
    session: randomUUID(),
    ...(options.serverName !== undefined ? { serverName: options.serverName } : {}),
    ...(engine && options.alerts !== undefined ? { detection: { engine, alerts: alertsFile ?? io.stderr } } : {}),
  });

  const exit = await runStdioProxy({
    command,
    args,
    streams: { stdin: io.stdin, stdout: io.stdout, stderr: io.stderr },
    onClientChunk: (chunk) => monitor.clientChunk(chunk),
    onServerChunk: (chunk) => monitor.serverChunk(chunk),
    // The child's stderr and our events share stderr when --log is not a file: keep lines whole.
    alignStderr: logFile === undefined,
  });
  const stats = await monitor.close();
  await closeFile(logFile);
  await closeFile(alertsFile);

  if (exit.spawnError) {
    const code = (exit.spawnError as NodeJS.ErrnoException).code;
    writeLine(io.stderr, `mcp-watchtower wrap: cannot start ${command}: ${code ?? exit.spawnError.message}`);
    return { code: code === 'ENOENT' ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE, stats };
  }
  if (options.alerts !== undefined) {
    const where = options.alerts === '-' ? 'stderr' : options.alerts;
    writeLine(io.stderr, `mcp-watchtower wrap: ${stats.events} events, ${stats.alerts} alert${stats.alerts === 1 ? '' : 's'} (${where})`);
  }
  if (exit.signal) return { code: 128 + (constants.signals[exit.signal] ?? 0), signal: exit.signal, stats };
  return { code: exit.code ?? 0, stats };
}

/** Adds `wrap` to the program; a child ended by a signal ends the wrapper by the same signal. */
export function registerWrapCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('wrap')
    .description('run a stdio MCP server behind a transparent proxy that writes its security events (and alerts)')
    .usage('[options] -- <command> [args...]')
    .argument('<command>', 'the MCP server command, after --')
    .argument('[args...]', 'its arguments')
    .addOption(new Option('--log <file>', 'append the v1 events to this file (- or default: stderr; never stdout, the protocol channel)'))
    .addOption(new Option('--server-name <name>', 'server name on the events (default: serverInfo.name from initialize)'))
    .addOption(new Option('--alerts <file>', 'run detection in-process and append alert JSON lines to this file (- for stderr)'))
    .addOption(new Option('-c, --config <file>', 'config for --alerts (default: ./watchtower.config.yaml if present)'))
    .action(async (command: string, args: string[], raw: Record<string, unknown>) => {
      const text = (name: string): string | undefined => (typeof raw[name] === 'string' ? (raw[name] as string) : undefined);
      const log = text('log');
      const alerts = text('alerts');
      const serverName = text('serverName');
      const config = text('config');
      const exit = await wrap(
        command,
        args,
        {
          ...(log !== undefined ? { log } : {}),
          ...(alerts !== undefined ? { alerts } : {}),
          ...(serverName !== undefined ? { serverName } : {}),
          ...(config !== undefined ? { config } : {}),
        },
        io,
      );
      setExit(exit.code);
      if (exit.signal && io.stdin === process.stdin) {
        // Re-raise: whoever started the wrapper sees the same "killed by SIGTERM" as without it.
        process.kill(process.pid, exit.signal);
      }
    });
}
