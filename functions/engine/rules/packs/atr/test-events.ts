/**
 * ATR test cases as v1 events, so a converted rule's own true/false positives run through our
 * matcher as Sigma inline tests. Each case becomes one event carrying its text where an MCP server
 * log would show it (fields.ts):
 *
 * - `tool_response` (or `input.response`) → `result.text`; `tool_args` / `tool_call.args` /
 *   `input.tool_args` → `arguments` (a JSON object string is parsed, anything else becomes
 *   `{input: "..."}`); `tool_description` → a tools/list definition; `tool_name` → `tool`.
 * - a plain `input` / `user_input` / `content` / `agent_output` string goes to the first channel
 *   the rule reads, in the order result.text, arguments, tool definitions — the same place the
 *   ATR engine's own harness offers it.
 */
import type { AtrTestCase } from './atr-rule.js';
import { ARGUMENTS, RESULT_TEXT, TOOL_DEFINITIONS } from './fields.js';

export type V1TestEvent = Record<string, unknown>;

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function asArguments(v: unknown): Record<string, unknown> {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  const s = text(v);
  if (s.trimStart().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(s);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // not JSON: offered as one string argument below
    }
  }
  return { input: s };
}

/** The v1 event for one ATR test case of a rule that reads `channels` (v1 field paths). */
export function testCaseEvent(tc: AtrTestCase, channels: ReadonlySet<string>): V1TestEvent {
  const rawInput = tc['input'] ?? tc['user_input'];
  const inputObj = rawInput !== null && typeof rawInput === 'object' && !Array.isArray(rawInput) ? (rawInput as Record<string, unknown>) : undefined;
  const toolCall = tc['tool_call'] !== null && typeof tc['tool_call'] === 'object' ? (tc['tool_call'] as Record<string, unknown>) : undefined;

  let toolName = text(tc['tool_name'] ?? toolCall?.['name'] ?? inputObj?.['tool_name']);
  let args: unknown = tc['tool_args'] ?? toolCall?.['args'] ?? inputObj?.['tool_args'];
  let response = text(tc['tool_response'] ?? inputObj?.['tool_response'] ?? inputObj?.['response']);
  const description = text(tc['tool_description']);
  let plain = '';
  if (inputObj) {
    if (args === undefined && !response) plain = text(rawInput);
  } else {
    plain = text(rawInput);
  }
  if (!plain) plain = text(tc['content']) || text(tc['agent_output']);

  const event: V1TestEvent = { event: 'mcp.call' };
  const tools: Array<Record<string, unknown>> = [];
  if (description) tools.push({ name: toolName || 'tool', description });
  if (plain) {
    if (channels.has(RESULT_TEXT) && !response) response = plain;
    else if (channels.has(ARGUMENTS) && args === undefined) args = plain;
    else if (channels.has(TOOL_DEFINITIONS) && !description) tools.push({ name: toolName || 'tool', description: plain });
    else if (!response) response = plain;
  }
  if (!toolName) toolName = 'tool';
  if (tools.length > 0 && args === undefined && !response) {
    return { event: 'mcp.tools', tools };
  }
  event['tool'] = toolName;
  event['rpc'] = { method: 'tools/call' };
  if (args !== undefined) event[ARGUMENTS] = asArguments(args);
  if (response) event['result'] = { text: response };
  if (tools.length > 0) event[TOOL_DEFINITIONS] = tools;
  return event;
}
