// Tests run inside workerd (the Workers runtime) with the storefront's own wrangler.toml bindings,
// real D1 migrations, and the Stripe emulator as an auxiliary Worker.
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// The plugin renames the Worker under test to `vitest-plugin-runner-<project name>` (no name here).
const STOREFRONT_RUNNER = 'vitest-plugin-runner-';

// Stripe's published example objects (reference data outside the repo, read by test/emulator/fixtures.test.ts
// as `stripe-fixtures?raw`): the first existing of these; when none exists the import fails naming them all.
const STRIPE_FIXTURE_PATHS = [
  process.env.STRIPE_FIXTURES,
  path.join(import.meta.dirname, '../shared/stripe/fixtures3.json'),
  '/work/shared/stripe/fixtures3.json',
].filter((p): p is string => Boolean(p));
const STRIPE_FIXTURES = STRIPE_FIXTURE_PATHS.find((p) => existsSync(p));
const MISSING_FIXTURES = '\0stripe-fixtures-missing';

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, 'migrations'));
  return {
    resolve: {
      alias: [{ find: /^stripe-fixtures(?=\?|$)/, replacement: STRIPE_FIXTURES ?? MISSING_FIXTURES }],
    },
    plugins: [
      {
        name: 'stripe-fixtures-missing',
        enforce: 'pre' as const,
        resolveId(id: string) {
          return id.startsWith(MISSING_FIXTURES) ? id : null;
        },
        load(id: string) {
          if (!id.startsWith(MISSING_FIXTURES)) return null;
          const tried = STRIPE_FIXTURE_PATHS.join(', ');
          return `throw new Error(${JSON.stringify(`Stripe fixtures not found; tried (set STRIPE_FIXTURES to override): ${tried}`)});`;
        },
      },
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          workers: [
            {
              // The Stripe emulator (emulator/), bundled by its globalSetup before the pool starts.
              name: 'stripe-emulator',
              modules: true,
              scriptPath: path.join(import.meta.dirname, '.wrangler/stripe-emulator/index.js'),
              compatibilityDate: '2026-11-01',
              durableObjects: { EMULATOR: { className: 'StripeEmulator', useSQLite: true } },
              bindings: {
                // Only a fallback: the storefront names its public URL on every request (x-emulator-public-url).
                PUBLIC_URL: 'http://localhost:8787/__stripe',
                // The app's emulator key (src/stripe/client.ts) and a second one, as a rolled key would be.
                SECRET_KEYS: 'sk_test_emulator,sk_test_emulator_rolled',
                PUBLISHABLE_KEYS: 'pk_test_emulator',
                WEBHOOK_SECRET: 'whsec_test_primary',
                CONNECT_WEBHOOK_SECRET: 'whsec_test_connect',
                WEBHOOK_URL: 'http://localhost/webhooks/stripe',
              },
              // Webhooks go to the storefront under test: the plugin runs it as the runner Worker.
              serviceBindings: { STOREFRONT: STOREFRONT_RUNNER },
            },
          ],
          bindings: {
            TEST_MIGRATIONS: migrations,
            // The origin the tests fetch (`SELF.fetch('http://localhost/...')`).
            PUBLIC_URL: 'http://localhost',
            COOKIE_SECRET: 'test-cookie-secret-0123456789abcdef',
            ADMIN_TOKEN: 'test-admin-token',
            STRIPE_SECRET_KEY: '',
            STRIPE_PUBLISHABLE_KEY: '',
            STRIPE_WEBHOOK_SECRET: 'whsec_test_primary',
            STRIPE_CONNECT_WEBHOOK_SECRET: 'whsec_test_connect',
          },
        },
      }),
    ],
    test: {
      include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
      exclude: ['test/e2e/**', 'test/bench/**', 'node_modules/**'],
      setupFiles: ['./test/setup.ts'],
      globalSetup: ['./emulator/global-setup.mjs'],
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  };
});
