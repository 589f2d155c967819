/**
 * Which stored item (bundle) a state key lives in. A remote store keeps the state of one session in
 * one item, and the state of a server's other entities (principals, IPs, tools…) in a few shard
 * items per server, so an event touching several detectors' state costs one read and one write per
 * item instead of one per key, and a batch touching fifty principals of a server writes at most
 * ENTITY_SHARDS items instead of fifty (DynamoDB bills a write by whole KB of the item, so many
 * small items cost far more than a few larger ones — measured in docs/state-table.md).
 *
 * Keys follow `<DETECTOR>|<server>|<kind>|<entity>` (entity spellings vary: `session|id`,
 * `session:id`, `principal=id`, a bare id). The bundle is `s|<session id>` for session state (a
 * session id is unique across servers, so every detector's state of one session shares an item) and
 * `e|<server>|~<shard>` otherwise, the shard a hash of the entity. Alert-path keys (`alert|…`,
 * `storm|…`) and engine keys of other shapes stay items of their own. Only storage layout depends
 * on this: each key keeps its own value inside the bundle, so correctness never does.
 */
const ENTITY_PREFIX = /^(?:session|principal|ip|client|user|agent)[:=]/;
const SESSION_PREFIX = /^session[:=]/;

/**
 * Shard items per server for non-session entities. Fewer shards write fewer items per batch (the
 * bench: 1 shard 279 WCU / 1,000 events, 4: 281, 16: 292 at 1,000-event payloads); more shards hold
 * more live state under DynamoDB's 400 KB item cap (each shard holds up to 350 KB compressed, a few
 * thousand principals or IPs; past it the store drops the members expiring first).
 */
export const ENTITY_SHARDS = 8;

interface Parsed {
  readonly server: string;
  readonly entity: string;
  readonly session: boolean;
}

function parse(key: string): Parsed | undefined {
  if (key.startsWith('alert|') || key.startsWith('storm|')) return undefined;
  const parts = key.split('|');
  if (parts.length < 4) return undefined;
  const last = parts[parts.length - 1] as string;
  const entity = last.replace(ENTITY_PREFIX, '');
  const session = SESSION_PREFIX.test(last) || parts.slice(2, -1).includes('session');
  return { server: parts[1] as string, entity, session };
}

export function bundleOf(key: string): string {
  const p = parse(key);
  if (p === undefined) return key;
  return p.session ? `s|${p.entity}` : `e|${p.server}|~${shardOf(p.entity, ENTITY_SHARDS)}`;
}

/**
 * The bundle the previous layout (format 2: one item per entity of a server) kept `key` in, when it
 * differs from `bundleOf(key)`: a store reads it for keys its shard does not hold yet, so state
 * written before an upgrade (known principals, baselines) is not forgotten.
 */
export function legacyBundleOf(key: string): string | undefined {
  const p = parse(key);
  return p === undefined || p.session ? undefined : `e|${p.server}|${p.entity}`;
}

/** FNV-1a of `text` modulo `shards`: stable across processes and versions (the layout depends on it). */
function shardOf(text: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) % shards;
}
