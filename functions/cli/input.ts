/**
 * Log input for the CLI: files (plain, .gz), directories (their log files, sorted), or stdin (`-`).
 * Yields raw records in chunks. Plain log lines stream (constant memory on large files); a file that
 * is one JSON document (a decoded CloudWatch payload, pretty-printed) is read whole.
 */
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { recordsFromText } from '../engine/events/local-input.js';
import type { LocalSource } from '../engine/events/line-context.js';
import type { RawLogRecord } from '../engine/events/normalize.js';
import { UsageError } from './usage-error.js';

const LOG_FILE = /\.(?:log|jsonl|ndjson|json|txt|gz)$/i;
/** Lines that hold a CloudWatch payload rather than one log line. */
const PAYLOAD_LINE = /^\s*(?:\{\s*"(?:awslogs|messageType|logEvents|owner|logGroup)"|H4sI)/;

export function expandInputs(inputs: readonly string[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    if (input === '-') {
      files.push('-');
      continue;
    }
    let stat;
    try {
      stat = statSync(input);
    } catch {
      throw new UsageError(`no such file or directory: ${input}`);
    }
    if (stat.isDirectory()) {
      const inDir = readdirSync(input, { recursive: true, encoding: 'utf8' })
        .filter((name) => LOG_FILE.test(name))
        .map((name) => join(input, name))
        .filter((path) => statSync(path).isFile())
        .sort();
      if (inDir.length === 0) throw new UsageError(`no log files (*.log, *.jsonl, *.json, *.gz) in ${input}`);
      files.push(...inDir);
    } else files.push(input);
  }
  return files;
}

function openStream(file: string, stdin: Readable): Readable {
  if (file === '-') return stdin;
  const raw = createReadStream(file);
  return file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
}

/**
 * The input as a stream of the normalizer: lines without a time of their own take the last time
 * seen in it, else this time — the file's modification time (stdin: when reading began).
 */
function localSource(file: string): LocalSource {
  if (file === '-') return { path: 'stdin', timeMs: Date.now() };
  try {
    return { path: file, timeMs: statSync(file).mtimeMs };
  } catch {
    return { path: file };
  }
}

/** Records of one input, in chunks of at most `chunkSize`. */
export async function* readRecords(file: string, chunkSize: number, stdin: Readable = process.stdin): AsyncGenerator<RawLogRecord[]> {
  const source = file === '-' ? 'stdin' : file;
  const local = localSource(file);
  const lines = createInterface({ input: openStream(file, stdin), crlfDelay: Infinity });
  let chunk: RawLogRecord[] = [];
  let lineNo = 0;
  let document: string[] | undefined;
  for await (const line of lines) {
    lineNo++;
    if (document) {
      document.push(line);
      continue;
    }
    if (lineNo === 1 && isDocumentStart(line)) {
      document = [line];
      continue;
    }
    if (line.length === 0) continue;
    if (PAYLOAD_LINE.test(line)) chunk.push(...recordsFromText(line, `${source}:${lineNo}`));
    else chunk.push({ message: line, id: `${source}:${lineNo}`, file: local });
    if (chunk.length >= chunkSize) {
      yield chunk;
      chunk = [];
    }
  }
  if (document) {
    // Payload events keep their CloudWatch times; a document that is one log line is of this file.
    const records = recordsFromText(document.join('\n'), source).map((r) =>
      r.timestamp === undefined && r.logStream === undefined ? { ...r, file: local } : r,
    );
    for (let i = 0; i < records.length; i += chunkSize) yield records.slice(i, i + chunkSize);
    return;
  }
  if (chunk.length > 0) yield chunk;
}

// A first line that opens a JSON document spanning several lines (e.g. a pretty-printed payload).
function isDocumentStart(line: string): boolean {
  const trimmed = line.trim();
  if (trimmed !== '{' && trimmed !== '[' && !/^\{\s*"(?:messageType|awslogs|logEvents|owner)"\s*:\s*(?:[[{]\s*)?$/.test(trimmed)) return false;
  try {
    JSON.parse(trimmed);
    return false;
  } catch {
    return true;
  }
}
