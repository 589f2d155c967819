/**
 * What a tool's name says it does, for the api detectors: shell, SQL, NoSQL, file and fetch tools.
 * Words are the `_`/`-`/`.`/camelCase parts of the name (tool-labels.ts `toolWords`). Results are
 * cached per name (bounded), since a server has few tools and every call asks.
 */
import { toolWords } from '../../labels/tool-labels.js';

export const SHELL_TOOL = 1;
export const SQL_TOOL = 2;
export const FILE_TOOL = 4;
export const FETCH_TOOL = 8;
export const NOSQL_TOOL = 16;
/** Names with "run"/"script": execution-flavoured (severity), but not known to take raw commands. */
export const RUN_TOOL = 32;

const SHELL_WORDS = new Set([
  'exec',
  'execute',
  'shell',
  'command',
  'cmd',
  'bash',
  'sh',
  'zsh',
  'terminal',
  'powershell',
  'pwsh',
  'subprocess',
  'spawn',
]);
const RUN_WORDS = new Set(['run', 'script', 'console']);
const SQL_WORDS = new Set([
  'sql',
  'query',
  'db',
  'database',
  'postgres',
  'postgresql',
  'psql',
  'mysql',
  'sqlite',
  'mssql',
  'tsql',
  'bigquery',
  'snowflake',
  'redshift',
  'athena',
  'duckdb',
  'clickhouse',
  'oracle',
  'mariadb',
]);
const NOSQL_WORDS = new Set([
  'mongo',
  'mongodb',
  'db',
  'database',
  'query',
  'find',
  'aggregate',
  'filter',
  'collection',
  'nosql',
  'dynamo',
  'dynamodb',
  'firestore',
  'couch',
  'couchdb',
  'documentdb',
  'cosmos',
  'elastic',
  'elasticsearch',
  'opensearch',
]);
const FILE_WORDS = new Set([
  'file',
  'files',
  'path',
  'read',
  'write',
  'fs',
  'filesystem',
  'dir',
  'directory',
  'folder',
  'ls',
  'cat',
  'open',
  'save',
  'load',
  'upload',
  'download',
  'edit',
]);
// Words of tools that send requests to a URL they are given ("page", "link", "get" are too generic).
const FETCH_WORDS = new Set([
  'fetch',
  'http',
  'https',
  'url',
  'uri',
  'web',
  'browse',
  'browser',
  'request',
  'curl',
  'wget',
  'download',
  'scrape',
  'crawl',
  'navigate',
  'webhook',
  'proxy',
  'visit',
  'website',
]);

const cache = new Map<string, number>();
const CACHED_TOOL_MAX_CHARS = 128;

/** Bit mask of SHELL_TOOL | SQL_TOOL | FILE_TOOL | FETCH_TOOL | NOSQL_TOOL | RUN_TOOL. */
export function toolKinds(tool: string | undefined): number {
  if (tool === undefined) return 0;
  let mask = cache.get(tool);
  if (mask !== undefined) return mask;
  mask = 0;
  const words = toolWords(tool);
  for (const w of words) {
    if (SHELL_WORDS.has(w)) mask |= SHELL_TOOL;
    if (RUN_WORDS.has(w)) mask |= RUN_TOOL;
    if (SQL_WORDS.has(w)) mask |= SQL_TOOL;
    if (FILE_WORDS.has(w)) mask |= FILE_TOOL;
    if (NOSQL_WORDS.has(w)) mask |= NOSQL_TOOL;
  }
  if (words.some((w) => FETCH_WORDS.has(w))) mask |= FETCH_TOOL;
  // Bounded by count and size: long (attacker-made) names are not kept.
  if (tool.length > CACHED_TOOL_MAX_CHARS) return mask;
  if (cache.size > 10_000) cache.clear();
  cache.set(tool, mask);
  return mask;
}
