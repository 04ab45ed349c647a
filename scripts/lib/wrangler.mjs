// Runs the project's own wrangler (node_modules) for the dev runner, the benchmark and the browser test.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The project root (two levels above scripts/lib). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** wrangler's CLI entry in node_modules; run with the current node, which npm scripts make Node 22. */
export const WRANGLER_BIN = path.join(
  path.dirname(require.resolve('wrangler/package.json')),
  'bin',
  'wrangler.js',
);

/** The storefront's and the emulator's wrangler configs, relative to the root. */
export const APP_CONFIG = 'wrangler.toml';
export const EMULATOR_CONFIG = 'emulator/wrangler.toml';
const DEMO_SEED = 'seed/demo.sql';

/**
 * Exits with a clear message when this Node is too old for wrangler (it needs 22.12+). `npm run ...`
 * puts the project's Node 22 (a devDependency) first on PATH; a bare `node scripts/...` may not.
 * @param {string} command how the user should have started it
 */
export function requireNode22(command) {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 12)) return;
  console.error(
    `Node ${process.versions.node} is too old for wrangler (needs 22.12+). Start it with \`${command}\`: ` +
      'npm scripts use the project’s own Node 22 from node_modules.',
  );
  process.exit(1);
}

/**
 * Runs `wrangler <args>` to completion and resolves with its output; rejects with the output on failure.
 * Non-interactive (CI=1) so prompts take their defaults instead of waiting on a terminal.
 * @param {string[]} args
 * @param {{ cwd?: string, quiet?: boolean, env?: NodeJS.ProcessEnv, timeoutMs?: number }} [opts]
 * @returns {Promise<string>}
 */
export function runWrangler(args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRANGLER_BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, CI: '1', WRANGLER_SEND_METRICS: 'false', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), opts.timeoutMs ?? 180_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(out);
      const err = new Error(
        `wrangler ${args.slice(0, 3).join(' ')} failed (${signal ?? `exit ${code}`})\n${out}`,
      );
      reject(err);
    });
  });
}

/**
 * Applies the D1 migrations to the local database in `persistTo`.
 * @param {string} persistTo
 * @param {string} [config]
 */
export async function applyLocalMigrations(persistTo, config = APP_CONFIG) {
  return runWrangler(['d1', 'migrations', 'apply', 'DB', '--local', '-c', config, '--persist-to', persistTo]);
}

/**
 * Runs one SQL query on the local D1 database and returns its rows.
 * @param {string} persistTo
 * @param {string} sql
 * @returns {Promise<Record<string, unknown>[]>}
 */
async function queryLocal(persistTo, sql) {
  const out = await runWrangler([
    'd1',
    'execute',
    'DB',
    '--local',
    '-c',
    APP_CONFIG,
    '--persist-to',
    persistTo,
    '--json',
    '--command',
    sql,
  ]);
  const start = out.indexOf('[');
  const parsed = JSON.parse(out.slice(start));
  return parsed[0]?.results ?? [];
}

/**
 * Applies the demo seed (`seed/demo.sql`) when the products table is empty. The seed is idempotent,
 * but skipping it on a used database keeps a developer's own edits to the demo data.
 * @param {string} persistTo
 * @returns {Promise<'seeded' | 'kept' | 'missing'>}
 */
export async function seedIfEmpty(persistTo) {
  if (!existsSync(path.join(ROOT, DEMO_SEED))) return 'missing';
  const [row] = await queryLocal(persistTo, 'select count(*) as n from products');
  if (Number(row?.n ?? 0) > 0) return 'kept';
  await runWrangler([
    'd1',
    'execute',
    'DB',
    '--local',
    '-c',
    APP_CONFIG,
    '--persist-to',
    persistTo,
    '--file',
    DEMO_SEED,
  ]);
  return 'seeded';
}
