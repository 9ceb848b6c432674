import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

/** House rules: TypeScript's recommended checks everywhere, Svelte's in components. */
export default ts.config(
  { ignores: ['node_modules', 'dist', 'data', 'test-results', 'playwright-report', 'bench/results'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // A control character in a regular expression is how text rules refuse them (shared/limits.ts).
      'no-control-regex': 'off',
    },
  },
  // Type-aware: a switch over a union names every member or has a default for the rest, so a new
  // private op, command or message cannot fall through a switch without a word.
  {
    files: ['server/**/*.ts', 'shared/**/*.ts', 'client/src/**/*.ts'],
    ignores: ['**/*.svelte.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }] },
  },
  // The server writes through its logger (server/log/), never to the console.
  { files: ['server/**/*.ts'], rules: { 'no-console': 'error' } },
  // Preloaded into the benchmark's servers with `node --require`: CommonJS by necessity.
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
);
