// `npm run dev`: local secrets, D1 migrations and demo seed, then the storefront (+ Stripe emulator) under wrangler.
//
//   npm run dev                          http://127.0.0.1:8787, state in .wrangler/state
//   npm run dev -- --port 8788           another port (PUBLIC_URL, and so every link and the emulator, follow it)
//   npm run dev -- --persist-to /tmp/s   another state dir (or DEV_PERSIST=/tmp/s npm run dev)
//   npm run dev -- --emulator            use the emulator even when .dev.vars has Stripe keys
//   npm run dev -- --var KEY:value       override a var or secret for this run (repeatable)
//   npm run dev -- -- <wrangler args>    anything after a second `--` goes to `wrangler dev` as is
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ensureDevVars, isLiveStripeKey, readDevVars, readTomlVars } from './lib/dev-vars.mjs';
import { runDemoVendorStep } from './lib/demo-vendors.mjs';
import { portInUse, waitForHttp } from './lib/net.mjs';
import {
  APP_CONFIG,
  EMULATOR_CONFIG,
  ROOT,
  WRANGLER_BIN,
  applyLocalMigrations,
  requireNode22,
  seedIfEmpty,
} from './lib/wrangler.mjs';

const DEFAULT_PORT = 8787;
const DEFAULT_STATE = '.wrangler/state';
const HOST = '127.0.0.1';
/** The keys the storefront presents to the emulator (src/stripe/client.ts), by the emulator binding that lists them. */
const EMULATOR_APP_KEYS = { SECRET_KEYS: 'sk_test_emulator', PUBLISHABLE_KEYS: 'pk_test_emulator' };

const log = (msg) => console.log(`[dev] ${msg}`);
const fail = (msg) => {
  console.error(`[dev] ${msg}`);
  process.exit(1);
};

/** Parses this script's own flags; everything after a bare `--` is passed to wrangler dev untouched. */
function parseArgs(argv) {
  const opts = { port: DEFAULT_PORT, persistTo: process.env.DEV_PERSIST || DEFAULT_STATE, emulator: false };
  /** @type {Record<string, string>} */
  const vars = {};
  const passthrough = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') && arg.startsWith('--') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => inline ?? argv[++i] ?? fail(`${flag} needs a value`);
    if (flag === '--') {
      passthrough.push(...argv.slice(i + 1));
      break;
    } else if (flag === '--port' || flag === '-p') {
      opts.port = Number(value());
      if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) fail('--port must be 1..65535');
    } else if (flag === '--persist-to') {
      opts.persistTo = value();
    } else if (flag === '--emulator') {
      opts.emulator = true;
    } else if (flag === '--var') {
      const kv = value();
      const at = kv.indexOf(':');
      if (at < 1) fail(`--var expects KEY:value, got "${kv}"`);
      vars[kv.slice(0, at)] = kv.slice(at + 1);
    } else if (flag === '--help' || flag === '-h') {
      console.log(
        'Usage: npm run dev -- [--port N] [--persist-to DIR] [--emulator] [--var KEY:value]... [-- wrangler dev args]\n' +
          `State lives in ${DEFAULT_STATE} unless DEV_PERSIST or --persist-to says otherwise.`,
      );
      process.exit(0);
    } else {
      fail(`unknown option "${arg}" (see --help; pass wrangler options after a second --)`);
    }
  }
  return { ...opts, vars, passthrough };
}

const opts = parseArgs(process.argv.slice(2));
requireNode22('npm run dev');
process.chdir(ROOT);

// 1. Local secrets: .dev.vars from the example on first run, then refuse anything that moves real money.
const created = ensureDevVars(ROOT);
if (created.created) {
  log('created .dev.vars from .dev.vars.example with a random COOKIE_SECRET and ADMIN_TOKEN.');
  log('the admin token (sign in at /admin) is ADMIN_TOKEN in .dev.vars.');
}
if (opts.emulator) Object.assign(opts.vars, { STRIPE_SECRET_KEY: '', STRIPE_PUBLISHABLE_KEY: '' });
const devVars = { ...readDevVars(ROOT), ...opts.vars };
if (isLiveStripeKey(devVars.STRIPE_SECRET_KEY)) {
  fail(
    'STRIPE_SECRET_KEY in .dev.vars is a LIVE key (sk_live_/rk_live_). Local development never uses live keys:\n' +
      '      put an sk_test_... key there, or leave it empty to use the local Stripe emulator.',
  );
}
for (const key of ['COOKIE_SECRET', 'ADMIN_TOKEN']) {
  if (!devVars[key] || devVars[key].startsWith('change-me'))
    log(`warning: ${key} in .dev.vars is empty or still the example's placeholder; set a random value.`);
}
const emulatorMode = !(devVars.STRIPE_SECRET_KEY ?? '').trim();
const emulatorConfigExists = existsSync(path.join(ROOT, EMULATOR_CONFIG));

// In emulator mode the app must verify what the emulator signs: its webhook secret is in its own [vars].
if (emulatorMode && emulatorConfigExists) {
  const emuVars = readTomlVars(path.join(ROOT, EMULATOR_CONFIG));
  const emuSecret = Object.entries(emuVars).find(
    ([k, v]) => /WEBHOOK_SECRET/.test(k) && v.startsWith('whsec_'),
  )?.[1];
  const appSecrets = (devVars.STRIPE_WEBHOOK_SECRET ?? '').split(',').map((s) => s.trim());
  if (emuSecret && !appSecrets.includes(emuSecret)) {
    if (opts.emulator) opts.vars.STRIPE_WEBHOOK_SECRET = emuSecret;
    else
      log(
        `warning: STRIPE_WEBHOOK_SECRET in .dev.vars does not include the emulator's signing secret (see ${EMULATOR_CONFIG}); webhooks will be refused.`,
      );
  }
  // The emulator answers 401 to keys it is not configured with, as Stripe does; the storefront presents
  // fixed keys in emulator mode.
  for (const [binding, key] of Object.entries(EMULATOR_APP_KEYS)) {
    const accepted = (emuVars[binding] ?? '').split(',').map((k) => k.trim());
    if (emuVars[binding] && !accepted.includes(key))
      log(
        `warning: ${binding} in ${EMULATOR_CONFIG} does not include ${key}; the storefront's Stripe calls will get 401.`,
      );
  }
}

if (await portInUse(opts.port)) fail(`port ${opts.port} is already in use; pick another with --port N`);

// 2. D1: migrations, then the demo catalog on an empty database.
const persistTo = path.resolve(ROOT, opts.persistTo);
log(`state: ${path.relative(ROOT, persistTo) || '.'} (D1, carts, queues, emulator data).`);
log('      DEV_PERSIST=<dir> or --persist-to <dir> uses another; delete the folder to start from scratch.');
try {
  log('applying D1 migrations (local)…');
  await applyLocalMigrations(persistTo);
  const seeded = await seedIfEmpty(persistTo);
  if (seeded === 'seeded') log('demo catalog loaded from seed/demo.sql.');
  else if (seeded === 'kept') log('catalog already has products; demo seed not re-applied.');
  else log('no seed/demo.sql yet: the catalog starts empty.');
} catch (err) {
  fail(`database setup failed:\n${err instanceof Error ? err.message : err}`);
}

// 3. wrangler dev: the storefront gets the port; the emulator is a second config behind its service binding.
// PUBLIC_URL is the address wrangler prints: every link the app builds uses it, and page requests on
// another host (localhost) are redirected there. `--var PUBLIC_URL:<origin>` (a tunnel) takes precedence.
const baseUrl = `http://${HOST}:${opts.port}`;
opts.vars.PUBLIC_URL ??= baseUrl;
const configs = ['-c', APP_CONFIG];
if (emulatorMode) {
  if (emulatorConfigExists) configs.push('-c', EMULATOR_CONFIG);
  else log(`warning: ${EMULATOR_CONFIG} is missing: the storefront starts without the Stripe emulator.`);
}
const wranglerArgs = [
  'dev',
  ...configs,
  '--port',
  String(opts.port),
  '--ip',
  HOST,
  '--persist-to',
  persistTo,
  ...Object.entries(opts.vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
  ...opts.passthrough,
];
log(
  emulatorMode
    ? 'Stripe: local emulator (no STRIPE_SECRET_KEY set).'
    : 'Stripe: test mode with the keys in .dev.vars.',
);
if (!emulatorMode)
  log(`forward Stripe's events with: stripe listen --forward-to ${HOST}:${opts.port}/webhooks/stripe`);

log(
  `wrangler ${wranglerArgs.map((a, i) => (wranglerArgs[i - 1] === '--var' ? `${a.split(':')[0]}:…` : a)).join(' ')}`,
);
const child = spawn(process.execPath, [WRANGLER_BIN, ...wranglerArgs], { cwd: ROOT, stdio: 'inherit' });
let exited = false;
child.on('exit', (code, signal) => {
  exited = true;
  process.exitCode = code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : 1);
});
child.on('error', (err) => fail(`could not start wrangler: ${err.message}`));

// Signals go to wrangler, which stops workerd; we exit when it does.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (exited) process.exit();
    child.kill(sig);
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

// 4. Once it answers: the optional demo-vendor step, then say where everything is.
try {
  const res = await waitForHttp(`http://${HOST}:${opts.port}/health`, {
    timeoutMs: 180_000,
    isAlive: () => !exited,
  });
  await res.body?.cancel();
  if (emulatorMode && emulatorConfigExists) {
    const step = await runDemoVendorStep({
      baseUrl,
      adminToken: devVars.ADMIN_TOKEN ?? '',
      persistTo,
      log,
    });
    if (step.status === 'done') log(`demo vendors ready (${step.detail}).`);
    else if (step.status === 'absent') log('demo vendors: no demo-vendor step in this version (skipped).');
    else log(`warning: demo-vendor step failed, the store still runs: ${step.detail}`);
  }
  const site = opts.vars.PUBLIC_URL;
  log(
    `ready: ${site}  (health: ${site}/health, admin: ${site}/admin with ADMIN_TOKEN from .dev.vars, e-mail: ${site}/__mail)`,
  );
} catch (err) {
  if (!exited) log(`warning: ${err instanceof Error ? err.message : err}`);
}
