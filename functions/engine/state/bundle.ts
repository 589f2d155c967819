/**
 * Which stored item (bundle) a state key lives in. A remote store keeps the state of one entity —
 * a session, or a principal / IP / tool of one server — in one item, so an event touching several
 * detectors' state for one entity costs one read and one write instead of one per key.
 *
 * Keys follow `<DETECTOR>|<server>|<kind>|<entity>` (entity spellings vary: `session|id`,
 * `session:id`, `principal=id`, a bare id). The bundle is `s|<session id>` for session state (a
 * session id is unique across servers, so every detector's state of one session shares an item) and
 * `e|<server>|<entity>` otherwise. Alert-path keys (`alert|…`, `storm|…`) and engine keys of other
 * shapes stay items of their own. Only storage layout depends on this: each key keeps its own value
 * inside the bundle, so correctness never does.
 */
const ENTITY_PREFIX = /^(?:session|principal|ip|client|user|agent)[:=]/;
const SESSION_PREFIX = /^session[:=]/;

export function bundleOf(key: string): string {
  if (key.startsWith('alert|') || key.startsWith('storm|')) return key;
  const parts = key.split('|');
  if (parts.length < 4) return key;
  const last = parts[parts.length - 1] as string;
  const entity = last.replace(ENTITY_PREFIX, '');
  const isSession = SESSION_PREFIX.test(last) || parts.slice(2, -1).includes('session');
  return isSession ? `s|${entity}` : `e|${parts[1] as string}|${entity}`;
}
