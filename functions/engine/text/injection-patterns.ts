/**
 * Injection markers for API-INJECTION: SQL, OS command, path traversal, template (SSTI, Log4Shell)
 * and NoSQL operator injection in one string value.
 *
 * Markers are syntax, never vocabulary: "select the best option from the table" or "how do I
 * drop table constraints?" have no quote-break, no separator-then-command, no `../` run.
 * Context narrows them further:
 * - a SQL tool receives SQL: only markers no agent-written query contains (tautologies after a
 *   quote, quote-then-comment with unbalanced quotes, sleep/benchmark probes, `UNION SELECT NULL,…`
 *   probes, xp_cmdshell / INTO OUTFILE); stacked statements and plain UNIONs are normal there;
 * - a shell tool receives commands: only reverse shells and decode-and-execute;
 * - documents (fields like `content`/`body`/`code`) get only the `always` markers, because
 *   documentation and code legitimately show `rm -rf`, `curl … | sh`, `/etc/passwd` or `{{ }}`;
 * - prose (a sentence or question) also skips the `structured` markers whose syntax occurs in
 *   ordinary writing ("work; sleep 8 hours", "what is /etc/passwd?"), but keeps SQL tautologies,
 *   UNION/stacked statements and template probes: padding a payload with words does not hide it.
 * Every regex is bounded and linear; a single character-class test skips most values.
 */

export type InjectionCategory = 'sql' | 'command' | 'path-traversal' | 'template' | 'nosql';

export interface InjectionHit {
  readonly category: InjectionCategory;
  /** Marker name, e.g. `sql-tautology`, `reverse-shell`, `traversal-climb`. */
  readonly marker: string;
  readonly index: number;
  readonly length: number;
}

export interface ValueContext {
  readonly sqlTool: boolean;
  readonly shellTool: boolean;
  /** A content/body/code field: only `always` markers apply. */
  readonly document: boolean;
  /** A sentence or question (see isProse): `structured` markers do not apply. */
  readonly prose: boolean;
  /** A search/regex argument: `a|b` is alternation there, not a pipe. */
  readonly patternField: boolean;
}

interface Marker {
  readonly category: InjectionCategory;
  readonly marker: string;
  readonly re: RegExp;
  /**
   * `always`: any value. `text-safe`: not in documents (syntax never seen in prose). `structured`:
   * neither in documents nor in prose.
   */
  readonly scope: 'always' | 'text-safe' | 'structured';
  readonly skipForSqlTool?: boolean;
  readonly skipForShellTool?: boolean;
  readonly skipForPatternField?: boolean;
  readonly accept?: (m: RegExpExecArray, value: string, ctx: ValueContext) => boolean;
}

// Anything an injection needs: quotes, separators, braces, percent-encoding, dot-dot, system paths.
export const INJECTION_PREFILTER =
  /['"\\;|&$`<>{}%\n=]|\.\.|union|sleep|waitfor|benchmark|\/(?:etc|proc|root)\/|win\.ini|boot\.ini|system32/i;

const SAME_VALUE = (a: string | undefined, b: string | undefined): boolean =>
  (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/** The quote in group `g` occurs an odd number of times: a string was broken out of. */
function oddQuotes(value: string, quote: string | undefined): boolean {
  if (quote === undefined) return false;
  let n = 0;
  for (let i = value.indexOf(quote); i >= 0; i = value.indexOf(quote, i + 1)) n++;
  return n % 2 === 1;
}

const WS = '(?:\\s{1,4}|\\$\\{IFS\\}|\\$IFS\\b)';
// Commands that are not English or technology words: enough on their own after a separator.
const PLAIN_COMMANDS =
  'curl|wget|nc|ncat|netcat|whoami|uname|chmod|chown|certutil|nslookup|busybox|socat|telnet|tftp|mkfifo|printenv|xargs|bitsadmin|mshta|rundll32|regsvr32|cmd\\.exe';
// Interpreters are also technology names ("php & mysql"): they need a flag or the end of the value.
const INTERPRETERS = `(?:(?:ba|z|da|k)?sh|python[23]?|perl|ruby|php|node|powershell|pwsh)(?:${WS}-{1,2}[a-zA-Z]|\\s{0,4}(?=$|[;&|)<]))|eval${WS}["'$\`]`;
// English words that are commands only with a command's shape ("cat /etc/…", "rm -rf", "sleep 10").
const SHAPED_COMMANDS = `rm${WS}-[a-z]|rm${WS}\\/|ping${WS}-[cn]|cat${WS}[/~.]|ls${WS}-[a-z]|echo${WS}[$\`]|sleep${WS}\\d{1,3}\\s{0,4}(?=$|[;&|#)])|kill${WS}-|touch${WS}\\/`;
const CHAINED = `(?:${PLAIN_COMMANDS})(?=\\s|$|[;&|)])|${INTERPRETERS}|${SHAPED_COMMANDS}`;

const MARKERS: readonly Marker[] = [
  // --- SQL ---
  {
    category: 'sql',
    marker: 'sql-tautology',
    // ' OR '1'='1 (the application supplies the last quote), " or ""=", ') or ('a'='a
    re: /['"`]\s{0,8}\)?\s{0,8}(?:or|\|\|)\s{1,8}\(?\s{0,4}(['"]?)(\w{0,32})\1\s{0,4}(?:=|like)\s{0,4}['"]?(\w{0,32})/gi,
    scope: 'text-safe',
    accept: (m) => (m[1] !== '' || m[2] !== '') && SAME_VALUE(m[2], m[3]),
  },
  {
    category: 'sql',
    marker: 'sql-tautology',
    re: /['"]\s{0,8}\)?\s{0,8}(?:or|\|\|)\s{1,8}(?:true|1|not\s{1,8}false)\s{0,8}(?:--|#|\/\*|;|$)/gi,
    scope: 'text-safe',
  },
  {
    category: 'sql',
    marker: 'sql-tautology',
    re: /\bor\s{1,8}(\d{1,9})\s{0,4}=\s{0,4}(\d{1,9})\b/gi,
    scope: 'text-safe',
    accept: (m) => m[1] === m[2],
  },
  {
    category: 'sql',
    marker: 'sql-union',
    re: /(?:['")]|\b\d{1,10})\s{0,8}union(?:\s{1,8}|\/\*[^*]{0,32}\*\/)(?:all\s{1,8}|distinct\s{1,8})?select\b/gi,
    scope: 'text-safe',
    skipForSqlTool: true,
  },
  {
    category: 'sql',
    marker: 'sql-union-probe',
    re: /\bunion(?:\s{1,8}|\/\*[^*]{0,32}\*\/)(?:all\s{1,8})?select(?:\s{1,8}|\/\*[^*]{0,32}\*\/)(?:null\s{0,4},|\d{1,3}\s{0,4},\s{0,4}\d|@@|(?:concat|group_concat|load_file|char|version|user|database|current_user)\s{0,4}\()/gi,
    scope: 'always',
  },
  {
    category: 'sql',
    marker: 'sql-stacked',
    re: /;\s{0,8}(?:drop\s{1,8}(?:table|database|schema|user)|truncate\s{1,8}table|delete\s{1,8}from|shutdown\b|exec(?:ute)?\s{1,8}(?:xp_|sp_)|insert\s{1,8}into|update\s{1,8}\w{1,64}\s{1,8}set|alter\s{1,8}(?:table|user)|create\s{1,8}(?:user|table|function)|grant\s{1,8}\w)\b/gi,
    scope: 'text-safe',
    skipForSqlTool: true,
  },
  {
    category: 'sql',
    marker: 'sql-comment',
    re: /\w(['"])\)?\s{0,4}(?:--(?![\w-])|#(?=\s|$)|\/\*)/g,
    scope: 'structured',
    accept: (m, value) => oddQuotes(value, m[1]),
  },
  {
    category: 'sql',
    marker: 'sql-time',
    re: /\b(?:pg_sleep|dbms_lock\.sleep|dbms_pipe\.receive_message)\s{0,4}\(|\bwaitfor\s{1,8}delay\s{1,8}['"]|\bbenchmark\s{0,4}\(\s{0,4}\d{3,}|(?:\b(?:and|or|select|if)\s{1,8}|['"|;(,]\s{0,4})sleep\s{0,4}\(\s{0,4}\d/gi,
    scope: 'always',
  },
  {
    category: 'sql',
    marker: 'sql-exec',
    re: /\bxp_cmdshell\b|\binto\s{1,8}(?:out|dump)file\s{1,8}['"]|\bload_file\s{0,4}\(|\bexec(?:ute)?\s{1,8}master\.\.|\bsp_oacreate\b|\bfrom\s{1,8}program\s{1,8}['"]/gi,
    scope: 'always',
  },
  // --- OS command ---
  {
    category: 'command',
    marker: 'reverse-shell',
    re: /\/dev\/(?:tcp|udp)\/[\w.-]{1,253}\/\d{1,5}|\b(?:nc|ncat|netcat)\b[^\n|;&]{0,60}\s-[ec]\s{0,4}\/?(?:bin\/)?(?:ba)?sh\b|\b(?:ba|z)?sh\s{1,4}-i\s{0,4}(?:>&|&>|2>&1)|\bmkfifo\b[^\n]{0,80}\b(?:nc|ncat|telnet|openssl)\b|\bsocat\b[^\n]{0,80}\bexec:|\bsocket\s{0,4}\.\s{0,4}connect\s{0,4}\(\s{0,4}\(|\bpowershell\b[^\n]{0,80}(?:\s-enc(?:odedcommand)?\s|\biex\s{0,4}\(|downloadstring)/gi,
    scope: 'always',
  },
  {
    category: 'command',
    marker: 'decode-and-execute',
    re: /\bbase64\s{1,4}(?:-d|--decode|-D)\b[^\n]{0,40}\|\s{0,4}(?:sudo\s{1,4})?(?:ba|z|da)?sh\b/gi,
    scope: 'always',
  },
  {
    category: 'command',
    marker: 'download-and-execute',
    re: /\b(?:curl|wget)\b[^\n|;&]{0,200}\|\s{0,4}(?:sudo\s{1,4})?(?:(?:ba|z|da)?sh|python[23]?|perl)\b/gi,
    scope: 'structured',
    skipForShellTool: true,
  },
  {
    category: 'command',
    marker: 'command-substitution',
    re: new RegExp(`\\$\\(\\s{0,4}(?:${CHAINED}|(?:id|env|base64|bash|sh)(?=[\\s)]|$))`, 'gi'),
    scope: 'text-safe',
    skipForShellTool: true,
  },
  {
    category: 'command',
    marker: 'command-chain',
    re: new RegExp(`(?:[;\\n]|&&?|\\|\\|?)\\s{0,4}(?:sudo${WS})?(?:${CHAINED})`, 'gi'),
    scope: 'structured',
    skipForShellTool: true,
    // In a search pattern `error|warn|curl` is alternation; only `;`, `&&` and newlines chain there.
    accept: (m, value, ctx) => !(ctx.patternField && value.charAt(m.index) === '|'),
  },
  // --- path traversal ---
  {
    category: 'path-traversal',
    marker: 'traversal-encoded',
    re: /%(?:25)?2e%(?:25)?2e|%(?:25)?2e\.[/\\%]|\.%(?:25)?2e|\.\.%(?:25)?(?:2f|5c)|%c0%a[ef]|%c1%[19]c|%u002e|%e0%80%ae/gi,
    scope: 'always',
  },
  {
    category: 'path-traversal',
    marker: 'traversal-bypass',
    re: /(?:^|[/\\=])\.{3,4}[/\\]{1,2}|\.\.;[/\\]/g,
    scope: 'always',
  },
  {
    category: 'path-traversal',
    marker: 'sensitive-system-file',
    re: /(?:^|[\s'"=:(,]|file:\/\/)(?:\/etc\/(?:passwd|shadow|group|gshadow|sudoers|master\.passwd)\b|\/proc\/(?:self|\d{1,7})\/(?:environ|cmdline|maps|mem|fd\/|cwd|root)|\/root\/\.|c:[\\/]windows[\\/](?:win\.ini|system32[\\/]config)|[\\/]boot\.ini\b)/gi,
    scope: 'structured',
  },
  // --- template / expression injection ---
  {
    category: 'template',
    marker: 'template-arithmetic',
    re: /(?:\{\{|\$\{\{?|<%=?|#\{|\*\{|@\(|\{%\s{0,4}print)\s{0,4}['"]?\d{1,6}['"]?\s{0,4}[*+/-]\s{0,4}['"]?\d{1,6}['"]?\s{0,4}(?:\}\}?|%>|\)|%\})/g,
    scope: 'text-safe',
  },
  {
    category: 'template',
    marker: 'template-code-execution',
    re: /(?:\{\{|\{%|\$\{|<%|#\{)[^}%>\n]{0,120}?(?:__(?:class|mro|subclasses|globals|builtins|import|init)__|\.constructor\b|java\.lang\.|getRuntime\s{0,4}\(|\.forName\s{0,4}\(|\bpopen\s{0,4}\(|\bos\.system\b)|freemarker\.template\.utility\.Execute|\$class\.inspect\b/gi,
    scope: 'always',
  },
  {
    category: 'template',
    marker: 'template-config-leak',
    re: /\{\{\s{0,4}(?:config|settings|self|request\.application|request\.environ|lipsum|cycler|joiner|namespace)(?:\.items\(\))?\s{0,4}\}\}/gi,
    scope: 'text-safe',
  },
  // --- NoSQL in strings (JSON smuggled into a string value, or qs-style `user[$ne]=`) ---
  {
    category: 'nosql',
    marker: 'nosql-js-operator',
    re: /["']?\$(?:where|function|accumulator)["']?\s{0,4}:/g,
    scope: 'always',
  },
  {
    category: 'nosql',
    marker: 'nosql-operator',
    re: /\{\s{0,4}["']?\$(?:ne|gt|gte|lt|lte|in|nin|regex|exists|expr|or|and|not|nor|elemMatch)["']?\s{0,4}:|\[\$(?:ne|gt|gte|lt|lte|in|nin|regex|exists|expr|or|nor|not)\]/g,
    scope: 'text-safe',
    skipForSqlTool: true,
  },
];

/** Mongo query operators (`$ne`, `$gt`, …) and the JavaScript-executing ones. */
export const QUERY_OPERATORS = new Set([
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$in',
  '$nin',
  '$regex',
  '$exists',
  '$expr',
  '$or',
  '$and',
  '$not',
  '$nor',
  '$elemMatch',
  '$type',
  '$size',
  '$all',
  '$mod',
  '$text',
]);
export const JS_OPERATORS = new Set(['$where', '$function', '$accumulator']);

const PROSE_WORD = /^[A-Za-z\u00C0-\u024F]{1,30}(?:['’-][A-Za-z\u00C0-\u024F]{1,20})?[.,!?:]?$/;
const ALL_CAPS = /^[A-Z]{2,}[.,!?:]?$/;

/** Free text: at least five words, mostly plain words — a question or a sentence, not a payload. */
export function isProse(value: string): boolean {
  let tokens = 0;
  let words = 0;
  for (const token of value.split(/\s+/, 64)) {
    if (token.length === 0) continue;
    tokens++;
    // A plain word ("it's", "well-known", "done."); ALL-CAPS tokens are keywords (SELECT, FROM), not prose.
    if (PROSE_WORD.test(token) && !ALL_CAPS.test(token)) words++;
  }
  return tokens >= 5 && words / tokens >= 0.6;
}

export function findInjectionMarkers(value: string, ctx: ValueContext): InjectionHit[] {
  if (!INJECTION_PREFILTER.test(value)) return [];
  const out: InjectionHit[] = [];
  for (const m of MARKERS) {
    if (m.scope !== 'always' && (ctx.document || (ctx.prose && m.scope === 'structured'))) continue;
    if ((ctx.sqlTool && m.skipForSqlTool) || (ctx.shellTool && m.skipForShellTool)) continue;
    m.re.lastIndex = 0;
    for (let r = m.re.exec(value); r !== null; r = m.re.exec(value)) {
      if (r[0].length === 0) m.re.lastIndex++;
      if (m.accept && !m.accept(r, value, ctx)) continue;
      if (out.some((h) => h.marker === m.marker)) break;
      out.push({ category: m.category, marker: m.marker, index: r.index, length: r[0].length });
      break;
    }
  }
  const climb = traversalClimb(value, ctx.document || ctx.prose);
  if (climb) out.push(climb);
  const lookup = log4ShellLookup(value);
  if (lookup) out.push(lookup);
  return out;
}

// Log4j lookups hide `jndi:` in nested lookups: ${${::-j}${lower:N}di:ldap://…}. Unwrap the
// one-character lookups (a few passes, each linear) and look for ${jndi: in what remains.
const NESTED_LOOKUP = /\$\{(?:[^{}:]{0,20}:){1,2}-?([^{}]{0,10})\}/g;
const JNDI_LOOKUP = /\$\{\s{0,4}jndi\s{0,4}:/i;

function log4ShellLookup(value: string): InjectionHit | undefined {
  const first = value.indexOf('${');
  if (first < 0) return undefined;
  let text = value;
  for (let pass = 0; pass < 3 && !JNDI_LOOKUP.test(text); pass++) {
    const next = text.replace(NESTED_LOOKUP, '$1');
    if (next === text) break;
    text = next;
  }
  return JNDI_LOOKUP.test(text)
    ? {
        category: 'template',
        marker: 'log4shell-lookup',
        index: first,
        length: Math.min(64, value.length - first),
      }
    : undefined;
}

// Targets that make any `..` climb a traversal, however short.
const SENSITIVE_TARGET =
  /(?:^|\/)(?:etc\/(?:passwd|shadow|group|sudoers|hosts)|proc\/(?:self|\d+)\/|root\/|\.ssh\/|\.aws\/|\.kube\/|\.docker\/|\.env$|\.git\/config|id_(?:rsa|ed25519|ecdsa|dsa)$|windows\/(?:win\.ini|system32)|boot\.ini$|var\/run\/secrets\/)/i;
export const CLIMB_LEVELS = 3;

/**
 * Walks `..` segments of each path-like token: a climb of CLIMB_LEVELS or more above the token's
 * start, or any climb that ends on a sensitive target, is a traversal. `src/../lib` or `../README.md`
 * stay benign.
 */
function traversalClimb(value: string, freeText: boolean): InjectionHit | undefined {
  let from = value.indexOf('..');
  if (from < 0) return undefined;
  let scanned = 0;
  while (from >= 0 && scanned < 16) {
    scanned++;
    let start = from;
    while (start > 0 && !/[\s"'<>`(=]/.test(value.charAt(start - 1)) && from - start < 512) start--;
    let end = from;
    while (end < value.length && !/[\s"'<>`)]/.test(value.charAt(end)) && end - from < 2048) end++;
    const token = value.slice(start, end);
    const verdict = climbOf(token);
    if (verdict !== undefined && (!freeText || verdict === 'sensitive')) {
      return {
        category: 'path-traversal',
        marker: verdict === 'sensitive' ? 'traversal-to-sensitive-file' : 'traversal-climb',
        index: start,
        length: token.length,
      };
    }
    from = value.indexOf('..', end);
  }
  return undefined;
}

function climbOf(token: string): 'climb' | 'sensitive' | undefined {
  // A URL's climb starts at its path.
  const scheme = token.indexOf('://');
  const path = scheme >= 0 ? token.slice(token.indexOf('/', scheme + 3) + 1 || token.length) : token;
  const segments = path.split(/[/\\]/, 512);
  let depth = 0;
  let lowest = 0;
  let climbed = false;
  const kept: string[] = [];
  for (const segment of segments) {
    if (segment === '..') {
      depth--;
      climbed = true;
      kept.pop();
      if (depth < lowest) lowest = depth;
    } else if (segment !== '.' && segment !== '') {
      depth++;
      kept.push(segment);
    }
  }
  if (!climbed) return undefined;
  if (SENSITIVE_TARGET.test(kept.join('/'))) return 'sensitive';
  return -lowest >= CLIMB_LEVELS ? 'climb' : undefined;
}
