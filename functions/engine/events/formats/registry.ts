/**
 * Every source format the Normalizer reads, in the order they are tried: the first whose `detect`
 * accepts a line reads it. Specific shapes come before loose ones (a JSON logger envelope, tried
 * last, would also accept a line that holds a canonical event under `message`). Adding a format =
 * one module under ./formats/, its name in SourceFormat, one entry here, one fixture.
 */
import type { SourceFormat } from '../engine-event.js';
import { agentgatewayFormat } from './agentgateway.js';
import { apigwAccessFormat } from './apigw-access.js';
import { canonicalFormat } from './canonical.js';
import type { AnySourceFormat } from './format.js';
import { jsonrpcFormat } from './jsonrpc.js';
import { lambdaReportFormat } from './lambda-report.js';
import { lambdaTextFormat } from './lambda-text.js';
import { otlpFormat } from './otlp.js';

export const FORMAT_REGISTRY: readonly AnySourceFormat[] = [
  canonicalFormat,
  jsonrpcFormat,
  lambdaReportFormat,
  agentgatewayFormat,
  apigwAccessFormat,
  otlpFormat,
  lambdaTextFormat,
] as AnySourceFormat[];

/** The names of the registered formats, in detection order. */
export const SOURCE_FORMATS: readonly SourceFormat[] = FORMAT_REGISTRY.map((format) => format.name);
