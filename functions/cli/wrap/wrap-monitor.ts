/**
 * What `wrap` does with the copy of the traffic: frames each direction into JSON-RPC lines, hands
 * the messages to the instrumentation's message observer (the same event building, redaction and
 * result summaries as `instrument()`), writes the v1 events to the log and, when asked, runs them
 * through the detection engine in-process and writes alerts as JSON lines.
 */
import { userInfo } from 'node:os';
import type { Writable } from 'node:stream';
import { observeMessages, type MessageObserver, type PrincipalInfo } from '../../../packages/instrument/src/index.js';
import type { Engine } from '../../engine/compile.js';
import { MemoryStateStore } from '../../engine/state/memory-store.js';
import { AlertCollector } from '../alert-collector.js';
import { alertJsonLine } from '../output/json-lines.js';
import { DetectionSession } from '../session.js';
import { LineSplitter } from './line-splitter.js';

/** Messages above this are forwarded but not described (memory stays bounded). */
export const MAX_OBSERVED_MESSAGE_BYTES = 32 * 1024 * 1024;

export interface WrapMonitorOptions {
  /** Receives the v1 events, one JSON line each. */
  readonly log: Writable;
  /** The session id of this wrapped process. */
  readonly session: string;
  /** Overrides the server name learned from `initialize`. */
  readonly serverName?: string;
  /** Run detection in-process and write alerts here (one JSON line each). */
  readonly detection?: { readonly engine: Engine; readonly alerts: Writable };
  /** The principal of every request. @default the OS user running the wrapper */
  readonly principal?: PrincipalInfo;
}

export interface WrapStats {
  /** JSON-RPC lines seen from the client and from the server. */
  clientMessages: number;
  serverMessages: number;
  /** Lines that were not JSON (forwarded untouched, not described). */
  notJson: number;
  /** Lines above MAX_OBSERVED_MESSAGE_BYTES (forwarded untouched, not described). */
  oversized: number;
  /** v1 events written. */
  events: number;
  /** Alerts written (with detection on). */
  alerts: number;
  /** Detection batches that failed (their events are still in the log). */
  detectionErrors: number;
}

/** The OS user the server runs as: the principal of a local stdio session. */
export function osPrincipal(env: Readonly<Record<string, string | undefined>> = process.env): PrincipalInfo | undefined {
  try {
    return { sub: userInfo().username };
  } catch {
    // No passwd entry (some containers): fall back to the environment, else no principal.
    const name = env.USER ?? env.LOGNAME;
    return name ? { sub: name } : undefined;
  }
}

/** Feeds event lines to a detection session in small batches, off the forwarding path. */
class LiveDetection {
  private readonly session: DetectionSession;
  private pending: string[] = [];
  private scheduled = false;
  private chain: Promise<void> = Promise.resolve();
  private lineNo = 0;

  constructor(
    engine: Engine,
    private readonly stats: WrapStats,
    alerts: Writable,
  ) {
    const collector = new AlertCollector((alert) => {
      stats.alerts++;
      alerts.write(`${alertJsonLine(alert)}\n`);
    });
    this.session = new DetectionSession(engine, new MemoryStateStore(), collector, 'canonical');
  }

  push(line: string): void {
    this.pending.push(line);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const records = this.pending.map((message) => ({ message, id: `wrap:${++this.lineNo}` }));
    this.pending = [];
    this.chain = this.chain.then(() => this.session.feed(records)).then(
      () => undefined,
      () => {
        this.stats.detectionErrors++;
      },
    );
  }

  async close(): Promise<void> {
    this.flush();
    await this.chain;
    try {
      await this.session.finish();
    } catch {
      this.stats.detectionErrors++;
    }
  }
}

export class WrapMonitor {
  readonly stats: WrapStats = {
    clientMessages: 0,
    serverMessages: 0,
    notJson: 0,
    oversized: 0,
    events: 0,
    alerts: 0,
    detectionErrors: 0,
  };
  private readonly observer: MessageObserver;
  private readonly detection: LiveDetection | undefined;
  private readonly fromClient: LineSplitter;
  private readonly fromServer: LineSplitter;

  constructor(options: WrapMonitorOptions) {
    const { log } = options;
    this.detection = options.detection
      ? new LiveDetection(options.detection.engine, this.stats, options.detection.alerts)
      : undefined;
    const principal = options.principal ?? osPrincipal();
    this.observer = observeMessages({
      transport: 'stdio',
      session: options.session,
      ...(principal ? { principal } : {}),
      ...(options.serverName !== undefined ? { serverName: options.serverName } : {}),
      write: (line) => {
        this.stats.events++;
        log.write(`${line}\n`);
        this.detection?.push(line);
      },
    });
    const oversized = (): void => {
      this.stats.oversized++;
    };
    this.fromClient = new LineSplitter({
      maxLineBytes: MAX_OBSERVED_MESSAGE_BYTES,
      onOversized: oversized,
      onLine: (line) => this.message(line, 'client'),
    });
    this.fromServer = new LineSplitter({
      maxLineBytes: MAX_OBSERVED_MESSAGE_BYTES,
      onOversized: oversized,
      onLine: (line) => this.message(line, 'server'),
    });
  }

  clientChunk(chunk: Buffer): void {
    this.fromClient.push(chunk);
  }

  serverChunk(chunk: Buffer): void {
    this.fromServer.push(chunk);
  }

  /** The wrapped process ended: describe unanswered requests, finish detection. */
  async close(): Promise<WrapStats> {
    this.fromClient.end();
    this.fromServer.end();
    this.observer.closed();
    await this.detection?.close();
    return this.stats;
  }

  private message(line: Buffer, from: 'client' | 'server'): void {
    const text = line.toString('utf8').trim();
    if (text === '') return;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.stats.notJson++;
      return;
    }
    if (from === 'client') {
      this.stats.clientMessages++;
      this.observer.clientToServer(message);
    } else {
      this.stats.serverMessages++;
      this.observer.serverToClient(message);
    }
  }
}
