/**
 * `replay --html`: the triage page of the example alerts (examples/logs) opened in a real headless
 * chromium (Debian's, driven by puppeteer-core): the alerts are shown, the severity and category
 * filters work, the page makes no external request and logs no console error (a CSP violation
 * would be one), and attacker-controlled alert text stays inert text.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../functions/engine/alerts/alert.js';
import { renderHtmlReport } from '../../functions/cli/output/html-report.js';
import { CHROMIUM, chromiumArgs, chromiumProblem } from '../helpers/chromium.js';
import { runCliCaptured } from '../helpers/cli-io.js';

const problem = chromiumProblem();
if (problem !== undefined) console.warn(`browser tests skipped: ${problem}`);

const dir = mkdtempSync(join(tmpdir(), 'wt-html-'));
let browser: Browser | undefined;

interface Opened {
  page: Page;
  requests: string[];
  consoleErrors: string[];
  dialogs: string[];
}

async function open(file: string): Promise<Opened> {
  if (!browser) throw new Error('no browser');
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  const opened: Opened = { page, requests: [], consoleErrors: [], dialogs: [] };
  page.on('request', (r) => opened.requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') opened.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => opened.consoleErrors.push(String(e)));
  page.on('dialog', (d) => {
    opened.dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return opened;
}

// This TypeScript project has no DOM types: page-side values are read through narrow casts.
const textOf = (page: Page): Promise<string> => page.evaluate('document.body.innerText') as Promise<string>;
const xss = (page: Page): Promise<unknown> => page.evaluate('window.__xss');
const visibleIncidents = (page: Page): Promise<number> =>
  page.$$eval('.incident', (els) => els.filter((e) => !(e as unknown as { hidden: boolean }).hidden).length);
const visibleMarks = (page: Page): Promise<number> =>
  page.$$eval('.mark', (els) => els.filter((e) => !(e as unknown as { hidden: boolean }).hidden).length);
const toggle = (page: Page, kind: string, value: string): Promise<void> =>
  page.click(`input[data-filter="${kind}"][value="${value}"]`);

beforeAll(async () => {
  if (problem !== undefined) return;
  browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: chromiumArgs() });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('replay --html in headless chromium', () => {
  it('shows the example alerts, filters by severity and category, and stays offline', async (ctx) => {
    if (problem !== undefined) ctx.skip(problem);
    const report = join(dir, 'report.html');
    const run = await runCliCaptured(['replay', 'examples/logs', '--output', 'json', '--html', report], {});
    expect(run.code).toBe(0);
    const alerts = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Alert);
    const incidents = new Map<string, Alert>();
    for (const a of alerts) if (!incidents.has(a.fingerprint)) incidents.set(a.fingerprint, a);
    expect(incidents.size).toBeGreaterThan(20);

    const { page, requests, consoleErrors, dialogs } = await open(report);
    expect(await page.$$eval('.incident', (els) => els.length)).toBe(incidents.size);
    expect(await visibleIncidents(page)).toBe(incidents.size);
    expect(await visibleMarks(page)).toBe(incidents.size);
    const text = await textOf(page);
    for (const a of incidents.values()) expect(text).toContain(a.title);
    // One timeline lane per server.
    const servers = new Set([...incidents.values()].map((a) => a.server));
    expect(await page.$$eval('.server-lane', (els) => els.length)).toBe(servers.size);
    // Evidence, runbook and references of an incident.
    const ssrf = [...incidents.values()].find((a) => a.detector === 'API-SSRF');
    expect(ssrf).toBeDefined();
    const details = await page.$eval(`#inc-${ssrf?.fingerprint ?? ''}`, (e) => {
      (e as unknown as { open: boolean }).open = true;
      return (e as unknown as { innerText: string }).innerText;
    });
    expect(details).toContain('169.254.169.254');
    expect(details).toContain(ssrf?.runbook.slice(0, 40));
    expect(details).toContain(ssrf?.references[0]?.title);
    await (await page.$(`#inc-${ssrf?.fingerprint ?? ''}`))?.screenshot({ path: join(dir, 'incident.png') });

    // Severity filter: hide low.
    const notLow = [...incidents.values()].filter((a) => a.severity !== 'low').length;
    await toggle(page, 'severity', 'low');
    expect(await visibleIncidents(page)).toBe(notLow);
    expect(await visibleMarks(page)).toBe(notLow);
    expect(await page.$eval('#shown', (e) => e.textContent)).toBe(String(notLow));
    // Category filter on top: hide auth too.
    const neither = [...incidents.values()].filter(
      (a) => a.severity !== 'low' && a.category !== 'auth',
    ).length;
    await toggle(page, 'category', 'auth');
    expect(await visibleIncidents(page)).toBe(neither);
    expect(neither).toBeLessThan(notLow);
    // Back on: everything again.
    await toggle(page, 'severity', 'low');
    await toggle(page, 'category', 'auth');
    expect(await visibleIncidents(page)).toBe(incidents.size);

    await page.screenshot({ path: join(dir, 'report.png'), fullPage: false });
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    expect(requests).toHaveLength(1);
    expect(consoleErrors).toEqual([]);
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it('keeps attacker-controlled alert text inert', async (ctx) => {
    if (problem !== undefined) ctx.skip(problem);
    const payload = (n: number): string =>
      `<img src=x onerror="window.__xss=${n}"><script>window.__xss=${n}</script>`;
    const hostile: Alert = {
      detector: 'API-INJECTION',
      category: 'api',
      severity: 'high',
      title: `Path traversal in ${payload(1)}`,
      description: `desc ${payload(2)}`,
      fingerprint: '"><svg onload=alert(1)>',
      time: '2026-11-24T10:00:00.000Z',
      firstSeen: '2026-11-24T10:00:00.000Z',
      lastSeen: '2026-11-24T10:00:01.000Z',
      count: 1,
      server: `"><script>window.__xss=3</script>`,
      session: `' onmouseover='window.__xss=4`,
      tool: `</script><script>window.__xss=5</script>`,
      evidence: { excerpt: `</pre>${payload(6)}`, nested: { k: '<iframe src="https://evil.example/">' } },
      references: [
        { id: 'X', title: payload(7), url: 'javascript:window.__xss=8' },
        { id: 'Y', title: 'ok', url: 'https://example.com/?q="><script>window.__xss=9</script>' },
      ],
      runbook: payload(10),
      source: { format: 'canonical', logGroup: '<b>lg</b>' },
    };
    const file = join(dir, 'hostile.html');
    writeFileSync(
      file,
      renderHtmlReport({ alerts: [hostile], generatedAt: new Date('2026-11-24T12:00:00Z') }),
    );
    const html = readFileSync(file, 'utf8');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<iframe');
    expect(html).not.toContain('href="javascript:');

    const { page, requests, consoleErrors, dialogs } = await open(file);
    const links = await page.$$eval('.references a', (els) =>
      els.map((e) => (e as unknown as { href: string }).href),
    );
    expect(await xss(page)).toBeUndefined();
    await page.$eval('.incident', (e) => ((e as unknown as { open: boolean }).open = true));
    await page.hover('.incident summary');
    await page.hover('.incident dd:nth-of-type(5)');
    expect(await xss(page)).toBeUndefined();
    // The payloads are shown as text, to be read by the analyst.
    const text = await textOf(page);
    expect(text).toContain(payload(1));
    // Evidence is shown as JSON: the payload's quotes are escaped there.
    expect(text).toContain(
      '"excerpt": "</pre><img src=x onerror=\\"window.__xss=6\\"><script>window.__xss=6</script>"',
    );
    expect(text).toContain('window.__xss=3');
    expect(await page.$$eval('script', (els) => els.length)).toBe(1);
    expect(await page.$$eval('img, iframe, svg', (els) => els.length)).toBe(0);
    // Only the http(s) reference became a link.
    expect(links).toHaveLength(1);
    expect(links[0]?.startsWith('https://example.com/')).toBe(true);
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});

describe('renderHtmlReport without a browser', () => {
  it('says so when nothing fired', () => {
    const html = renderHtmlReport({ alerts: [], generatedAt: new Date('2026-11-24T12:00:00Z') });
    expect(html).toContain('No alerts');
    expect(html).not.toMatch(/https?:\/\/(?!example)/);
  });

  it('groups repeats of one fingerprint into one incident, most severe first', () => {
    const alert = (
      fingerprint: string,
      severity: Alert['severity'],
      firstSeen: string,
      count: number,
    ): Alert => ({
      detector: 'API-LOOP',
      category: 'api',
      severity,
      title: `t-${fingerprint}-${firstSeen}`,
      description: 'd',
      fingerprint,
      time: firstSeen,
      firstSeen,
      lastSeen: firstSeen,
      count,
      server: 's',
      evidence: {},
      references: [],
      runbook: 'r',
    });
    const html = renderHtmlReport({
      alerts: [
        alert('aaaa', 'low', '2026-11-24T10:00:00.000Z', 2),
        alert('bbbb', 'critical', '2026-11-24T11:00:00.000Z', 1),
        alert('aaaa', 'medium', '2026-11-24T12:00:00.000Z', 3),
      ],
      generatedAt: new Date('2026-11-24T12:00:00Z'),
    });
    expect(html.match(/class="incident /g)).toHaveLength(2);
    expect(html.indexOf('id="inc-bbbb"')).toBeLessThan(html.indexOf('id="inc-aaaa"'));
    // The incident takes its most severe alert's severity and sums the counts.
    expect(html).toMatch(/id="inc-aaaa" data-severity="medium"/);
    expect(html).toContain('×5');
    expect(html).toContain('<h4>Occurrences</h4>');
  });
});
