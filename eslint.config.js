import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'dist/', 'packages/*/dist/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The engine is pure: no AWS SDK, no environment, no wall clock (DESIGN.md, "Layers").
    files: ['functions/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@aws-sdk/*', '@aws-lambda-powertools/*', 'node:fs', 'node:child_process'] }],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Detectors take time from events or an injected clock.' },
        { object: 'process', property: 'env', message: 'The engine reads no environment; pass config in.' },
      ],
    },
  },
);
