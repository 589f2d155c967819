/**
 * Why a log line was not read, in words a user can act on. The normalizer only counts unparsed
 * lines; the CLI looks again at each one it skipped (cheap checks, the line is already in memory)
 * so "none parsed" can say what the lines were and what they need.
 */
export type UnparsedReason = 'jsonrpc-no-time' | 'lambda-report' | 'canonical-invalid' | 'unknown-json' | 'not-json';

export const UNPARSED_REASONS: Readonly<Record<UnparsedReason, { readonly what: string; readonly fix: string }>> = {
  'jsonrpc-no-time': {
    what: 'no timestamp on {n} bare JSON-RPC line{s}',
    fix: 'bare JSON-RPC lines need a time: log them as {"time":"<ISO-8601>","message":{…}}, record the server with `mcp-watchtower wrap`, or replay the CloudWatch export, whose events carry their time',
  },
  'lambda-report': {
    what: 'no timestamp on {n} Lambda REPORT line{s}',
    fix: 'REPORT lines carry no time of their own: replay the CloudWatch export or subscription payload instead of the bare text',
  },
  'canonical-invalid': {
    what: '{n} v1 line{s} not valid',
    fix: 'canonical lines need "v":1, a known "event" and an ISO-8601 "time" (docs/log-format.md)',
  },
  'unknown-json': {
    what: '{n} JSON line{s} of no known format',
    fix: 'see docs/log-format.md for the formats read (canonical, jsonrpc, lambda-text, lambda-report, agentgateway, apigw-access)',
  },
  'not-json': {
    what: '{n} line{s} not JSON',
    fix: 'lines must be JSON log records or Node Lambda console lines (docs/log-format.md)',
  },
};

/** Lines above this are not parsed again just to explain them. */
const MAX_EXPLAINED_CHARS = 64 * 1024;

export function unparsedReason(message: string): UnparsedReason {
  const text = message.trimStart();
  if (text.startsWith('REPORT RequestId:')) return 'lambda-report';
  if (!text.startsWith('{')) return 'not-json';
  let value: unknown;
  if (text.length <= MAX_EXPLAINED_CHARS) {
    try {
      value = JSON.parse(text);
    } catch {
      return 'not-json';
    }
  }
  const record = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  if (record?.v === 1) return 'canonical-invalid';
  if (record?.jsonrpc === '2.0' || /"jsonrpc"\s*:\s*"2\.0"/.test(text.slice(0, 4096))) return 'jsonrpc-no-time';
  const inner = record?.message;
  if (inner !== null && typeof inner === 'object' && (inner as Record<string, unknown>).jsonrpc === '2.0') return 'jsonrpc-no-time';
  return 'unknown-json';
}

/** "12 lines read, none parsed: no timestamp on 12 bare JSON-RPC lines (…)". */
export function describeNothingParsed(lines: number, reasons: Readonly<Partial<Record<UnparsedReason, number>>>): string {
  const parts = (Object.entries(reasons) as Array<[UnparsedReason, number]>)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => {
      const { what, fix } = UNPARSED_REASONS[reason];
      return `${what.replace('{n}', String(n)).replace('{s}', n === 1 ? '' : 's')} (${fix})`;
    });
  return `${lines} line${lines === 1 ? '' : 's'} read, none parsed: ${parts.length > 0 ? parts.join('; ') : 'see the first unparsed line above'}`;
}
