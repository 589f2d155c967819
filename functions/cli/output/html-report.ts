/**
 * `replay --html <file>`: one self-contained triage page — no CDN, no external request (a
 * Content-Security-Policy with `default-src 'none'` and hashes for the one inline style and
 * script makes sure). Incidents (alerts grouped by fingerprint) on a timeline per server and listed
 * per server with evidence, runbook and references, filterable by severity and category.
 *
 * Alerts carry attacker-controlled strings (tool names, paths, evidence excerpts): every value is
 * HTML-escaped where it is written, and the CSP would block an injected script even if one were not.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Alert } from '../../engine/alerts/alert.js';
import { SEVERITIES, severityRank, type Severity } from '../../engine/alerts/severity.js';
import type { NormalizeStats } from '../../engine/events/normalize.js';
import { UsageError } from '../usage-error.js';

export interface HtmlReportInput {
  readonly alerts: readonly Alert[];
  readonly input?: NormalizeStats;
  /** When the report was made (shown in the header). */
  readonly generatedAt: Date;
}

/** One incident: the alerts of one fingerprint (repeats past the dedup window are separate alerts). */
interface Incident {
  readonly fingerprint: string;
  readonly first: Alert;
  readonly alerts: readonly Alert[];
  readonly severity: Severity;
  readonly count: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text or attribute value, safe inside HTML (element content and quoted attributes). */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function incidentsOf(alerts: readonly Alert[]): Incident[] {
  const byFingerprint = new Map<string, Alert[]>();
  for (const alert of alerts) {
    const list = byFingerprint.get(alert.fingerprint);
    if (list) list.push(alert);
    else byFingerprint.set(alert.fingerprint, [alert]);
  }
  const incidents: Incident[] = [];
  for (const [fingerprint, list] of byFingerprint) {
    const first = list[0] as Alert;
    let severity = first.severity;
    let count = 0;
    let firstSeen = first.firstSeen;
    let lastSeen = first.lastSeen;
    for (const a of list) {
      if (severityRank(a.severity) > severityRank(severity)) severity = a.severity;
      count += a.count;
      if (a.firstSeen < firstSeen) firstSeen = a.firstSeen;
      if (a.lastSeen > lastSeen) lastSeen = a.lastSeen;
    }
    incidents.push({ fingerprint, first, alerts: list, severity, count, firstSeen, lastSeen });
  }
  // Most severe first, then oldest first.
  return incidents.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      (a.firstSeen < b.firstSeen ? -1 : a.firstSeen > b.firstSeen ? 1 : 0),
  );
}

function anchorOf(incident: Incident): string {
  // Fingerprints are hex; anything else is reduced to safe characters.
  return `inc-${incident.fingerprint.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function filterAttrs(incident: Incident): string {
  return `data-severity="${escapeHtml(incident.severity)}" data-category="${escapeHtml(incident.first.category)}"`;
}

function safeUrl(url: string | undefined): string | undefined {
  return url !== undefined && /^https?:\/\/[^\s]+$/i.test(url) ? url : undefined;
}

function field(label: string, value: string | number | undefined): string {
  return value === undefined ? '' : `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`;
}

function evidenceText(evidence: Readonly<Record<string, unknown>>): string {
  try {
    return JSON.stringify(evidence, null, 2) ?? '{}';
  } catch {
    return '{}';
  }
}

function renderIncident(incident: Incident): string {
  const a = incident.first;
  const source = a.source
    ? [a.source.format, a.source.logGroup, a.source.logStream].filter((p) => p !== undefined).join(' · ')
    : undefined;
  const references = a.references
    .map((r) => {
      const url = safeUrl(r.url);
      const label = `${escapeHtml(r.id)}: ${escapeHtml(r.title)}`;
      return url
        ? `<li><a href="${escapeHtml(url)}" rel="noreferrer noopener" target="_blank">${label}</a></li>`
        : `<li>${label}</li>`;
    })
    .join('');
  const occurrences =
    incident.alerts.length > 1
      ? `<h4>Occurrences</h4><ul>${incident.alerts
          .map(
            (o) =>
              `<li>${escapeHtml(o.firstSeen)} – ${escapeHtml(o.lastSeen)} ×${escapeHtml(o.count)}: ${escapeHtml(o.title)}</li>`,
          )
          .join('')}</ul>`
      : '';
  return `<details class="incident sev-${escapeHtml(incident.severity)}" id="${anchorOf(incident)}" ${filterAttrs(incident)}>
<summary><span class="badge sev-${escapeHtml(incident.severity)}">${escapeHtml(incident.severity)}</span> <code>${escapeHtml(a.detector)}</code> <span class="title">${escapeHtml(a.title)}</span> <span class="meta">×${escapeHtml(incident.count)} · ${escapeHtml(incident.firstSeen)}</span></summary>
<div class="body">
<p>${escapeHtml(a.description)}</p>
<dl>${field('category', a.category)}${field('first seen', incident.firstSeen)}${field('last seen', incident.lastSeen)}${field('count', incident.count)}${field('session', a.session)}${field('principal', a.principal)}${field('client IP', a.clientIp)}${field('tool', a.tool)}${field('source', source)}${field('fingerprint', incident.fingerprint)}</dl>
<h4>Evidence</h4><pre class="evidence">${escapeHtml(evidenceText(a.evidence))}</pre>
<h4>Runbook</h4><p class="runbook">${escapeHtml(a.runbook)}</p>
${references ? `<h4>References</h4><ul class="references">${references}</ul>` : ''}
${occurrences}
</div></details>`;
}

function renderTimeline(servers: ReadonlyMap<string, Incident[]>, incidents: readonly Incident[]): string {
  if (incidents.length === 0) return '';
  let min = Infinity;
  let max = -Infinity;
  for (const i of incidents) {
    const f = Date.parse(i.firstSeen);
    const l = Date.parse(i.lastSeen);
    if (Number.isFinite(f)) min = Math.min(min, f);
    if (Number.isFinite(l)) max = Math.max(max, l);
    else if (Number.isFinite(f)) max = Math.max(max, f);
  }
  if (!Number.isFinite(min) || !Number.isFinite(max)) return '';
  const span = Math.max(max - min, 1);
  const pct = (iso: string): number => {
    const t = Date.parse(iso);
    return Number.isFinite(t) ? Math.min(100, Math.max(0, ((t - min) / span) * 100)) : 0;
  };
  const lanes = [...servers]
    .map(([server, list]) => {
      const marks = list
        .map((i) => {
          // Kept inside the track: an incident at the very end still shows its minimum width.
          const left = Math.min(pct(i.firstSeen), 99.4);
          const width = Math.max(pct(i.lastSeen) - left, 0.6);
          const label = `${i.severity} ${i.first.detector}: ${i.first.title} (${i.firstSeen})`;
          return `<a class="mark sev-${escapeHtml(i.severity)}" href="#${anchorOf(i)}" ${filterAttrs(i)} data-left="${left.toFixed(2)}" data-width="${width.toFixed(2)}" title="${escapeHtml(label)}" aria-label="${escapeHtml(label)}"></a>`;
        })
        .join('');
      return `<div class="lane server-lane" data-server="${escapeHtml(server)}"><div class="lane-name">${escapeHtml(server)}</div><div class="track">${marks}</div></div>`;
    })
    .join('\n');
  return `<section class="timeline"><h2>Timeline</h2><div class="axis"><span>${escapeHtml(new Date(min).toISOString())}</span><span>${escapeHtml(new Date(max).toISOString())}</span></div>
${lanes}</section>`;
}

function checkbox(kind: 'severity' | 'category', value: string, count: number): string {
  return `<label class="filter"><input type="checkbox" data-filter="${kind}" value="${escapeHtml(value)}" checked> ${escapeHtml(value)} <span class="n">${count}</span></label>`;
}

function inputSummary(input: NormalizeStats | undefined): string {
  if (!input) return '';
  const formats = Object.entries(input.byFormat)
    .map(([f, n]) => `${f} ${n ?? 0}`)
    .join(', ');
  const extras = [
    input.timestampsInferred > 0 ? `${input.timestampsInferred} timestamps inferred` : '',
    input.itemsSkipped > 0 ? `${input.itemsSkipped} OTLP items skipped` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `<p class="input">Read ${escapeHtml(input.lines)} log lines → ${escapeHtml(input.events)} events${formats ? ` (${escapeHtml(formats)})` : ''}, ${escapeHtml(input.unparsed)} unparsed${extras ? `; ${escapeHtml(extras)}` : ''}.</p>`;
}

const STYLE = `
:root{--critical:#b3001b;--high:#d9480f;--medium:#b08900;--low:#1c7ed6;--info:#868e96;--fg:#1d2329;--muted:#5c6670;--line:#dde2e6}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);margin:0;padding:16px 24px;max-width:1200px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:20px 0 8px}h3{font-size:15px;margin:16px 0 6px}h4{font-size:13px;margin:10px 0 4px;color:var(--muted)}
.muted,.input{color:var(--muted);margin:2px 0}[hidden]{display:none!important}
.filters{display:flex;flex-wrap:wrap;gap:6px 14px;padding:8px 0;border-bottom:1px solid var(--line)}.filters strong{margin-right:4px}
.filter{cursor:pointer;white-space:nowrap}.n{color:var(--muted);font-size:12px}
.badge{display:inline-block;min-width:64px;text-align:center;color:#fff;border-radius:3px;padding:0 6px;font-size:12px;text-transform:uppercase}
.sev-critical.badge,.sev-critical.mark{background:var(--critical)}.sev-high.badge,.sev-high.mark{background:var(--high)}
.sev-medium.badge,.sev-medium.mark{background:var(--medium)}.sev-low.badge,.sev-low.mark{background:var(--low)}.sev-info.badge,.sev-info.mark{background:var(--info)}
.axis{display:flex;justify-content:space-between;color:var(--muted);font-size:12px;margin-left:180px}
.lane{display:flex;align-items:center;height:22px;border-bottom:1px dashed var(--line)}.lane-name{width:180px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;font-size:12px}
.track{position:relative;flex:1;height:14px;background:#f4f6f8}.mark{position:absolute;top:1px;height:12px;min-width:6px;border-radius:2px;opacity:.85}
.incident{border:1px solid var(--line);border-left-width:5px;border-radius:4px;margin:6px 0;padding:4px 8px}
.incident.sev-critical{border-left-color:var(--critical)}.incident.sev-high{border-left-color:var(--high)}.incident.sev-medium{border-left-color:var(--medium)}.incident.sev-low{border-left-color:var(--low)}
summary{cursor:pointer}.meta{color:var(--muted);font-size:12px}.title{overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0}dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
pre.evidence{background:#f4f6f8;padding:8px;overflow:auto;max-height:320px;white-space:pre-wrap;overflow-wrap:anywhere;font-size:12px}
`;

const SCRIPT = `
(function () {
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[data-filter]'));
  function apply() {
    var on = { severity: {}, category: {} };
    boxes.forEach(function (b) { if (b.checked) on[b.getAttribute('data-filter')][b.value] = true; });
    var shown = 0;
    document.querySelectorAll('[data-severity]').forEach(function (el) {
      var visible = on.severity[el.getAttribute('data-severity')] === true && on.category[el.getAttribute('data-category')] === true;
      el.hidden = !visible;
      if (visible && el.classList.contains('incident')) shown++;
    });
    document.querySelectorAll('section.server').forEach(function (s) { s.hidden = !s.querySelector('.incident:not([hidden])'); });
    document.querySelectorAll('.server-lane').forEach(function (l) { l.hidden = !l.querySelector('.mark:not([hidden])'); });
    document.getElementById('shown').textContent = String(shown);
  }
  // Positions through the CSSOM: the CSP allows no inline style attributes.
  document.querySelectorAll('.mark').forEach(function (m) {
    m.style.left = m.getAttribute('data-left') + '%';
    m.style.width = m.getAttribute('data-width') + '%';
  });
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  apply();
})();
`;

function sha256Base64(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

/** The report page. Pure: same input, same page. */
export function renderHtmlReport({ alerts, input, generatedAt }: HtmlReportInput): string {
  const incidents = incidentsOf(alerts);
  const servers = new Map<string, Incident[]>();
  for (const i of incidents) {
    const list = servers.get(i.first.server);
    if (list) list.push(i);
    else servers.set(i.first.server, [i]);
  }
  const severityCounts = new Map<string, number>();
  const categoryCounts = new Map<string, number>();
  for (const i of incidents) {
    severityCounts.set(i.severity, (severityCounts.get(i.severity) ?? 0) + 1);
    categoryCounts.set(i.first.category, (categoryCounts.get(i.first.category) ?? 0) + 1);
  }
  const severityFilters = SEVERITIES.filter((s) => severityCounts.has(s))
    .map((s) => checkbox('severity', s, severityCounts.get(s) ?? 0))
    .join('');
  const categoryFilters = [...categoryCounts.keys()]
    .sort()
    .map((c) => checkbox('category', c, categoryCounts.get(c) ?? 0))
    .join('');
  const sections = [...servers]
    .map(
      ([server, list]) =>
        `<section class="server"><h3>${escapeHtml(server)} <span class="n">${list.length} incident${list.length === 1 ? '' : 's'}</span></h3>\n${list.map(renderIncident).join('\n')}</section>`,
    )
    .join('\n');
  const csp = `default-src 'none'; style-src 'sha256-${sha256Base64(STYLE)}'; script-src 'sha256-${sha256Base64(SCRIPT)}'; img-src 'none'; form-action 'none'; base-uri 'none'`;
  const body =
    incidents.length === 0
      ? '<p class="empty">No alerts: nothing fired on these logs.</p>'
      : `<div class="filters"><strong>Severity</strong>${severityFilters}<strong>Category</strong>${categoryFilters}<span class="muted">showing <span id="shown">${incidents.length}</span> of ${incidents.length} incidents</span></div>
${renderTimeline(servers, incidents)}
<h2>Incidents by server</h2>
${sections}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>mcp-watchtower triage report</title>
<style>${STYLE}</style></head>
<body>
<h1>mcp-watchtower triage report</h1>
<p class="muted">${incidents.length} incidents from ${alerts.length} alerts on ${servers.size} servers · generated ${escapeHtml(generatedAt.toISOString())}</p>
${inputSummary(input)}
${body}
<script>${SCRIPT}</script>
</body></html>
`;
}

/** Writes the report; a path that cannot be written is a usage error (exit 2). */
export function writeHtmlReport(file: string, report: HtmlReportInput): void {
  try {
    writeFileSync(file, renderHtmlReport(report), 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot write the HTML report to ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
