/**
 * `replay <files...|->`: run log files (or stdin) through the engine as if they had just arrived,
 * and report what would have fired.
 */
import { AlertCollector } from '../alert-collector.js';
import type { DetectionOptions } from '../common-options.js';
import { loadCliEngine } from '../engine-loader.js';
import { expandInputs, readRecords } from '../input.js';
import { writeLine, type CliIo } from '../io.js';
import { writeHtmlReport } from '../output/html-report.js';
import { alertJsonLine } from '../output/json-lines.js';
import { formatInputStats, formatReport, formatSummary } from '../output/text-report.js';
import { createStateStore } from '../runtime.js';
import { DetectionSession } from '../session.js';
import { UsageError } from '../usage-error.js';
import { detectionExitCode } from '../exit-status.js';
import type { AlertSink } from '../../engine/alerts/sink.js';
import type { StateStore } from '../../engine/state/port.js';
import { findingTarget, textStyle } from '../output/alert-printer.js';
import { findingLine, isFindingFormat } from '../output/finding-lines.js';
import type { Alert } from '../../engine/alerts/alert.js';

export interface ReplayDeps {
  /** Overrides the state store chosen by options (tests, `--state dynamodb`). */
  readonly store?: StateStore;
  /** Also publish every alert here (e.g. an SNS topic), after printing collection. */
  readonly publishTo?: AlertSink;
  /** `--html <file>`: also write the triage page there. */
  readonly htmlFile?: string;
}

export async function replay(inputs: readonly string[], options: DetectionOptions, io: CliIo, deps: ReplayDeps = {}): Promise<number> {
  if (inputs.length === 0) {
    throw new UsageError('nothing to replay: name log files or directories, or - to read stdin (e.g. replay examples/logs)');
  }
  const { engine } = loadCliEngine(options);
  const files = expandInputs(inputs);
  const store = deps.store ?? (await createStateStore(options));
  // Every alert and lifecycle event in order, for --output asff|ocsf.
  const timeline: Alert[] = [];
  const collector = new AlertCollector((alert) => timeline.push(alert), (event) => timeline.push(event));
  const sink: AlertSink = deps.publishTo
    ? {
        publish: async (alert) => {
          await deps.publishTo?.publish(alert);
          await collector.publish(alert);
        },
        repeat: (r) => collector.repeat(r),
        lifecycle: async (event) => {
          await deps.publishTo?.lifecycle?.(event);
          await collector.lifecycle(event);
        },
      }
    : collector;
  const target = findingTarget(options);
  const session = new DetectionSession(engine, store, sink, options.format, target, isFindingFormat(options.output));
  for (const file of files) {
    for await (const records of readRecords(file, options.batchSize, io.stdin)) await session.feed(records);
  }
  await session.finish();
  // Servers that went silent before the end of the logs: evaluate absence at the last event time.
  if (session.totals.latestEventTs > 0) await session.tick(session.totals.latestEventTs);

  const alerts = collector.alerts;
  const output = options.output;
  if (output !== 'text') {
    if (isFindingFormat(output)) for (const event of timeline) writeLine(io.stdout, findingLine(event, output, target));
    else for (const alert of alerts) writeLine(io.stdout, alertJsonLine(alert));
    const style = { colour: false, width: 120 };
    for (const line of [...formatSummary(alerts, style), ...formatInputStats(session.input, session.totals)]) writeLine(io.stderr, line);
  } else {
    const style = textStyle(io);
    writeLine(io.stdout, formatReport(alerts, session.input, session.totals, style));
  }
  if (deps.htmlFile !== undefined) {
    writeHtmlReport(deps.htmlFile, { alerts, input: session.input, generatedAt: new Date() });
    writeLine(io.stderr, `wrote the HTML triage report to ${deps.htmlFile}`);
  }
  return detectionExitCode(session, alerts, options.failOn, io);
}
