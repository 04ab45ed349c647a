// Tests run inside workerd (the Workers runtime) with the storefront's own wrangler.toml bindings,
// real D1 migrations, and the Stripe emulator as an auxiliary Worker.
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// The plugin renames the Worker under test to `vitest-plugin-runner-<project name>` (no name here).
const STOREFRONT_RUNNER = 'vitest-plugin-runner-';

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, 'migrations'));
  return {
    plugins: [
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
