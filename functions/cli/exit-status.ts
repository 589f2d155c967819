/**
 * How a detection command ends, said out loud: nothing read or nothing parsed is a usage problem
 * (exit 2, with the reason), and a `--fail-on` gate names the alerts that tripped it (exit 3).
 * Messages go to stderr so `--output json` keeps stdout to alerts only.
 */
import type { Alert } from '../engine/alerts/alert.js';
import { atLeast, type Severity } from '../engine/alerts/severity.js';
import { writeLine, type CliIo } from './io.js';
import { byPriority } from './output/text-report.js';
import type { DetectionSession } from './session.js';
import { describeNothingParsed } from './unparsed-reason.js';
import { EXIT_ALERTS, EXIT_OK, EXIT_USAGE } from './usage-error.js';

/** Tripping alerts named in the message; the rest are counted. */
const NAMED = 3;

function describeAlert(alert: Alert): string {
  const who = [alert.session ? `session ${alert.session}` : undefined, alert.principal ? `principal ${alert.principal}` : undefined]
    .filter((part) => part !== undefined)
    .join(', ');
  return `${alert.severity.toUpperCase()} ${alert.detector} on ${alert.server} at ${alert.time}${who ? ` (${who})` : ''}: ${alert.title}`;
}

/** The message for a tripped `--fail-on` gate, or undefined when it did not trip. */
export function failOnMessage(alerts: readonly Alert[], failOn: Severity): string | undefined {
  const tripped = byPriority(alerts.filter((a) => atLeast(a.severity, failOn)));
  if (tripped.length === 0) return undefined;
  const named = tripped.slice(0, NAMED).map(describeAlert);
  const more = tripped.length > NAMED ? `; and ${tripped.length - NAMED} more` : '';
  return `--fail-on ${failOn}: ${tripped.length} alert${tripped.length === 1 ? '' : 's'} at or above ${failOn} — ${named.join('; ')}${more}`;
}

/** Exit code of replay/watch, with the reason on stderr when it is not 0. */
export function detectionExitCode(session: DetectionSession, alerts: readonly Alert[], failOn: Severity | undefined, io: CliIo): number {
  const input = session.input;
  if (input.lines === 0) {
    writeLine(io.stderr, 'mcp-watchtower: no log lines read: nothing to detect on');
    return EXIT_USAGE;
  }
  if (input.unparsed === input.lines) {
    writeLine(io.stderr, `mcp-watchtower: ${describeNothingParsed(input.lines, session.unparsedReasons)}`);
    return EXIT_USAGE;
  }
  const tripped = failOn === undefined ? undefined : failOnMessage(alerts, failOn);
  if (tripped !== undefined) {
    writeLine(io.stderr, `mcp-watchtower: ${tripped}`);
    return EXIT_ALERTS;
  }
  return EXIT_OK;
}
