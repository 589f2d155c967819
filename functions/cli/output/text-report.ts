/**
 * The readable report: a table of alerts — most severe first, then oldest first, each with when,
 * which session and which principal — then a summary by severity and by category, then what was
 * read. Colours only when writing to a terminal (and NO_COLOR is unset).
 */
import type { Alert } from '../../engine/alerts/alert.js';
import { SEVERITIES, severityRank, type Severity } from '../../engine/alerts/severity.js';
import { CATEGORIES } from '../../engine/detectors/detector.js';
import type { NormalizeStats } from '../../engine/events/normalize.js';
import type { SessionTotals } from '../session.js';

const COLOUR: Record<Severity, string> = { critical: '\x1b[1;31m', high: '\x1b[31m', medium: '\x1b[33m', low: '\x1b[36m', info: '\x1b[2m' };
const RESET = '\x1b[0m';

export interface TextStyle {
  readonly colour: boolean;
  readonly width: number;
}

function paint(style: TextStyle, severity: Severity, text: string): string {
  return style.colour ? `${COLOUR[severity]}${text}${RESET}` : text;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(1, width - 1))}…`;
}

/** `2026-11-24T10:00:00Z`: seconds are enough to line alerts up with logs. */
function shortTime(iso: string): string {
  return iso.length >= 19 && iso[10] === 'T' ? `${iso.slice(0, 19)}Z` : iso;
}

const COLUMNS = { time: 20, detector: 22, count: 6, server: 16, session: 12, principal: 16 } as const;

export function formatAlertLine(alert: Alert, style: TextStyle): string {
  const sev = paint(style, alert.severity, pad(alert.severity.toUpperCase(), 8));
  const head =
    `${pad(shortTime(alert.time), COLUMNS.time)} ${pad(alert.detector, COLUMNS.detector)} ${pad(`×${alert.count}`, COLUMNS.count)} ` +
    `${pad(clip(alert.server, COLUMNS.server), COLUMNS.server)} ${pad(clip(alert.session ?? '-', COLUMNS.session), COLUMNS.session)} ` +
    `${pad(clip(alert.principal ?? '-', COLUMNS.principal), COLUMNS.principal)} `;
  return `${sev} ${head}${clip(alert.title, Math.max(20, style.width - 8 - 1 - head.length))}`;
}

/** Most severe first; within a severity, in the order they happened. */
export function byPriority(alerts: readonly Alert[]): Alert[] {
  return [...alerts].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}

export function formatSummary(alerts: readonly Alert[], style: TextStyle): string[] {
  const bySeverity = new Map<Severity, number>();
  const byCategory = new Map<string, number>();
  for (const a of alerts) {
    bySeverity.set(a.severity, (bySeverity.get(a.severity) ?? 0) + 1);
    byCategory.set(a.category, (byCategory.get(a.category) ?? 0) + 1);
  }
  const sev = SEVERITIES.filter((s) => bySeverity.has(s)).map((s) => paint(style, s, `${s} ${bySeverity.get(s)}`));
  const cat = CATEGORIES.filter((c) => byCategory.has(c)).map((c) => `${c} ${byCategory.get(c)}`);
  return [
    `${alerts.length} alert${alerts.length === 1 ? '' : 's'}${sev.length ? ` — by severity: ${sev.join(', ')}` : ''}`,
    ...(cat.length ? [`by category: ${cat.join(', ')}`] : []),
  ];
}

export function formatInputStats(input: NormalizeStats, totals: SessionTotals): string[] {
  const formats = Object.entries(input.byFormat)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([f, n]) => `${f} ${n}`)
    .join(', ');
  const lines = [
    `read ${input.lines} log lines → ${input.events} events${formats ? ` (${formats})` : ''}, ${input.unparsed} unparsed and skipped${input.tooDeep > 0 ? ` (skipped: nesting too deep ${input.tooDeep})` : ''}`,
    `${totals.findings} findings, ${totals.suppressed} suppressed by allow-lists/suppressions, ${totals.stormSuppressed} folded by the storm cap`,
  ];
  const shadow = Object.entries(totals.shadowFindings);
  if (shadow.length) lines.push(`shadow mode (not alerted): ${shadow.map(([d, n]) => `${d} ${n}`).join(', ')}`);
  const errors = Object.entries(totals.detectorErrors);
  if (errors.length) lines.push(`detector errors (please report): ${errors.map(([d, n]) => `${d} ${n}`).join(', ')}`);
  if (input.timestampsInferred > 0)
    lines.push(`${input.timestampsInferred} lines without a timestamp took the previous line's time (or the file's modification time)`);
  if (input.itemsSkipped > 0) lines.push(`${input.itemsSkipped} unreadable OTLP spans or log records skipped (the rest of their lines was read)`);
  if (input.unparsedSamples.length) lines.push(`first unparsed line: ${input.unparsedSamples[0]}`);
  return lines;
}

export function formatReport(alerts: readonly Alert[], input: NormalizeStats, totals: SessionTotals, style: TextStyle): string {
  const header =
    `${pad('SEVERITY', 8)} ${pad('TIME', COLUMNS.time)} ${pad('DETECTOR', COLUMNS.detector)} ${pad('COUNT', COLUMNS.count)} ` +
    `${pad('SERVER', COLUMNS.server)} ${pad('SESSION', COLUMNS.session)} ${pad('PRINCIPAL', COLUMNS.principal)} TITLE`;
  const rows = byPriority(alerts).map((a) => formatAlertLine(a, style));
  return [...(rows.length ? [header, ...rows, ''] : []), ...formatSummary(alerts, style), ...formatInputStats(input, totals)].join('\n');
}
