/**
 * Findings that must not become alerts: those about trusted callers (allowLists.principals,
 * allowLists.cidrs — except detectors about content or server-side definitions) and those matching
 * an explicit, reasoned suppression.
 */
import type { EngineConfig, Suppression } from '../config/schema.js';
import type { DetectorMeta, Finding } from '../detectors/detector.js';
import { CidrSet } from '../net/ip.js';
import { GlobSet } from '../text/glob.js';

interface CompiledSuppression {
  readonly rule: Suppression;
  readonly until: number;
  readonly cidr?: CidrSet;
  readonly principal?: GlobSet;
  readonly tool?: GlobSet;
  readonly server?: GlobSet;
}

export class Suppressor {
  private readonly trustedPrincipals: GlobSet;
  private readonly trustedNetworks: CidrSet;
  private readonly rules: CompiledSuppression[];

  constructor(config: EngineConfig) {
    this.trustedPrincipals = new GlobSet(config.allowLists.principals);
    this.trustedNetworks = new CidrSet(config.allowLists.cidrs);
    this.rules = config.suppressions.map((rule) => ({
      rule,
      until: rule.until ? Date.parse(rule.until) : Infinity,
      ...(rule.cidr !== undefined ? { cidr: new CidrSet([rule.cidr]) } : {}),
      ...(rule.principal !== undefined ? { principal: new GlobSet([rule.principal]) } : {}),
      ...(rule.tool !== undefined ? { tool: new GlobSet([rule.tool]) } : {}),
      ...(rule.server !== undefined ? { server: new GlobSet([rule.server]) } : {}),
    }));
  }

  /** The reason a finding is suppressed, or undefined when it should alert. */
  reason(meta: DetectorMeta, finding: Finding): string | undefined {
    if (!meta.ignoresTrustedCallers) {
      if (finding.principal !== undefined && this.trustedPrincipals.matches(finding.principal)) return 'trusted principal';
      if (this.trustedNetworks.contains(finding.clientIp)) return 'trusted network';
    }
    for (const s of this.rules) {
      if (finding.ts > s.until) continue;
      if (s.rule.detector !== undefined && s.rule.detector !== meta.id) continue;
      if (s.rule.session !== undefined && s.rule.session !== finding.session) continue;
      if (s.server && !s.server.matches(finding.server)) continue;
      if (s.principal && !s.principal.matches(finding.principal)) continue;
      if (s.tool && !s.tool.matchesTool(finding.server, finding.tool)) continue;
      if (s.cidr && !s.cidr.contains(finding.clientIp)) continue;
      return s.rule.reason;
    }
    return undefined;
  }
}
