// ESLint 9 flat config: typescript-eslint's type-aware `strict-type-checked` rules for the Worker and its
// tests (where the type information pays: floating promises, misused promises, unsafe any), the plain
// recommended rules for the Node scripts. Formatting is Prettier's job, not ESLint's.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '**/.wrangler/',
      'worker-configuration.d.ts',
      'test/e2e/screenshots/',
      'test/bench/results/',
      'public/',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }] },
  },
  {
    // The browser test's callbacks run in the page (page.evaluate), where window and document exist.
    files: ['test/e2e/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    // The browser scripts served from public/static are plain JS for the browser.
    files: ['public/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Template literals with numbers are how the code writes ids, amounts and keys.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `x!` after a check the compiler can't follow (regex groups, Map lookups just made) is deliberate.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Hono handlers and DO methods are async by contract even when they don't await.
      '@typescript-eslint/require-await': 'off',
      // Zod schemas and drizzle rows make defensive `?? ''` checks look "unnecessary" to the types.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    rules: {
      // `import { z } from 'zod'` pulls every locale into the bundle (about 66 KiB gzip); the namespace
      // import lets esbuild drop them. Types (`import type { z }`) are free.
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "ImportDeclaration[source.value='zod'][importKind='value'] > ImportSpecifier[imported.name='z'][importKind='value']",
          message: "Use `import * as z from 'zod'`: the named import bundles all of zod's locales.",
        },
      ],
    },
  },
  {
    // Tests keep `SELF` (the plugin marks it deprecated in favour of `exports.default`): switching every
    // suite is a change of its own.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-deprecated': 'off' },
  },
  {
    // The Stripe emulator is a development tool (and is moving to its own folder): the syntax-level
    // rules, without the type-aware strict set that pays in the Worker.
    files: ['test/stripe-emulator/**/*.ts', 'test/emulator/**/*.ts', 'emulator/**/*.ts', 'emulator/**/*.tsx'],
    extends: [tseslint.configs.disableTypeChecked],
    rules: {
      '@typescript-eslint/no-dynamic-delete': 'off',
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
      '@typescript-eslint/no-invalid-void-type': 'off',
    },
  },
  {
    // Config files are checked by tsconfig.node.json; no type-aware rules there.
    files: ['vitest.config.ts', 'drizzle.config.ts'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
