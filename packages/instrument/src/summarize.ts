/**
 * Compact, bounded descriptions of MCP results: the text sample and full size of a tool/resource/
 * prompt result, the JSON-RPC error an McpServer folded into an `isError` result, and the tool
 * definitions of a tools/list result.
 */
import type { ToolDefinitionInfo } from './event.js';
import { truncateUtf8, utf8ByteLength, type Redactor } from './redact.js';

export interface ResultSummary {
  isError?: boolean;
  /** Redacted text content, at most maxTextBytes UTF-8 bytes. */
  text?: string;
  /** Full size of the result's payloads: UTF-8 bytes of text, encoded length of binary data. */
  bytes?: number;
  truncated?: boolean;
}

const MAX_CONTENT_ITEMS = 1000;
const MAX_TOOLS = 1000;
const MAX_DESCRIPTION_BYTES = 16 * 1024;

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Gathers text up to a bound (for the sample) while counting the size of everything. */
class PayloadCollector {
  private readonly parts: string[] = [];
  private collectedChars = 0;
  bytes = 0;
  items = 0;

  constructor(private readonly sampleChars: number) {}

  text(value: unknown): void {
    if (typeof value !== 'string') return;
    this.bytes += utf8ByteLength(value);
    if (this.collectedChars < this.sampleChars) {
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
  block(value: unknown): void {
    const block = asRecord(value);
    if (!block || this.items++ >= MAX_CONTENT_ITEMS) return;
    if (typeof block.text === 'string') this.text(block.text);
    else if (typeof block.data === 'string') this.binary(block.data);
    else if (typeof block.blob === 'string') this.binary(block.blob);
    else if (block.resource !== undefined) this.block(block.resource);
  }

  blocks(value: unknown): void {
    if (Array.isArray(value)) for (const item of value) this.block(item);
    else this.block(value);
  }
}

/** Summary of a tools/call, resources/read, prompts/get or sampling result; undefined for other shapes. */
export function summarizeResult(
  result: unknown,
  redactor: Redactor,
  maxTextBytes: number,
): ResultSummary | undefined {
  const record = asRecord(result);
  if (!record) return undefined;
  // Collect a little beyond the limit so redaction sees secrets that straddle the cut.
  const collector = new PayloadCollector(maxTextBytes + 4096);
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
    for (const message of record.messages) collector.blocks(asRecord(message)?.content);
  }
  if (record.structuredContent !== undefined) {
    recognised = true;
    const structured = safeStringify(record.structuredContent);
    if (structured !== undefined) {
      if (collector.hasText) collector.bytes += utf8ByteLength(structured);
      else collector.text(structured);
    }
  }
  if (!recognised) return undefined;
  // Field order follows log-format.md: isError, text, bytes.
  const summary: ResultSummary = {};
  if (record.isError !== undefined || record.content !== undefined) summary.isError = record.isError === true;
  let truncated = false;
  if (collector.hasText) {
    const sample = redactor.redactText(collector.joined());
    summary.text = sample.text;
    truncated = sample.truncated;
  }
  summary.bytes = collector.bytes;
  if (truncated) summary.truncated = true;
  return summary;
}

function safeStringify(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

// McpServer turns an McpError thrown while handling tools/call (unknown tool, invalid arguments)
// into an isError result whose text is the error's message: "MCP error -32602: Tool x not found".
const MCP_ERROR_TEXT = /^MCP error (-?\d{1,6}): ([^\n]{0,1024})/;

/** The JSON-RPC error an McpServer folded into an isError tool result, if that is what it is. */
export function errorFoldedIntoToolResult(result: unknown): { code: number; message: string } | undefined {
  const record = asRecord(result);
  if (!record || record.isError !== true || !Array.isArray(record.content)) return undefined;
  const first = asRecord(record.content[0]);
  if (!first || typeof first.text !== 'string') return undefined;
  const match = MCP_ERROR_TEXT.exec(first.text);
  if (!match) return undefined;
  return { code: Number(match[1]), message: match[2] ?? '' };
}

/** The tool definitions of a tools/list result, bounded; entries without a name are skipped. */
export function toolDefinitions(result: unknown): ToolDefinitionInfo[] | undefined {
  const tools = asRecord(result)?.tools;
  if (!Array.isArray(tools)) return undefined;
  const out: ToolDefinitionInfo[] = [];
  for (const entry of tools) {
    if (out.length >= MAX_TOOLS) break;
    const tool = asRecord(entry);
    if (!tool || typeof tool.name !== 'string') continue;
    const definition: ToolDefinitionInfo = { name: tool.name };
    if (typeof tool.title === 'string') definition.title = tool.title;
    if (typeof tool.description === 'string') {
      definition.description = truncateUtf8(tool.description, MAX_DESCRIPTION_BYTES).text;
    }
    if (tool.inputSchema !== undefined) definition.inputSchema = tool.inputSchema;
    if (tool.outputSchema !== undefined) definition.outputSchema = tool.outputSchema;
    const annotations = asRecord(tool.annotations);
    if (annotations) definition.annotations = annotations;
    out.push(definition);
  }
  return out;
}
