/**
 * What the handlers check at cold start: their environment, the bundled engine config (an invalid
 * one fails the init with every validation error), and which log groups they read.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineConfigError, loadHandlerEngine } from '../../../functions/handlers/commons/engine-config.js';
import { LogGroupFilter } from '../../../functions/handlers/commons/log-sources.js';
import { handlerSettingsFrom, SettingsError } from '../../../functions/handlers/commons/settings.js';
import { ALL_DETECTORS } from '../../../functions/engine/detectors/registry.js';

function jsonErrorOf(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${text} is JSON`);
}

function configFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'watchtower-cold-')), 'watchtower.config.json');
  writeFileSync(file, text);
  return file;
}

describe('handler settings', () => {
  it('reads the environment the stack sets', () => {
    expect(
      handlerSettingsFrom({
        STATE_TABLE_NAME: 'state',
        ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:alerts',
        WATCHTOWER_CONFIG_FILE: '/var/task/watchtower.config.json',
        OWN_LOG_GROUP_PREFIXES: '/aws/lambda/Ingest, /aws/lambda/ConfigChange',
        SOURCE_LOG_GROUP_NAMES: '/ecs/files-mcp',
        SOURCE_LOG_GROUP_PREFIXES: '/aws/lambda/mcp-',
      }),
    ).toEqual({
      tableName: 'state',
      topicArn: 'arn:aws:sns:us-east-1:123456789012:alerts',
      configFile: '/var/task/watchtower.config.json',
      ownLogGroupPrefixes: ['/aws/lambda/Ingest', '/aws/lambda/ConfigChange'],
      sourceLogGroupNames: ['/ecs/files-mcp'],
      sourceLogGroupPrefixes: ['/aws/lambda/mcp-'],
    });
  });

  it('names every missing variable', () => {
    expect(() => handlerSettingsFrom({ STATE_TABLE_NAME: ' ' })).toThrow(
      new SettingsError('mcp-watchtower handler: missing environment variable(s) STATE_TABLE_NAME, ALERT_TOPIC_ARN'),
    );
  });
});

describe('engine config at cold start', () => {
  it('uses the built-in defaults without a file: every detector', () => {
    expect(loadHandlerEngine(undefined).detectors).toHaveLength(ALL_DETECTORS.length);
  });

  it('applies the bundled JSON config', () => {
    const engine = loadHandlerEngine(configFile(JSON.stringify({ detectors: { 'AUTH-BRUTE-FORCE': { enabled: false } } })));
    expect(engine.detectors.map((d) => d.detector.meta.id)).not.toContain('AUTH-BRUTE-FORCE');
    expect(engine.detectors).toHaveLength(ALL_DETECTORS.length - 1);
  });

  it('fails with every validation error', () => {
    const file = configFile(JSON.stringify({ alerts: { dedupSeconds: -1 }, detectors: { 'AUTH-BRUTE-FORCE': { threshold: 'five' } }, bogus: 1 }));
    let error: unknown;
    try {
      loadHandlerEngine(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineConfigError);
    const message = (error as Error).message;
    expect(message.startsWith(`invalid engine config ${file}:`)).toBe(true);
    expect(message).toContain('alerts.dedupSeconds');
    expect(message).toContain('detectors.AUTH-BRUTE-FORCE.threshold');
    expect(message).toContain('bogus: unknown key');
  });

  it('reads JSON only (the CDK app writes JSON; the YAML parser is not in the bundle)', () => {
    const file = configFile('alerts:\n  stormCap: 5\n');
    expect(() => loadHandlerEngine(file)).toThrow(new EngineConfigError(`invalid engine config ${file}: not JSON (${jsonErrorOf('alerts:\n  stormCap: 5\n')})`));
  });

  it('fails on a missing file', () => {
    expect(() => loadHandlerEngine('/no/such/watchtower.config.json')).toThrow('cannot read engine config /no/such/watchtower.config.json: ENOENT');
  });

  it('fails the ingest function\'s cold start on an invalid config', async () => {
    process.env.STATE_TABLE_NAME = 'state';
    process.env.ALERT_TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:alerts';
    process.env.AWS_REGION = 'us-east-1';
    process.env.WATCHTOWER_CONFIG_FILE = configFile('{"alerts": {"stormCap": 0}}');
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    await expect(import('../../../functions/handlers/ingest.js')).rejects.toThrow(/invalid engine config .*alerts\.stormCap/s);
  });
});

describe('log groups the ingest function reads', () => {
  it('never its own; with a source list, only those', () => {
    const everything = new LogGroupFilter(['/aws/lambda/Stack-Ingest'], [], []);
    expect(everything.decide('/aws/lambda/Stack-Ingest1A2B')).toBe('own');
    expect(everything.decide('/ecs/anything')).toBe('source');
    const listed = new LogGroupFilter(['/aws/lambda/Stack-Ingest'], ['/ecs/files-mcp'], ['/aws/lambda/mcp-']);
    expect(listed.decide('/ecs/files-mcp')).toBe('source');
    expect(listed.decide('/aws/lambda/mcp-git')).toBe('source');
    expect(listed.decide('/ecs/files-mcp-2')).toBe('not-a-source');
    expect(listed.decide('/aws/lambda/Stack-Ingest')).toBe('own');
  });
});
