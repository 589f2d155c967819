/**
 * `--output asff|ocsf`: one finding per line on stdout, ready to backfill Security Hub
 * (`aws securityhub batch-import-findings`, 100 lines at a time) or a data lake such as Amazon
 * Security Lake (OCSF Detection Finding). Lifecycle events (updates of open incidents and
 * resolutions) are printed too, so replaying them in order leaves each finding in its final state.
 */
import type { Alert } from '../../engine/alerts/alert.js';
import { toAsff } from '../../engine/alerts/formats/asff.js';
import { toOcsf } from '../../engine/alerts/formats/ocsf.js';

export const OUTPUTS = ['text', 'json', 'asff', 'ocsf'] as const;
export type OutputFormat = (typeof OUTPUTS)[number];
export type FindingFormat = 'asff' | 'ocsf';

export function isFindingFormat(output: string): output is FindingFormat {
  return output === 'asff' || output === 'ocsf';
}

export interface FindingTarget {
  readonly account?: string;
  readonly region?: string;
}

export function findingLine(alert: Alert, format: FindingFormat, target: FindingTarget): string {
  const options = { ...(target.account !== undefined ? { account: target.account } : {}), ...(target.region !== undefined ? { region: target.region } : {}) };
  return JSON.stringify(format === 'asff' ? toAsff(alert, options) : toOcsf(alert, options));
}
