// Vitest globalSetup: bundles the Stripe emulator Worker (emulator/src) with esbuild into
// .wrangler/stripe-emulator/index.js, which vitest.config.ts loads as an auxiliary Worker.
// Plain ESM (not TypeScript) because it runs in Node, outside the Workers tsconfig.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Where the bundle is written (relative to the project root). */
export const EMULATOR_BUNDLE = '.wrangler/stripe-emulator/index.js';

/** Bundles the emulator; `cloudflare:*` modules stay imports (workerd provides them). */
export async function buildEmulator() {
  await build({
    absWorkingDir: root,
    entryPoints: ['emulator/src/index.ts'],
    outfile: EMULATOR_BUNDLE,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2023',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    external: ['cloudflare:*'],
    // The hosted pages are hono/jsx components (tsconfig.json says the same; explicit for the bundle).
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

export default async function setup() {
  await buildEmulator();
}
