// `npm run e2e`: starts `npm run dev` on a free port with a fresh state dir (emulator mode), drives Debian's
// Chromium through the shopper and marketplace flows with playwright-core, screenshots every step into
// test/e2e/screenshots/, prints `N passed, N failed` last and exits non-zero on any failure. Always stops
// the servers; the whole run is bounded (E2E_TIME_LIMIT_S, default 480 s).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { freePort, waitForHttp } from '../../scripts/lib/net.mjs';
import { ROOT, requireNode22 } from '../../scripts/lib/wrangler.mjs';
import * as account from './account.mjs';
import * as fulfilment from './fulfilment.mjs';
import * as marketplace from './marketplace.mjs';
import * as shopper from './shopper.mjs';
import * as subscriptions from './subscriptions.mjs';

/**
 * @typedef {{ browser: import('playwright-core').Browser, baseUrl: string, adminToken: string,
 *   state: Record<string, any>, shot: (page: import('playwright-core').Page, name: string) => Promise<void> }} FlowContext
 * @typedef {{ name: string, run: (ctx: FlowContext) => Promise<void> }} Test
 */

requireNode22('npm run e2e');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SHOTS = path.join(HERE, 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TIME_LIMIT_MS = Number(process.env.E2E_TIME_LIMIT_S ?? 480) * 1000;
const TEST_TIMEOUT_MS = 90_000;
const FLOWS = [shopper, account, marketplace, fulfilment, subscriptions];

const log = (msg) => console.log(`[e2e] ${msg}`);
const slug = (s) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);

/** @type {import('node:child_process').ChildProcess | undefined} */
let server;
/** @type {import('playwright-core').Browser | undefined} */
let browser;
const stateDir = mkdtempSync(path.join(os.tmpdir(), 'storefront-e2e-'));

/** Stops the browser and the dev server's whole process group (npm → dev.mjs → wrangler → workerd). */
async function stopAll() {
  await browser?.close().catch(() => {});
  browser = undefined;
  if (server?.pid && server.exitCode === null && server.signalCode === null) {
    const group = -server.pid;
    const exited = new Promise((r) => server?.once('exit', r));
    try {
      process.kill(group, 'SIGTERM');
    } catch {
      // already gone
    }
    const timer = new Promise((r) => setTimeout(r, 10_000));
    if ((await Promise.race([exited.then(() => 'exited'), timer])) !== 'exited') {
      try {
        process.kill(group, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  rmSync(stateDir, { recursive: true, force: true });
}

let passed = 0;
let failed = 0;
function finish(code) {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(code);
}
const watchdog = setTimeout(async () => {
  log(`time limit of ${TIME_LIMIT_MS / 1000} s reached: stopping.`);
  failed += 1;
  await stopAll();
  finish(1);
}, TIME_LIMIT_MS);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => stopAll().then(() => finish(130)));

/**
 * Starts `npm run dev` in its own process group, logging to screenshots/dev-server.log. Returns the
 * address its `[dev] ready:` line prints (the one a person would open), else wrangler's 127.0.0.1 one.
 */
async function startServer(port, adminToken) {
  const logFile = path.join(SHOTS, 'dev-server.log');
  const out = createWriteStream(logFile);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const args = [
    'run',
    'dev',
    '--',
    '--port',
    String(port),
    '--persist-to',
    stateDir,
    '--emulator',
    '--var',
    `ADMIN_TOKEN:${adminToken}`,
  ];
  server = spawn(npm, args, {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: '1' },
  });
  let ready = false;
  /** @type {string | null} */
  let printed = null;
  let buffered = '';
  const onData = (chunk) => {
    out.write(chunk);
    buffered = (buffered + chunk).slice(-4000);
    const match = /\[dev\] ready: (\S+)/.exec(buffered);
    if (match) {
      ready = true;
      printed = match[1] ?? null;
    }
  };
  server.stdout?.on('data', onData);
  server.stderr?.on('data', onData);
  const alive = () => server?.exitCode === null && server?.signalCode === null;
  const health = await waitForHttp(`http://127.0.0.1:${port}/health`, { timeoutMs: 150_000, isAlive: alive });
  await health.body?.cancel();
  // The runner's optional demo-vendor step runs after /health answers; give it time to finish.
  const until = Date.now() + 60_000;
  while (!ready && alive() && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
  log(`server up (health ${health.status}); log: ${path.relative(ROOT, logFile)}`);
  return printed ?? `http://127.0.0.1:${port}`;
}

/** True while process `pid` runs. */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return /** @type {NodeJS.ErrnoException} */ (err).code === 'EPERM';
  }
}

/**
 * One run at a time per checkout: a second `npm run e2e` (another terminal, another engineer) waits for
 * the first instead of deleting its screenshots mid-run. A lock left by a dead process is taken over.
 */
async function lockScreenshots() {
  const lock = path.join(SHOTS, '.lock');
  for (let waited = 0; ; waited += 2) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      process.on('exit', () => rmSync(lock, { force: true }));
      return;
    } catch {
      let owner = 0;
      try {
        owner = Number(readFileSync(lock, 'utf8').trim());
      } catch {
        continue; // released between our two looks
      }
      if (!owner || !alive(owner)) {
        rmSync(lock, { force: true });
        continue;
      }
      if (waited % 30 === 0)
        log(`another e2e run (pid ${owner}) is using ${path.relative(ROOT, SHOTS)}; waiting…`);
      await new Promise((r) => setTimeout(r, 2_000));
    }
  }
}

mkdirSync(SHOTS, { recursive: true });
await lockScreenshots();
for (const f of readdirSync(SHOTS)) if (f.endsWith('.png')) rmSync(path.join(SHOTS, f));

let shotCount = 0;
try {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  const port = await freePort();
  const adminToken = randomBytes(18).toString('base64url');
  log(`starting npm run dev on port ${port} (state in a fresh temp dir)…`);
  const baseUrl = await startServer(port, adminToken);
  log(`opening the site where npm run dev says it is: ${baseUrl}`);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright gives every launch a fresh temporary --user-data-dir of its own.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
  log(`chromium ${browser.version()}`);

  /** @type {FlowContext} */
  const ctx = {
    browser,
    baseUrl,
    adminToken,
    state: {},
    async shot(page, name) {
      shotCount += 1;
      const file = `${String(shotCount).padStart(2, '0')}-${slug(ctx.state.flow)}-${slug(name)}.png`;
      await page.screenshot({ path: path.join(SHOTS, file), fullPage: true }).catch(() => {});
    },
  };

  for (const flow of FLOWS) {
    ctx.state.flow = flow.name;
    log(`flow: ${flow.name}`);
    /** @type {string | null} */
    let blockedBy = null;
    try {
      await flow.setup(ctx);
    } catch (err) {
      blockedBy = `setup failed: ${err instanceof Error ? err.message : err}`;
    }
    for (const test of flow.tests) {
      const label = `${flow.name} › ${test.name}`;
      if (blockedBy) {
        // Later steps need the earlier ones (same cart, same vendor): they can't pass without them.
        failed += 1;
        console.log(`  ✗ ${label}\n      not run: ${blockedBy}`);
        continue;
      }
      const started = Date.now();
      try {
        let timer;
        await Promise.race([
          test.run(ctx),
          new Promise((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`timed out after ${TEST_TIMEOUT_MS / 1000} s`)),
              TEST_TIMEOUT_MS,
            );
          }),
        ]).finally(() => clearTimeout(timer));
        passed += 1;
        console.log(`  ✓ ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } catch (err) {
        failed += 1;
        const message = (err instanceof Error ? err.message : String(err)).split('\n')[0];
        console.log(`  ✗ ${label}\n      ${message}`);
        blockedBy = `"${test.name}" failed`;
        // A picture of where it stopped, for every open page of the flow.
        for (const context of browser.contexts())
          for (const page of context.pages()) await ctx.shot(page, `failure ${test.name}`);
      }
    }
    await flow.teardown(ctx).catch(() => {});
  }
  log(`screenshots: ${path.relative(ROOT, SHOTS)}/ (${shotCount})`);
} catch (err) {
  failed += 1;
  console.log(`[e2e] could not run the flows: ${err instanceof Error ? err.message : err}`);
} finally {
  clearTimeout(watchdog);
  await stopAll();
}
finish(failed ? 1 : 0);
