import type { Alert } from '../../engine/alerts/alert.js';

/** `--output json`: exactly one JSON object per alert per line (the published alert body). */
export function alertJsonLine(alert: Alert): string {
  return JSON.stringify(alert);
}
