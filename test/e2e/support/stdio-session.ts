/**
 * A real SDK Client connected over stdio to a server script run as its own process (TypeScript via
 * the tsx loader, as in examples/instrumented-server/drive.ts); the server's stderr — where the
 * instrumentation writes its v1 events — is collected line by line.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Implementation } from '@modelcontextprotocol/sdk/types.js';
import { exampleServerCommand } from '../../../examples/instrumented-server/drive.js';
import { LineCollector, type CapturedLine } from './line-collector.js';

export interface StdioSession {
  readonly client: Client;
  readonly lines: LineCollector;
  /** Closes the client (the SDK ends the server process) and resolves with every stderr line once stderr closed. */
  close(): Promise<CapturedLine[]>;
}

const open = new Set<StdioSession>();

export async function connectStdio(serverPath: string, clientInfo: Implementation): Promise<StdioSession> {
  const { command, args } = exampleServerCommand(serverPath);
  const transport = new StdioClientTransport({ command, args, stderr: 'pipe' });
  const stderr = transport.stderr as Readable | null;
  if (!stderr) throw new Error(`stderr of ${serverPath} is not piped`);
  const lines = new LineCollector();
  const reader = createInterface({ input: stderr, crlfDelay: Infinity });
  const drained = new Promise<void>((resolve) => reader.once('close', resolve));
  reader.on('line', lines.write);

  const client = new Client(clientInfo);
  let closed: Promise<CapturedLine[]> | undefined;
  const session: StdioSession = {
    client,
    lines,
    close() {
      closed ??= (async () => {
        open.delete(session);
        await client.close();
        await drained;
        return lines.lines;
      })();
      return closed;
    },
  };
  open.add(session);
  await client.connect(transport);
  return session;
}

/** For afterAll: ends every server process a failed test left running. */
export async function closeAllStdioSessions(): Promise<void> {
  await Promise.allSettled([...open].map((session) => session.close()));
}
