/**
 * JSON nesting is bounded where lines are parsed (the Normalizer, the CLI's payload detection): a
 * document nested deeper than MAX_JSON_DEPTH is not parsed at all — it is skipped and counted
 * ("nesting too deep"), so no recursive walk downstream (stringify, detectors, payload expansion)
 * can overflow the stack. No log format nests anywhere near this deep; an attacker nesting deeper
 * to hide content shows up in the count (CLI summary, EventsTooDeep metric).
 */
export const MAX_JSON_DEPTH = 128;

/** Returned by parseJsonBounded for a document nested deeper than the limit. */
export const TOO_DEEP: unique symbol = Symbol('json nesting too deep');

/**
 * Whether `text`, read as JSON, nests objects/arrays deeper than `max`. One pass; string contents
 * are skipped with indexOf, so ordinary lines (mostly strings) cost little.
 */
export function jsonTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  // Nesting deeper than `max` needs more than `max` opening brackets (inside strings or not).
  if (text.length <= max || !moreOpeningBrackets(text, max)) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // To the closing quote: one not preceded by an odd number of backslashes.
      let end = text.indexOf('"', i + 1);
      while (end > 0) {
        let slashes = 0;
        for (let j = end - 1; text.charCodeAt(j) === 92; j--) slashes++;
        if (slashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      if (end < 0) return false; // unterminated: JSON.parse rejects it
      i = end;
    } else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

/**
 * Whether `text` holds more than `max` `{` and `[` in all: a necessary condition for nesting deeper
 * than `max`, checked with native indexOf jumps (an ordinary line has a few dozen brackets), so
 * only a line that could be too deep pays for the character-by-character scan above.
 */
function moreOpeningBrackets(text: string, max: number): boolean {
  let n = 0;
  for (let i = text.indexOf('{'); i >= 0; i = text.indexOf('{', i + 1)) if (++n > max) return true;
  for (let i = text.indexOf('['); i >= 0; i = text.indexOf('[', i + 1)) if (++n > max) return true;
  return false;
}

/** JSON.parse that refuses deep nesting: the value, `undefined` when not JSON, or TOO_DEEP. */
export function parseJsonBounded(text: string, max = MAX_JSON_DEPTH): unknown {
  if (jsonTooDeep(text, max)) return TOO_DEEP;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
