/**
 * The v1 canonical event as the instrumentation writes it (the contract is /docs log-format.md;
 * the engine's zod schema is the reference — this is a local, dependency-free mirror of the parts
 * a producer fills in), and the line emitter that serializes and writes it without ever throwing.
 */

export type EventKind =
  'mcp.call' | 'mcp.notification' | 'mcp.tools' | 'mcp.auth' | 'mcp.session' | 'mcp.ratelimit';

export interface ServerInfo {
  name?: string;
  version?: string;
  instance?: string;
}

export interface ClientInfo {
  name?: string;
  version?: string;
  ip?: string;
  userAgent?: string;
}

export interface PrincipalInfo {
  sub?: string;
  clientId?: string;
  scopes?: string[];
  tokenPresent?: boolean;
  tokenFp?: string;
  iss?: string;
  aud?: string | string[];
}

export interface HttpInfo {
  method?: string;
  path?: string;
  status?: number;
  origin?: string;
  host?: string;
}

export interface ToolDefinitionInfo {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: unknown;
  outputSchema?: unknown;
  annotations?: Record<string, unknown>;
}

export interface CanonicalEvent {
  v: 1;
  event: EventKind;
  time: string;
  server?: ServerInfo;
  transport?: string;
  protocolVersion?: string;
  session?: string;
  client?: ClientInfo;
  principal?: PrincipalInfo;
  http?: HttpInfo;
  rpc?: { id?: string | number | null; method?: string };
  tool?: string;
  uri?: string;
  arguments?: unknown;
  result?: { isError?: boolean; text?: string; bytes?: number; truncated?: boolean };
  error?: { code?: number; message?: string };
  durationMs?: number;
  tools?: ToolDefinitionInfo[];
  auth?: { outcome: 'success' | 'failure' | 'denied'; reason?: string };
  /** Fields beyond the contract are allowed (detectors receive them untouched). */
  [extra: string]: unknown;
}

/** Receives one complete JSON line (without the trailing newline). */
export type LineWriter = (line: string) => unknown;

export interface EmitterStats {
  /** Lines handed to the writer without an error. */
  written: number;
  /** Lines the writer threw on or rejected; the server never sees these errors. */
  writeFailures: number;
  /** Exchanges the instrumentation could not describe because of a bug or an unexpected message shape. */
  internalErrors: number;
}

export interface EmitterOptions {
  write?: LineWriter;
  /** Wall clock in epoch milliseconds; also used for durations when given (deterministic tests). */
  now?: () => number;
}

export interface Emitter {
  readonly stats: EmitterStats;
  /** Epoch milliseconds for `time`. */
  wallClock(): number;
  /** A monotonic millisecond reading for durations. */
  monotonic(): number;
  emit(event: CanonicalEvent): void;
  /** Runs `work`, counting instead of propagating any exception. */
  guard(work: () => void): void;
}

// stdout is the stdio transport's protocol channel, so the default goes to stderr, which
// Lambda and the ECS awslogs driver ship to CloudWatch Logs just like stdout.
const writeToStderr: LineWriter = (line) => process.stderr.write(line + '\n');

export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

export function durationBetween(startMs: number, endMs: number): number {
  return Math.max(0, Math.round((endMs - startMs) * 1000) / 1000);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null && typeof value === 'object' && typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

export function createEmitter(options: EmitterOptions): Emitter {
  const write = options.write ?? writeToStderr;
  const stats: EmitterStats = { written: 0, writeFailures: 0, internalErrors: 0 };
  const injectedClock = options.now;
  const wallClock = injectedClock ?? Date.now;
  const monotonic = injectedClock ?? (() => performance.now());
  const countFailure = (): void => {
    stats.writeFailures++;
  };
  const countWritten = (): void => {
    stats.written++;
  };

  return {
    stats,
    wallClock: () => wallClock(),
    monotonic: () => monotonic(),
    emit(event) {
      let line: string;
      try {
        line = JSON.stringify(event);
      } catch {
        stats.internalErrors++;
        return;
      }
      try {
        const outcome = write(line);
        if (isThenable(outcome)) outcome.then(countWritten, countFailure);
        else stats.written++;
      } catch {
        countFailure();
      }
    },
    guard(work) {
      try {
        work();
      } catch {
        stats.internalErrors++;
      }
    },
  };
}
