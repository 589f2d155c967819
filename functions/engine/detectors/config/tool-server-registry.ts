/**
 * The tool-name registry: for each tool name, the servers that list it (first and last listing
 * time). CFG-TOOL-SHADOWING writes it; CFG-TOOL-POISONING reads it only to leave instructions about
 * a tool another server is known to serve to CFG-TOOL-SHADOWING (one alert for one thing).
 *
 * One record per tool name (`CFG-TOOL-SHADOWING|*|servers|<tool>`) whose fields are server names
 * (`keyPart`, so ≤ 48 chars), at most MAX_SERVERS_PER_TOOL of them with two numbers each: an item
 * stays under 4 KB.
 */
import type { EngineConfig } from '../../config/schema.js';
import type { StateView } from '../../state/view.js';
import { keyPart } from '../../state/key-part.js';


export const SHADOWING_ID = 'CFG-TOOL-SHADOWING';
export const MAX_SERVERS_PER_TOOL = 32;
export const DEFAULT_STALE_AFTER_DAYS = 14;
const DAY_MS = 24 * 3600_000;

/** A server's listing of a tool: first and last time (epoch ms). */
export interface ServerListing {
  readonly f: number;
  readonly l: number;
}

export function toolServersKey(tool: string): string {
  return `${SHADOWING_ID}|*|servers|${keyPart(tool)}`;
}

export function asListing(value: unknown): ServerListing | undefined {
  const v = value as Partial<ServerListing> | null | undefined;
  return v !== null && typeof v === 'object' && typeof v.f === 'number' && typeof v.l === 'number'
    ? { f: v.f, l: v.l }
    : undefined;
}

/** How long a listing counts without being repeated, from the shadowing detector's settings. */
export function staleAfterMs(config: EngineConfig): number {
  const days = config.detectors[SHADOWING_ID]?.['staleAfterDays'];
  return (typeof days === 'number' && days > 0 ? days : DEFAULT_STALE_AFTER_DAYS) * DAY_MS;
}

export type ToolOwnership =
  /** The registry has never seen the name (or only stale listings). */
  | { readonly kind: 'unknown' }
  /** This server lists it (e.g. on another page of its listing). */
  | { readonly kind: 'own' }
  /** Only other servers list it. */
  | { readonly kind: 'other'; readonly servers: readonly string[] };

/** Who serves `tool` according to the registry, seen from `server` at time `t`. Never creates an item. */
export function toolOwnership(
  state: StateView,
  tool: string,
  server: string,
  t: number,
  staleMs: number,
): ToolOwnership {
  const key = toolServersKey(tool);
  if (!state.exists(key)) return { kind: 'unknown' };
  const record = state.record(key, { ttlMs: 2 * staleMs, maxFields: MAX_SERVERS_PER_TOOL });
  const self = keyPart(server);
  const servers: string[] = [];
  for (const name of record.fields()) {
    const listing = asListing(record.get(name));
    if (listing === undefined || t - listing.l > staleMs) continue;
    if (name === self) return { kind: 'own' };
    servers.push(name);
  }
  return servers.length > 0 ? { kind: 'other', servers: servers.sort() } : { kind: 'unknown' };
}
