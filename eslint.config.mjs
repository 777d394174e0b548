import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', 'coverage/', 'node_modules/', 'test/generated/', 'web/src/generated/']),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.mjs', 'jest.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // type-graphql resolvers are async by signature even when a branch needs no await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Services take a typed actor and return plain results; GraphQL stays in the resolvers.
    files: ['src/**/*.service.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/graphql/*'], message: 'Services never import from src/graphql.' }] }],
    },
  },
  {
    // The access rules decide on plain facts; GraphQL stays above the services.
    files: ['src/modules/access/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['type-graphql', 'graphql', 'graphql-*', '@apollo/*', '**/graphql/*'], message: 'access/ knows nothing of GraphQL.' }] },
      ],
    },
  },
  {
    // Tests read raw JSON responses (untyped by nature) to check status codes and error shapes.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } },
  },
);
