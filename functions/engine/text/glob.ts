/**
 * User-supplied name patterns (tool, server, principal, actor globs). `*` matches any run of
 * characters, `?` one character; everything else is literal. Compiled with re2js, so matching is
 * linear in the input whatever the pattern.
 */
import { RE2JS } from 're2js';

function globToRegex(glob: string): string {
  let out = '';
  for (const ch of glob) {
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else out += /[\\^$.|+()[\]{}]/.test(ch) ? `\\${ch}` : ch;
  }
  return `^(?:${out})$`;
}

export class GlobSet {
  private readonly exact = new Set<string>();
  private readonly patterns: RE2JS[] = [];

  constructor(globs: readonly string[]) {
    for (const glob of globs) {
      if (glob.includes('*') || glob.includes('?')) this.patterns.push(RE2JS.compile(globToRegex(glob), RE2JS.DOTALL));
      else this.exact.add(glob);
    }
  }

  get isEmpty(): boolean {
    return this.exact.size === 0 && this.patterns.length === 0;
  }

  matches(value: string | undefined): boolean {
    if (value === undefined) return false;
    if (this.exact.has(value)) return true;
    for (const p of this.patterns) if (p.matches(value)) return true;
    return false;
  }

  /** A tool matches as `tool` or `server/tool`. */
  matchesTool(server: string | undefined, tool: string | undefined): boolean {
    // Most configured lists are empty: skip building and hashing `server/tool` for every call.
    if (tool === undefined || (this.exact.size === 0 && this.patterns.length === 0)) return false;
    return this.matches(tool) || (server !== undefined && this.matches(`${server}/${tool}`));
  }
}
