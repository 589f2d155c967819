/** The `deployment:` section: schema defaults, validation errors, and splitting the config file. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DeploymentSchema } from '../../infra/config/deployment-schema.js';
import { ConfigFileError, loadConfigFile, splitConfigDocument } from '../../infra/config/load-config.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/watchtower.config.yaml', import.meta.url));

describe('DeploymentSchema', () => {
  it('fills every default from a minimal section', () => {
    expect(DeploymentSchema.parse({ sources: { logGroups: ['/aws/lambda/x'] } })).toEqual({
      stackName: 'McpWatchtower',
      sources: { logGroups: ['/aws/lambda/x'], logGroupPrefixes: [] },
      ingestion: { mode: 'direct' },
      alerts: { emails: [], httpsEndpoints: [], sqsQueues: [], lambdaFunctions: [] },
      encryption: {},
      logRetentionDays: 30,
      logLevel: 'INFO',
      removalPolicy: 'retain',
      ingestMemoryMb: 1024,
      ingestReservedConcurrency: 20,
      monitoredResources: {
        lambdaFunctionNames: [],
        ecsClusterNames: [],
        ecsTaskDefinitionFamilies: [],
        iamRoleNames: [],
        ssmParameterPrefixes: [],
        agentCoreGatewayIds: [],
      },
      servers: [],
      alarms: { anomalyStdDevs: 3, periodMinutes: 5 },
      integrations: { securityHub: { enabled: false }, chat: { enabled: false }, pagerDuty: { minSeverity: 'high' } },
    });
  });

  it('fills Kinesis defaults and leaves shardCount unset (on-demand)', () => {
    const parsed = DeploymentSchema.parse({
      sources: { logGroupPrefixes: ['/mcp/'] },
      ingestion: { mode: 'kinesis' },
    });
    expect(parsed.ingestion).toEqual({
      mode: 'kinesis',
      batchSize: 1000,
      parallelizationFactor: 2,
      maxBatchingWindowSeconds: 1,
      retentionHours: 24,
    });
  });

  const rejects = (section: unknown) => {
    const result = DeploymentSchema.safeParse(section);
    expect(result.success).toBe(false);
    return result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  it('requires at least one log group or prefix', () => {
    expect(rejects({ sources: {} })).toEqual(['sources: give at least one log group or log group prefix']);
  });

  it('rejects plain-HTTP endpoints, bad ARNs, unknown severities and unknown keys', () => {
    const base = { sources: { logGroups: ['/x'] } };
    expect(rejects({ ...base, alerts: { httpsEndpoints: [{ url: 'http://example.com/hook' }] } })).toEqual([
      'alerts.httpsEndpoints.0.url: HTTPS endpoints must use https://',
    ]);
    expect(
      rejects({ ...base, alerts: { sqsQueues: [{ queueArn: 'arn:aws:sns:us-east-1:111122223333:t' }] } }),
    ).toEqual(['alerts.sqsQueues.0.queueArn: expected an sqs ARN']);
    expect(
      rejects({ ...base, alerts: { emails: [{ address: 'a@example.com', minSeverity: 'urgent' }] } }),
    ).toHaveLength(1);
    expect(rejects({ ...base, sorces: {} })).toEqual([': Unrecognized key: "sorces"']);
  });

  it('rejects retention values CloudWatch Logs does not offer and out-of-range Kinesis settings', () => {
    expect(rejects({ sources: { logGroups: ['/x'] }, logRetentionDays: 31 })[0]).toMatch(
      /^logRetentionDays: logRetentionDays must be one of 1, 3, 5/,
    );
    expect(
      rejects({ sources: { logGroups: ['/x'] }, ingestion: { mode: 'kinesis', batchSize: 20_000 } }),
    ).toHaveLength(1);
    expect(
      rejects({ sources: { logGroups: ['/x'] }, ingestion: { mode: 'kinesis', parallelizationFactor: 11 } }),
    ).toHaveLength(1);
  });

  it('rejects server names that cannot be part of an alarm name', () => {
    expect(rejects({ sources: { logGroups: ['/x'] }, servers: ['files mcp'] })).toEqual([
      'servers.0: server names use only letters, digits and . _ - (they become alarm names)',
    ]);
  });
});

describe('config file loading', () => {
  it('splits the file into the validated deployment section and the untouched engine config (plus the embedded rules)', () => {
    const { deployment, engineConfig } = loadConfigFile(FIXTURE);
    expect(engineConfig).toEqual({
      detectors: { 'AUTH-BRUTE-FORCE': { threshold: 8 } },
      allowLists: { principals: ['ci-bot'] },
      ruleDocuments: expect.any(Array),
    });
    expect(deployment.stackName).toBe('McpWatchtowerTest');
    expect(deployment.ingestion).toEqual({
      mode: 'kinesis',
      batchSize: 500,
      parallelizationFactor: 2,
      maxBatchingWindowSeconds: 1,
      retentionHours: 24,
    });
    expect(deployment.logRetentionDays).toBe(90);
  });

  it('fails synth on an invalid engine section, naming the key', () => {
    const deployment = { sources: { logGroups: ['/x'] } };
    expect(() => splitConfigDocument({ deployment, detectors: { 'AUTH-BRUTE-FORCE': { treshold: 8 } } }, 'w.yaml')).toThrow(
      'w.yaml: invalid engine configuration\n  detectors.AUTH-BRUTE-FORCE.treshold: unknown key (did you mean "threshold"?)',
    );
  });

  it('names the file and the field in errors', () => {
    expect(() => splitConfigDocument({ detectors: {} }, 'w.yaml')).toThrow(
      new ConfigFileError('w.yaml: missing the `deployment:` section (see docs/deploy.md)'),
    );
    expect(() => splitConfigDocument({ deployment: { sources: { logGroups: [] } } }, 'w.yaml')).toThrow(
      /^w\.yaml: invalid `deployment:` section\n.*give at least one log group/s,
    );
    expect(() => splitConfigDocument(['a'], 'w.yaml')).toThrow(
      'w.yaml: expected a YAML mapping at the top level',
    );
    expect(() => loadConfigFile('/nonexistent/watchtower.config.yaml')).toThrow(/^cannot read config file/);
  });

  it('passes only plain JSON data to the bundle', () => {
    const { engineConfig } = splitConfigDocument(
      {
        deployment: { sources: { logGroups: ['/x'] } },
        suppressions: [{ server: 'files-mcp', reason: 'migration', until: new Date('2027-01-01T00:00:00Z') }],
      },
      'w.yaml',
    );
    expect(engineConfig).toEqual({
      suppressions: [{ server: 'files-mcp', reason: 'migration', until: '2027-01-01T00:00:00.000Z' }],
      ruleDocuments: expect.any(Array),
    });
  });
});

describe('docs/deploy.md', () => {
  const guide = readFileSync(fileURLToPath(new URL('../../docs/deploy.md', import.meta.url)), 'utf8');

  it('shows a deployment section that validates', () => {
    const block = /```yaml\n(deployment:[\s\S]*?)```/.exec(guide)?.[1];
    expect(block).toBeDefined();
    const document = parse(block!) as { deployment: unknown };
    expect(DeploymentSchema.safeParse(document.deployment).success).toBe(true);
  });

  it('documents every field of the deployment section', () => {
    for (const key of Object.keys(DeploymentSchema.shape)) {
      expect(guide, key).toMatch(new RegExp(`\\| \`${key}[.\`]`));
    }
  });
});
