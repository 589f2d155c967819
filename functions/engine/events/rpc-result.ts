/**
 * What the canonical event keeps of a JSON-RPC response: a bounded summary of a result (isError,
 * the first 4 KiB of its text, the full payload size), the error, the JSON-RPC error an McpServer
 * folded into an `isError` tool result, and the tool definitions of a tools/list result. The same
 * rules as the project's own instrumentation (functions/instrument/summarize.ts), so both
 * producers describe one exchange alike — except that nothing is redacted here: detectors must
 * see secrets to report them, and alerts redact their evidence.
 */
import { asObject, MAX_MESSAGE_CHARS, MAX_NAME_CHARS, type JsonObject } from './fields.js';
import { truncateUtf8, utf8ByteLength } from './utf8.js';

/** `result.text` is at most this many UTF-8 bytes (log-format.md: 4 KiB). */
export const RESULT_TEXT_MAX_BYTES = 4096;
const MAX_CONTENT_ITEMS = 1000;
export const MAX_TOOLS = 1000;
/** Longest tool description kept; longer ones are cut on a character boundary. */
export const MAX_DESCRIPTION_BYTES = 64 * 1024;

export interface ResultSummary {
  isError?: boolean;
  text?: string;
  /** Full size of the result's payloads: UTF-8 bytes of text, encoded length of binary data. */
  bytes?: number;
  truncated?: boolean;
  /** Multi round-trip results (`"input_required"`) and what they ask for, passed through. */
  resultType?: string;
  inputRequests?: unknown;
}

/** Gathers text up to a bound (for the sample) while counting the size of everything. */
class PayloadCollector {
  private readonly parts: string[] = [];
  private collectedChars = 0;
  bytes = 0;
  private items = 0;

  text(value: unknown): void {
    if (typeof value !== 'string') return;
    this.bytes += utf8ByteLength(value);
    if (this.collectedChars < RESULT_TEXT_MAX_BYTES) {
      this.parts.push(value);
      this.collectedChars += value.length + 1;
    }
  }

  binary(value: unknown): void {
    if (typeof value === 'string') this.bytes += value.length;
  }

  get hasText(): boolean {
    return this.parts.length > 0;
  }

  joined(): string {
    return this.parts.length === 1 ? (this.parts[0] as string) : this.parts.join('\n');
  }

  /** One content block: text, image/audio, embedded resource, or a resource's contents entry. */
  block(value: unknown, depth = 0): void {
    const block = asObject(value);
    if (!block || this.items++ >= MAX_CONTENT_ITEMS) return;
    if (typeof block.text === 'string') this.text(block.text);
    else if (typeof block.data === 'string') this.binary(block.data);
    else if (typeof block.blob === 'string') this.binary(block.blob);
    else if (block.resource !== undefined && depth < 2) this.block(block.resource, depth + 1);
  }

  blocks(value: unknown): void {
    if (Array.isArray(value)) for (const item of value) this.block(item);
    else this.block(value);
  }
}

function safeStringify(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/**
 * Summary of a tools/call, resources/read, prompts/get, sampling or elicitation result;
 * `undefined` for other shapes (tools/list, initialize, empty results).
 */
export function summarizeResult(result: unknown): ResultSummary | undefined {
  const record = asObject(result);
  if (!record) return undefined;
  const collector = new PayloadCollector();
  let recognised = false;
  if (record.content !== undefined) {
    recognised = true;
    collector.blocks(record.content);
  }
  if (Array.isArray(record.contents)) {
    recognised = true;
    collector.blocks(record.contents);
  }
  if (Array.isArray(record.messages)) {
    recognised = true;
    let n = 0;
    for (const message of record.messages) {
      if (n++ >= MAX_CONTENT_ITEMS) break;
      collector.blocks(asObject(message)?.content);
    }
  }
  if (record.structuredContent !== undefined) {
    recognised = true;
    const structured = safeStringify(record.structuredContent);
    if (structured !== undefined) {
      if (collector.hasText) collector.bytes += utf8ByteLength(structured);
      else collector.text(structured);
    }
  }
  const resultType =
    typeof record.resultType === 'string' ? record.resultType.slice(0, MAX_NAME_CHARS) : undefined;
  if (!recognised && resultType === undefined) return undefined;
  // Field order follows log-format.md: isError, text, bytes.
  const summary: ResultSummary = {};
  if (record.isError !== undefined || record.content !== undefined) summary.isError = record.isError === true;
  if (recognised) {
    if (collector.hasText) {
      const sample = truncateUtf8(collector.joined(), RESULT_TEXT_MAX_BYTES);
      summary.text = sample.text;
      if (sample.truncated) summary.truncated = true;
    }
    summary.bytes = collector.bytes;
  }
  if (resultType !== undefined) summary.resultType = resultType;
  if (record.inputRequests !== undefined) summary.inputRequests = record.inputRequests;
  return summary;
}

/** A JSON-RPC error object as the event's `error`: numeric code, message cut to 1,024 characters. */
export function rpcError(error: unknown): { code?: number; message?: string } | undefined {
  const record = asObject(error);
  if (!record) return undefined;
  const out: { code?: number; message?: string } = {};
  if (typeof record.code === 'number' && Number.isFinite(record.code)) out.code = record.code;
  if (typeof record.message === 'string') out.message = record.message.slice(0, MAX_MESSAGE_CHARS);
  return out;
}

// McpServer turns an McpError thrown while handling tools/call (unknown tool, invalid arguments)
// into an isError result whose text is the error's message: "MCP error -32602: Tool x not found".
const MCP_ERROR_TEXT = /^MCP error (-?\d{1,6}): ([^\n]{0,1024})/;

/** The JSON-RPC error an McpServer folded into an isError tool result, if that is what it is. */
export function errorFoldedIntoToolResult(result: unknown): { code: number; message: string } | undefined {
  const record = asObject(result);
  if (!record || record.isError !== true || !Array.isArray(record.content)) return undefined;
  const first = asObject(record.content[0]);
  if (!first || typeof first.text !== 'string') return undefined;
  const match = MCP_ERROR_TEXT.exec(first.text.slice(0, 1100));
  if (!match) return undefined;
  return { code: Number(match[1]), message: match[2] ?? '' };
}

/**
 * The tool definitions of a tools/list result, bounded to 1,000; entries without a string name are
 * skipped and wrongly typed fields dropped. `undefined` when the result has no tools array.
 */
export function toolDefinitions(result: unknown): JsonObject[] | undefined {
  const tools = asObject(result)?.tools;
  if (!Array.isArray(tools)) return undefined;
  const out: JsonObject[] = [];
  for (const entry of tools) {
    if (out.length >= MAX_TOOLS) break;
    const tool = asObject(entry);
    if (!tool || typeof tool.name !== 'string') continue;
    const definition: JsonObject = { name: tool.name };
    if (typeof tool.title === 'string') definition.title = tool.title;
    if (typeof tool.description === 'string')
      definition.description = truncateUtf8(tool.description, MAX_DESCRIPTION_BYTES).text;
    if (tool.inputSchema !== undefined) definition.inputSchema = tool.inputSchema;
    if (tool.outputSchema !== undefined) definition.outputSchema = tool.outputSchema;
    const annotations = asObject(tool.annotations);
    if (annotations) definition.annotations = annotations;
    out.push(definition);
  }
  return out;
}
