import type { Alert } from '../../engine/alerts/alert.js';
import { writeLine, type CliIo } from '../io.js';
import { alertJsonLine } from './json-lines.js';
import { formatAlertLine, type TextStyle } from './text-report.js';

/** Colours only on a terminal, and never with NO_COLOR set. */
export function textStyle(io: CliIo): TextStyle {
  return { colour: io.stdout.isTTY === true && io.env.NO_COLOR === undefined, width: io.stdout.columns ?? 160 };
}

/** Prints one alert as it fires: a JSON line, or a table row. */
export function alertPrinter(output: 'text' | 'json', io: CliIo): (alert: Alert) => void {
  const style = textStyle(io);
  return (alert) => writeLine(io.stdout, output === 'json' ? alertJsonLine(alert) : formatAlertLine(alert, style));
}
