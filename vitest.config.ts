import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Integration tests start DynamoDB Local (a JVM) and fauxqs; give them room on slow machines.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // AWS SDK >= 3.981.2 warns on Node < 22 (these machines run Node 20; Lambda runs 24).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // DynamoDB Local and fauxqs, started once per run for test/integration (test/helpers/emulators.ts).
    globalSetup: ['test/helpers/emulators-global-setup.ts'],
  },
});
