/**
 * Debian's chromium for the browser tests (puppeteer-core drives it; no browser download is
 * possible here). When /usr/bin/chromium is missing it is installed with apt-get, as .ci/run does;
 * only when that is impossible (not root, no apt-get, install failed) does `chromiumProblem` say why,
 * and the browser tests skip with that message.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';

let problem: string | undefined | null = null;

function install(): string | undefined {
  if (process.getuid?.() !== 0)
    return `${CHROMIUM} is missing and the tests do not run as root to apt-get install it (run .ci/run, or apt-get install -y chromium)`;
  const aptGet = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
    encoding: 'utf8',
    timeout: 900_000,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (aptGet.error) return `${CHROMIUM} is missing and apt-get could not run: ${aptGet.error.message}`;
  if (!existsSync(CHROMIUM))
    return `${CHROMIUM} is missing and apt-get install -y chromium failed (exit ${aptGet.status}): ${aptGet.stderr.slice(-400)}`;
  return undefined;
}

/** Why chromium cannot be used here, or `undefined` when it is ready (installing it if needed). */
export function chromiumProblem(): string | undefined {
  if (problem === null) problem = existsSync(CHROMIUM) ? undefined : install();
  return problem;
}

/** Launch arguments: headless, no sandbox (containers run as root), nothing that phones home, a fresh profile. */
export function chromiumArgs(): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${mkdtempSync(join(tmpdir(), 'wt-chromium-'))}`,
  ];
}
