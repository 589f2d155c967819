import type { Alert } from '../../engine/alerts/alert.js';
import { writeLine, type CliIo } from '../io.js';
import { findingLine, isFindingFormat, type FindingTarget, type OutputFormat } from './finding-lines.js';
import { alertJsonLine } from './json-lines.js';
import { formatAlertLine, type TextStyle } from './text-report.js';

/** Colours only on a terminal, and never with NO_COLOR set. */
export function textStyle(io: CliIo): TextStyle {
  return { colour: io.stdout.isTTY === true && io.env.NO_COLOR === undefined, width: io.stdout.columns ?? 160 };
}

/** Prints one alert as it fires: a JSON line, an ASFF or OCSF finding line, or a table row. */
export function alertPrinter(output: OutputFormat, io: CliIo, target: FindingTarget = {}): (alert: Alert) => void {
  const style = textStyle(io);
  if (isFindingFormat(output)) return (alert) => writeLine(io.stdout, findingLine(alert, output, target));
  return (alert) => writeLine(io.stdout, output === 'json' ? alertJsonLine(alert) : formatAlertLine(alert, style));
}

/** Account and region from the detection options (stamped on alerts, named in findings). */
export function findingTarget(options: { readonly awsAccountId?: string; readonly awsRegion?: string }): FindingTarget {
  return { ...(options.awsAccountId !== undefined ? { account: options.awsAccountId } : {}), ...(options.awsRegion !== undefined ? { region: options.awsRegion } : {}) };
}
