/**
 * Seeded generator of realistic MCP traffic: overlapping benign sessions across several servers
 * and log formats, periodic resource samples, and attack scenarios mixed in at a target ratio.
 * Streams lines in time order with bounded memory, so it can feed a million events.
 */
import { TimeHeap } from './heap.js';
import { linesFor, type LogLine, type SimEvent } from './lines.js';
import { Rng } from './rng.js';
import { benignSession, type SessionContext, type TimedEvent } from './sessions.js';
import { makeUsers, SERVERS, type SimServer } from './world.js';
import { ATTACKS, type AttackScenario } from './attacks.js';

/** The seed every bench uses unless told otherwise, so `npm run bench` and `bench/dynamodb.ts` measure the same traffic. */
export const DEFAULT_TRAFFIC_SEED = 42;

export interface TrafficOptions {
  readonly seed?: number;
  /** Stop after this many log lines. */
  readonly lines: number;
  /** Share of lines that belong to attack scenarios. @default 0.02 */
  readonly attackRatio?: number;
  /** @default 2026-11-24T08:00:00Z */
  readonly start?: number;
  /** New sessions per second. @default 2 */
  readonly sessionsPerSecond?: number;
  readonly users?: number;
}

interface QueuedLine extends LogLine {
  readonly attack: boolean;
}

export interface TrafficStats {
  lines: number;
  attackLines: number;
  sessions: number;
  attacks: Record<string, number>;
}

function pickServer(rng: Rng): SimServer {
  let x = rng.next();
  for (const s of SERVERS) {
    x -= s.weight;
    if (x <= 0) return s;
  }
  return SERVERS[0] as SimServer;
}

export function* generateTraffic(options: TrafficOptions, stats?: TrafficStats): Generator<LogLine> {
  const rng = new Rng(options.seed ?? 42);
  const users = makeUsers(rng, options.users ?? 300);
  const ratio = options.attackRatio ?? 0.02;
  const rate = options.sessionsPerSecond ?? 2;
  const start = options.start ?? Date.parse('2026-11-24T08:00:00.000Z');
  const heap = new TimeHeap<QueuedLine>();
  const s: TrafficStats = stats ?? { lines: 0, attackLines: 0, sessions: 0, attacks: {} };
  let nextSession = start;
  let nextUsage = start;
  let sessionCounter = 0;

  const enqueue = (server: SimServer, stream: string, events: readonly TimedEvent[], attack: boolean): void => {
    for (const { t, ev } of events) {
      for (const line of linesFor(server, stream, ev, t)) heap.push({ ...line, attack });
    }
  };

  const spawn = (t: number): void => {
    const server = pickServer(rng);
    const user = rng.pick(users);
    const context: SessionContext = {
      rng,
      server,
      stream: rng.pick(server.streams),
      user,
      session: `${rng.hex(8)}-${(++sessionCounter).toString(16)}`,
      ip: rng.pick(user.ips),
    };
    s.sessions++;
    const attackShare = s.lines > 0 ? s.attackLines / s.lines : 0;
    if (attackShare < ratio && rng.chance(0.25)) {
      const scenario: AttackScenario = rng.pick(ATTACKS);
      s.attacks[scenario.name] = (s.attacks[scenario.name] ?? 0) + 1;
      for (const part of scenario.run(context, t, users)) enqueue(part.server ?? server, part.stream ?? context.stream, part.events, true);
      return;
    }
    enqueue(server, context.stream, benignSession(context, t), false);
  };

  const usageSamples = (t: number): void => {
    for (const server of SERVERS) {
      if (server.format === 'lambda-text') continue;
      for (const stream of server.streams) {
        const ev: SimEvent = {
          v: 1,
          event: 'mcp.usage',
          time: new Date(t).toISOString(),
          server: { name: server.name, version: server.version, instance: stream },
          usage: { cpuPct: Math.round(rng.logNormal(25, 0.4)), memUsedMb: rng.int(180, 300), memLimitMb: 512, diskPct: 41 },
        };
        enqueue(server, stream, [{ t, ev }], false);
      }
    }
  };

  while (s.lines < options.lines) {
    const top = heap.peek();
    if (top === undefined || top.t >= Math.min(nextSession, nextUsage)) {
      if (nextUsage <= nextSession) {
        usageSamples(nextUsage);
        nextUsage += 60_000;
      } else {
        spawn(nextSession);
        nextSession += Math.max(1, Math.round((-Math.log(1 - rng.next()) / rate) * 1000));
      }
      continue;
    }
    const line = heap.pop() as QueuedLine;
    s.lines++;
    if (line.attack) s.attackLines++;
    yield { t: line.t, logGroup: line.logGroup, logStream: line.logStream, message: line.message };
  }
}
