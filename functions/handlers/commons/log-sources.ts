/**
 * Which log groups the ingest function processes. Its own log groups never: the alert log lines it
 * writes would come back as input. With an account-level subscription policy (which covers every
 * log group), only the configured sources: exact names or name prefixes.
 */
import type { HandlerSettings } from './settings.js';

export type LogGroupDecision = 'source' | 'own' | 'not-a-source';

export class LogGroupFilter {
  private readonly names: ReadonlySet<string>;

  constructor(
    private readonly ownPrefixes: readonly string[],
    names: readonly string[],
    private readonly prefixes: readonly string[],
  ) {
    this.names = new Set(names);
  }

  static from(settings: Pick<HandlerSettings, 'ownLogGroupPrefixes' | 'sourceLogGroupNames' | 'sourceLogGroupPrefixes'>): LogGroupFilter {
    return new LogGroupFilter(settings.ownLogGroupPrefixes, settings.sourceLogGroupNames, settings.sourceLogGroupPrefixes);
  }

  decide(logGroup: string): LogGroupDecision {
    if (this.ownPrefixes.some((prefix) => logGroup.startsWith(prefix))) return 'own';
    if (this.names.size === 0 && this.prefixes.length === 0) return 'source';
    if (this.names.has(logGroup) || this.prefixes.some((prefix) => logGroup.startsWith(prefix))) return 'source';
    return 'not-a-source';
  }
}
