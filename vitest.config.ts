// Tests run inside workerd (the Workers runtime) with the storefront's own wrangler.toml bindings,
// real D1 migrations, and the Stripe emulator as an auxiliary Worker.
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, 'migrations'));
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          workers: [
            {
              // Placeholder until the emulator Worker (test/stripe-emulator) is built by globalSetup.
              name: 'stripe-emulator',
              modules: true,
              script: 'export default { fetch() { return new Response("no emulator", { status: 503 }); } };',
            },
          ],
          bindings: {
            TEST_MIGRATIONS: migrations,
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
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  };
});
