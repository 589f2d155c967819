/**
 * Reading an `mcp.tools` event (a tools/list result) the same way in every config detector: the
 * tools by unique name (bounded), whether the listing is only one page, and short state-key parts
 * for names that may be long or attacker-controlled.
 */
import type { McpEvent, ToolDefinition } from '../../events/schema.js';

/** Most tools read from one listing: a server advertising more is abnormal and the rest is ignored. */
export const MAX_TOOLS_PER_LISTING = 256;

export interface ListedTool {
  readonly name: string;
  readonly tool: ToolDefinition;
}

/** The listing's tools, first definition per name, skipping entries without a usable name. */
export function listedTools(event: McpEvent): ListedTool[] {
  const tools = event.tools;
  if (!Array.isArray(tools)) return [];
  const out: ListedTool[] = [];
  const seen = new Set<string>();
  for (const tool of tools) {
    if (out.length >= MAX_TOOLS_PER_LISTING) break;
    const name = (tool as { name?: unknown } | null)?.name;
    if (typeof name !== 'string' || name.length === 0 || seen.has(name)) continue;
    seen.add(name);
    out.push({ name, tool });
  }
  return out;
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * Whether the listing is one page of a paginated tools/list: the instrumentation marks it
 * `partial: true`, or it carries a `nextCursor` (more pages follow), or the request carried a
 * `cursor` (a later page) — at the top level or, from other producers, inside `result` / `rpc.params`.
 * A page is not the server's whole tool set, so added/removed tools cannot be derived from it.
 */
export function isPartialListing(event: McpEvent): boolean {
  const e = event as Record<string, unknown>;
  return (
    e['partial'] === true ||
    e['nextCursor'] !== undefined ||
    e['cursor'] !== undefined ||
    field(e['result'], 'nextCursor') !== undefined ||
    field(field(e['rpc'], 'params'), 'cursor') !== undefined
  );
}

/** A name for titles and subjects: bounded, on one line. */
export function displayName(value: string, max = 80): string {
  const one = value.replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max)}\u2026` : one;
}
