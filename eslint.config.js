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
    // esbuild keeps zod's whole `z` namespace, every locale included (~260 KB of the ingest bundle's
    // 1.5 MB budget), when it is imported as a value; `import * as z` lets it shake what is unused.
    files: ['functions/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'][importKind!='type'] > :matches(ImportSpecifier, ImportDefaultSpecifier)",
          message: "Use `import * as z from 'zod'` (keeps zod's locales out of the Lambda bundles).",
        },
      ],
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
