/**
 * Where ATR's text fields live in an MCP server's log (v1 events, docs/log-format.md).
 *
 * ATR writes rules against an agent runtime (prompts, completions, tool calls); an MCP server's log
 * shows the tool-call side of that conversation. The mapping, decided once here:
 *
 * | ATR field | v1 event fields | why |
 * |---|---|---|
 * | `tool_args`, `tool_input` | `arguments` (any string leaf) | what the model sent the tool |
 * | `tool_response` | `result.text` | what the tool returned to the model |
 * | `tool_description` | `tools` (names, descriptions, parameter text of a tools/list result) | the tool definition the model reads |
 * | `tool_name` | `tool` | the called tool |
 * | `user_input`, `agent_output` | `arguments`, `result.text` | a server never sees the prompt or the completion directly: text the model wrote reaches it as arguments, and text aimed at the model (indirect injection) comes back in results — the ATR engine itself runs these rules on tool responses |
 * | `content` | `arguments`, `result.text`, `tools` | "any message text" |
 *
 * Fields not listed (`trace.*`, `behavioral.*`) have no counterpart in a server log; a rule that
 * needs one is disabled with that reason.
 */
export const ARGUMENTS = 'arguments';
export const RESULT_TEXT = 'result.text';
export const TOOL_DEFINITIONS = 'tools';
export const TOOL_NAME = 'tool';

const FIELD_MAP: Readonly<Record<string, readonly string[]>> = {
  tool_args: [ARGUMENTS],
  tool_input: [ARGUMENTS],
  tool_response: [RESULT_TEXT],
  tool_description: [TOOL_DEFINITIONS],
  tool_name: [TOOL_NAME],
  user_input: [ARGUMENTS, RESULT_TEXT],
  agent_output: [ARGUMENTS, RESULT_TEXT],
  content: [ARGUMENTS, RESULT_TEXT, TOOL_DEFINITIONS],
};

/** The v1 fields an ATR field maps to, or undefined when a server log has no such text. */
export function eventFieldsFor(atrField: string): readonly string[] | undefined {
  return FIELD_MAP[atrField];
}

/** Every ATR field the pack understands, for docs. */
export const MAPPED_ATR_FIELDS: Readonly<Record<string, readonly string[]>> = FIELD_MAP;
