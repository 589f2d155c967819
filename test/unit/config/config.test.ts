import { describe, expect, it } from 'vitest';
import { parseEngineConfigText } from '../../../functions/engine/config/yaml-source.js';
import { defaultEngineConfig } from '../../../functions/engine/config/defaults.js';
import { ALL_DETECTORS } from '../../../functions/engine/detectors/registry.js';

function errorsOf(yaml: string): string[] {
  const result = parseEngineConfigText(yaml, ALL_DETECTORS, 'watchtower.config.yaml');
  return result.ok ? [] : result.errors;
}

describe('engine config', () => {
  it('an empty file yields the defaults: every detector enabled, in alert mode', () => {
    const result = parseEngineConfigText('', ALL_DETECTORS);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toEqual(defaultEngineConfig());
    for (const d of ALL_DETECTORS) expect(result.config.detectors[d.meta.id]).toMatchObject({ enabled: true, mode: 'alert' });
    expect(result.config.alerts).toEqual({ dedupSeconds: 3600, stormCap: 50, evidenceMaxBytes: 2048 });
  });

  it('overrides a threshold and keeps the other defaults', () => {
    const result = parseEngineConfigText('detectors:\n  AUTH-BRUTE-FORCE:\n    threshold: 8\n', ALL_DETECTORS);
    expect(result.ok && result.config.detectors['AUTH-BRUTE-FORCE']).toMatchObject({ threshold: 8, windowSeconds: 300 });
  });

  it('names the key and suggests the right spelling for a typo', () => {
    expect(errorsOf('detectors:\n  AUTH-BRUTE-FORCE:\n    treshold: 8\n')).toEqual([
      'detectors.AUTH-BRUTE-FORCE.treshold: unknown key (did you mean "threshold"?)',
    ]);
  });

  it('rejects unknown detectors with a suggestion', () => {
    expect(errorsOf('detectors:\n  AUTH-BRUTE-FORCES: {}\n')[0]).toBe(
      'detectors.AUTH-BRUTE-FORCES: unknown key (did you mean "AUTH-BRUTE-FORCE"?)',
    );
  });

  it('reports wrong types and ranges with the path', () => {
    const errors = errorsOf('detectors:\n  AUTH-BRUTE-FORCE:\n    threshold: 0\n    mode: loud\n').sort();
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^detectors\.AUTH-BRUTE-FORCE\.mode: Invalid option/);
    expect(errors[1]).toMatch(/^detectors\.AUTH-BRUTE-FORCE\.threshold: Too small/);
  });

  it('checks CIDRs and suppressions semantically', () => {
    const errors = errorsOf(
      'allowLists:\n  cidrs: [10.0.0.0/33]\nsuppressions:\n  - detector: NOPE\n    reason: x\n  - reason: only a reason\n',
    );
    expect(errors).toEqual([
      'allowLists.cidrs[0]: "10.0.0.0/33" is not a CIDR (e.g. 10.0.0.0/8)',
      'suppressions[0].detector: unknown detector "NOPE"',
      'suppressions[1]: needs at least one of detector, server, principal, cidr, tool, session',
    ]);
  });

  it('requires a reason for every suppression', () => {
    expect(errorsOf('suppressions:\n  - detector: AUTH-BRUTE-FORCE\n')[0]).toMatch(/^suppressions\[0\]\.reason: /);
  });

  it('reports YAML syntax errors with line and column', () => {
    expect(errorsOf('detectors:\n  AUTH-BRUTE-FORCE: {threshold: 5\n')[0]).toMatch(/^watchtower\.config\.yaml:\d+:\d+: /);
  });

  it('accepts the deployment section as opaque (validated by the CDK app)', () => {
    const result = parseEngineConfigText('deployment:\n  stackName: X\n  anything: [1, 2]\n', ALL_DETECTORS);
    expect(result.ok).toBe(true);
  });
});
