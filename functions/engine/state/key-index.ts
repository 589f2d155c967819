/**
 * The own keys of a state item's JSON map (a record's fields, a distinct set's members), counted
 * and listed without asking the object: these maps gain and lose keys all the time, so V8 keeps
 * them in dictionary mode, where every `Object.keys` walks and sorts the whole table.
 *
 * Kept beside the object (WeakMaps keyed by it), never in it: items are serialised, measured and
 * merged as JSON, and an object built anew (a parsed or merged item) simply starts without an
 * index, rebuilt on first use. Whoever adds or deletes an own key reports it here, or forgets the map.
 */

type JsonMap = Record<string, unknown>;

// `Object.keys(map).length`: a plain number per map (no object to allocate or keep).
const counts = new WeakMap<JsonMap, number>();
// `Object.keys(map)`, for maps listed since their last change. Handed out, so never changed.
const lists = new WeakMap<JsonMap, readonly string[]>();

/** `Object.keys(map).length`. */
export function ownKeyCount(map: JsonMap): number {
  let count = counts.get(map);
  if (count === undefined) {
    count = Object.keys(map).length;
    counts.set(map, count);
  }
  return count;
}

/**
 * `Object.keys(map)` as of now, without a copy: a snapshot that later changes to `map` leave
 * alone, so a caller may delete keys while walking it. Callers must not change it.
 */
export function ownKeys(map: JsonMap): readonly string[] {
  let keys = lists.get(map);
  if (keys === undefined) {
    keys = Object.keys(map);
    lists.set(map, keys);
    counts.set(map, keys.length);
  }
  return keys;
}

/** An own key added (it was neither own nor inherited before). */
export function keyAdded(map: JsonMap): void {
  changed(map, 1);
}

/** An own key deleted. */
export function keyDeleted(map: JsonMap): void {
  changed(map, -1);
}

// A list is dropped, not updated, when its map changes: lists kept for every map ever listed cost
// ~180 bytes a record (4 MB of live heap after 200k bench events, four times the counts), and a
// map listed and then changed by the same event would gain nothing from it.
function changed(map: JsonMap, by: 1 | -1): void {
  const count = counts.get(map);
  if (count === undefined) return;
  counts.set(map, count + by);
  lists.delete(map);
}

/** Keys changed in a way not reported key by key: count and list them again on next use. */
export function forgetKeys(map: JsonMap): void {
  counts.delete(map);
  lists.delete(map);
}
