// `npm run bench`: the production bundle served by workerd (Miniflare's API, not `wrangler dev`, whose proxy
// would be what we measure), seeded like dev, loaded from a separate process on 127.0.0.1. Prints a markdown
// table and writes JSON to test/bench/results/. Figures are for the issue notes; nothing here asserts them.
//
// What is measured: the app Worker's own socket. Wrangler's Miniflare routes a Worker with `[assets]` through
// its asset workers first (about 0.9 ms of CPU per request), even on its direct socket; the app never calls
// env.ASSETS, so the measured Worker has no assets binding, and one extra row ("baseline through the assets
// path") loads the same bundle with `[assets]` on, so both costs are visible. Per route it reports the CPU
// milliseconds per request of the workerd process (/proc/<pid>/stat), steadier than req/s on a shared machine.
//
//   npm run bench                     5 s per route, 10 connections, one round
//   BENCH_ROUNDS=3 npm run bench      routes interleaved three times; medians reported
//   BENCH_DURATION=10 BENCH_CONNECTIONS=20 npm run bench
//   BENCH_TIME_LIMIT_S=900 npm run bench  the whole run's bound (default: 300 s × (rounds + 1), + 300 with profiles)
//   BENCH_ONLY=cart,cartAdd npm run bench   only these rows (keys as in the table's `order`; baselines always),
//                                           and only the set-up they need (flashSale, thousandCarts, search too)
//
// The Stripe emulator runs in its own workerd process (a second Miniflare), reached by the app through an
// external service binding, so its CPU is measured apart from the app's: routes that call Stripe (checkout,
// webhook ingest) print both.
import { execFileSync, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
// The same version wrangler bundles (package.json pins it to wrangler's), so the bench runs what `wrangler dev` runs.
import { Miniflare, convertV4MiniflareOptions } from 'miniflare';
import { runDemoVendorStep } from '../../scripts/lib/demo-vendors.mjs';
import { freePort } from '../../scripts/lib/net.mjs';
import {
  APP_CONFIG,
  EMULATOR_CONFIG,
  ROOT,
  applyLocalMigrations,
  requireNode22,
  runWrangler,
  seedIfEmpty,
} from '../../scripts/lib/wrangler.mjs';

requireNode22('npm run bench');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ROUNDS = Math.max(1, Math.floor(Number(process.env.BENCH_ROUNDS ?? 1)));
/** BENCH_PROFILE=1: after the measured run, a CPU profile of each slow route through workerd's inspector. */
const PROFILE = process.env.BENCH_PROFILE === '1';
/** BENCH_ONLY=a,b: the rows to measure (null: all of them). */
const ONLY = process.env.BENCH_ONLY
  ? new Set(
      process.env.BENCH_ONLY.split(',')
        .map((k) => k.trim())
        .filter(Boolean),
    )
  : null;
/** Whether a row (or a scale check) is part of this run. */
const wanted = (key) => !ONLY || ONLY.has(key);
/** Pending orders paid by `payment_intent.succeeded` in the webhook row (one event each, each applied). */
const WEBHOOK_ORDERS = Number(process.env.BENCH_WEBHOOK_ORDERS ?? 300);
/** Lines in each cart of the `POST /cart/items (50-line carts)` row, and how many such carts take turns. */
const BIG_CART_LINES = 50;
const BIG_CARTS = 48;
/** The whole run's bound (BENCH_TIME_LIMIT_S): 5 minutes of set-up and 5 per round, 5 more with profiles. */
const TIME_LIMIT_MS = Number(process.env.BENCH_TIME_LIMIT_S ?? 300 * (1 + ROUNDS + (PROFILE ? 1 : 0))) * 1000;
const HOST = '127.0.0.1';
/** Carts that take `POST /cart/items` in turn, so no line nears the 99-unit cap during the run. */
const CART_POOL = 256;
/** Checkouts per run: each one on a cart that has never checked out (a real session each, no replay). */
const CHECKOUTS = Number(process.env.BENCH_CHECKOUTS ?? 200);
/** Renewal invoices the `invoice.paid` ingest row may deliver (one paid PaymentIntent each, made beforehand). */
const INVOICE_EVENTS = 400;
/** Issue 13's targets: CPU ms per request at most (`cpu`), or a share of the bare route at least (`ratio`). */
const TARGETS = {
  homeUncached: { cpu: 1.0 },
  productUncached: { cpu: 1.0 },
  cart: { cpu: 0.8 },
  cartAdd: { cpu: 1.2 },
  cartAddBig: { cpu: 1.2 },
  webhook: { ratio: 0.25 },
  checkout: { ratio: 0.08 },
  search: { cpu: 5 },
  gzipKiB: 200,
};

/**
 * Each route's I/O floor: what its calls cost in this runtime before any of the app's own work, from the floor
 * rows of the same run. Local D1 is a SQLite object in the same workerd process, so its CPU is in every figure
 * here (on Cloudflare it runs elsewhere). Two floors per route:
 * - `fewest`: the fewest calls any design could make for what the route answers, priced at the floor rows
 *   (D1 round trips, plain or in a session; Durable Object calls, `doWrite` for one that writes as a cart
 *   change does; Stripe calls), or `'replay'` when the route's own captured D1 calls are that fewest (a
 *   cart's one query for its own lines' products);
 * - its own: the route's D1 calls captured from the route and replayed (`floor:<key>` rows, floors.mjs),
 *   after its object call for a cart route. `npm run bench:statements` counts the same calls.
 * An uncached page also answers what the cached one answers (routing, the app's middleware: origin check,
 * security headers, CSRF; the Response): its cached row, less the bare route, is part of both its floors.
 * A cart route's floors have no such part (the cached page's HTML answer costs more than a cart's JSON
 * one), so its routing and middleware count as the app's own work. A payment can't be applied with fewer
 * than two D1 round trips (store the event, then apply it), nor a checkout taken with fewer than the cart's
 * object, the order's write, the Checkout Session at Stripe and the session's id written back.
 */
const IO = {
  homeUncached: { fewest: { d1Session: 1 }, page: 'home' },
  productUncached: { fewest: { d1Session: 1 }, page: 'product' },
  cart: { fewest: 'replay' },
  cartAdd: { fewest: 'replay' },
  cartAddBig: { fewest: 'replay' },
  webhook: { fewest: { d1: 2 } },
  checkout: { fewest: { do: 1, d1: 2, stripe: 1 } },
};

const log = (msg) => console.error(`[bench] ${msg}`);
const require = createRequire(import.meta.url);
const wranglerRequire = createRequire(require.resolve('wrangler/package.json'));
const esbuild = await import(pathToFileURL(wranglerRequire.resolve('esbuild')).href);
const { unstable_getMiniflareWorkerOptions } = await import('wrangler');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'storefront-bench-'));
/** @type {InstanceType<typeof Miniflare> | undefined} */
let mf;
/** The Stripe emulator's own Miniflare (its own workerd process). @type {InstanceType<typeof Miniflare> | undefined} */
let emuMf;
/** @type {import('node:child_process').ChildProcess | undefined} */
let loader;

async function cleanup() {
  loader?.kill('SIGKILL');
  await mf?.dispose().catch(() => {});
  await emuMf?.dispose().catch(() => {});
  rmSync(tmp, { recursive: true, force: true });
}
const deadline = setTimeout(async () => {
  log(`time limit of ${TIME_LIMIT_MS / 1000} s reached; stopping.`);
  await cleanup();
  process.exit(1);
}, TIME_LIMIT_MS);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => cleanup().then(() => process.exit(130)));

/** Size of the files wrangler would upload (source maps excluded), raw and gzipped. */
function bundleSize(dir) {
  let raw = 0;
  let gzip = 0;
  for (const f of readdirSync(dir)) {
    if (f.endsWith('.map') || f === 'README.md') continue;
    const file = path.join(dir, f);
    if (!statSync(file).isFile()) continue;
    const buf = readFileSync(file);
    raw += buf.length;
    gzip += gzipSync(buf).length;
  }
  return { rawBytes: raw, gzipBytes: gzip, rawKiB: raw / 1024, gzipKiB: gzip / 1024 };
}

/**
 * What the packages weigh in the minified bundle (esbuild's metafile over src/index.ts, as wrangler bundles
 * it), and what the stripe SDK costs in gzip: the bundle built again with `stripe` replaced by an empty
 * module (the upper bound of what any narrower Stripe import could save; the SDK registers every resource
 * on its one class, so bundlers cannot tree-shake it).
 */
async function bundleBreakdown() {
  const { builtinModules } = await import('node:module');
  const options = {
    entryPoints: [path.join(ROOT, 'src/index.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    minify: true,
    metafile: true,
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    loader: { '.sql': 'text', '.html': 'text', '.txt': 'text' },
    external: ['cloudflare:*', 'node:*', ...builtinModules],
    logLevel: 'silent',
  };
  const full = await esbuild.build(options);
  const byPackage = new Map();
  for (const out of Object.values(full.metafile.outputs))
    for (const [file, info] of Object.entries(out.inputs)) {
      const m = file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
      const key = m ? m[1] : file.startsWith('src/') ? 'src (the app)' : 'other';
      byPackage.set(key, (byPackage.get(key) ?? 0) + info.bytesInOutput);
    }
  const fullGzip = gzipSync(Buffer.concat(full.outputFiles.map((f) => Buffer.from(f.contents)))).length;
  const stubStripe = {
    name: 'stub-stripe',
    setup(build) {
      build.onResolve({ filter: /^stripe(\/.*)?$/ }, (args) => ({ path: args.path, namespace: 'stub' }));
      build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
        contents:
          'export default class Stripe { static createSubtleCryptoProvider() {} static createFetchHttpClient() {} }; export const errors = {};',
        loader: 'js',
      }));
    },
  };
  const without = await esbuild.build({ ...options, metafile: false, plugins: [stubStripe] });
  const withoutGzip = gzipSync(Buffer.concat(without.outputFiles.map((f) => Buffer.from(f.contents)))).length;
  const total = [...byPackage.values()].reduce((a, b) => a + b, 0);
  return {
    minifiedKiB: total / 1024,
    gzipKiB: fullGzip / 1024,
    withoutStripeGzipKiB: withoutGzip / 1024,
    stripeGzipKiB: (fullGzip - withoutGzip) / 1024,
    packages: [...byPackage.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([name, bytes]) => ({ name, minifiedKiB: bytes / 1024, percent: (bytes / total) * 100 })),
  };
}

/**
 * Wraps the app bundle with the bare route and the floor routes of floors.mjs (`GET /__bench/…`, answered
 * from the same Worker and isolate); every other request goes to the app untouched. Exists only in this
 * build, never in the app.
 */
async function wrapWithBaseline(appEntry, outFile) {
  const entry = path.join(tmp, 'bench-entry.mjs');
  const spec = JSON.stringify(appEntry);
  const floors = JSON.stringify(path.join(HERE, 'floors.mjs'));
  writeFileSync(
    entry,
    `import * as app from ${spec};\nimport { benchCartObject, floorRoute } from ${floors};\n` +
      `export * from ${spec};\n` +
      // The cart object with the floor's write and the capture of its D1 calls (floors.mjs); the rest as is.
      `export const CartObject = benchCartObject(app.CartObject);\n` +
      `const inner = app.default;\n` +
      `export default { ...inner, fetch(request, env, ctx) {\n` +
      `  return floorRoute(request, env, ctx, inner) ?? inner.fetch(request, env, ctx);\n} };\n`,
  );
  await esbuild.build({
    entryPoints: [entry],
    outfile: outFile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    external: ['cloudflare:*', 'node:*'],
    // Chains wrangler's source map (when it wrote one), so profiles name our functions and files.
    sourcemap: true,
    logLevel: 'warning',
  });
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * A lookup from a generated (line, column), both 0-based, to the original `file:line (name)` through a
 * source map (version 3); null when there is no map.
 */
function sourceMapLookup(mapFile) {
  if (!existsSync(mapFile)) return null;
  const map = JSON.parse(readFileSync(mapFile, 'utf8'));
  const lines = [];
  const state = [0, 0, 0, 0]; // source, original line, original column, name: relative across lines
  for (const line of map.mappings.split(';')) {
    const segments = [];
    let column = 0;
    for (const segment of line.split(',')) {
      if (!segment) continue;
      const values = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = B64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += values[0];
      if (values.length >= 4) {
        for (let i = 0; i < 3; i++) state[i] += values[i + 1];
        if (values.length >= 5) state[3] += values[4];
        segments.push([column, state[0], state[1], values.length >= 5 ? state[3] : -1]);
      }
    }
    lines.push(segments);
  }
  return (line, column) => {
    const segments = lines[line];
    if (!segments?.length) return null;
    let found = null;
    for (const seg of segments) {
      if (seg[0] > column) break;
      found = seg;
    }
    if (!found) return null;
    const source = String(map.sources[found[1]] ?? '').replace(/^(\.\.\/)+/, '');
    const name = found[3] >= 0 ? map.names[found[3]] : null;
    return `${source}:${found[2] + 1}${name ? ` (${name})` : ''}`;
  };
}

/**
 * Worker options for Miniflare from a wrangler config, with the bundle as its only module.
 * `directPort`: a socket straight to this Worker on that port (0: none chosen, the OS picks).
 * `assets`: keep the config's `[assets]` (Miniflare then puts its asset workers in front of every socket).
 */
function workerFrom(configPath, name, scriptPath, bindings, directPort = 0, { assets = false } = {}) {
  // Secrets are given below; naming them in the environment keeps wrangler from warning they are missing.
  for (const [k, v] of Object.entries(bindings)) process.env[k] ??= v;
  const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(ROOT, configPath));
  const { modulesRules: _rules, assets: assetOptions, ...rest } = workerOptions;
  return {
    ...rest,
    ...(assets && assetOptions ? { assets: assetOptions } : {}),
    name,
    modules: [{ type: 'ESModule', path: scriptPath }],
    // A socket straight to this Worker. Without `[assets]` it reaches the app's fetch handler and nothing
    // else, as on Cloudflare, where a request for a static asset never runs the Worker.
    unsafeDirectSockets: [{ host: HOST, port: directPort, proxy: false }],
    modulesRoot: path.dirname(scriptPath),
    bindings: { ...workerOptions.bindings, ...bindings },
  };
}

/** The `name=value` of a cookie set by a response, or null. */
function cookieFrom(res, name) {
  for (const c of res.headers.getSetCookie()) if (c.startsWith(`${name}=`)) return c.split(';')[0];
  return null;
}

/** The workerd processes Miniflare started (children of this process); empty off Linux. */
function workerdPids() {
  const pids = [];
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && comm.startsWith('workerd')) pids.push(Number(entry));
    }
  } catch {
    // no /proc: CPU per request is reported as n/a
  }
  return pids;
}

/** Clock ticks per second of /proc/<pid>/stat times (CLK_TCK). */
function clockTicks() {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/**
 * A V8 CPU profile of the app's isolate while `run` loads it, through workerd's inspector (DevTools
 * protocol over WebSocket): the top frames by self time, as shares of all samples.
 */
async function profileWhile(inspectorPort, workerName, run, lookup, top = 10) {
  let target = `ws://${HOST}:${inspectorPort}/core:user:${workerName}`;
  try {
    const list = await (await fetch(`http://${HOST}:${inspectorPort}/json/list`)).json();
    const found = list.find((t) => String(t.id ?? t.url ?? '').includes(workerName));
    if (found?.webSocketDebuggerUrl) target = found.webSocketDebuggerUrl;
  } catch {
    // workerd names its targets core:user:<worker>; the default above is that
  }
  const ws = new WebSocket(target);
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve, { once: true });
    ws.addEventListener('error', () => reject(new Error(`inspector at ${target} refused the connection`)), {
      once: true,
    });
  });
  let nextId = 1;
  const pending = new Map();
  ws.addEventListener('message', (e) => {
    const msg = JSON.parse(String(e.data));
    if (msg.id && pending.has(msg.id)) {
      pending.get(msg.id)(msg);
      pending.delete(msg.id);
    }
  });
  const send = (method, params = {}) =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 200 });
  await send('Profiler.start');
  await run();
  const { result } = await send('Profiler.stop');
  ws.close();
  const profile = result?.profile;
  if (!profile) return null;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (const id of profile.samples) self.set(id, (self.get(id) ?? 0) + 1);
  const frames = new Map();
  for (const [id, count] of self) {
    const f = byId.get(id)?.callFrame ?? {};
    const file = String(f.url ?? '')
      .split('/')
      .pop();
    const original = file === 'index.mjs' && lookup ? lookup(f.lineNumber ?? 0, f.columnNumber ?? 0) : null;
    const where = original ?? (file ? `${file}:${(f.lineNumber ?? 0) + 1}` : '');
    const name = `${f.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    frames.set(name, (frames.get(name) ?? 0) + count);
  }
  const total = profile.samples.length;
  // Inclusive time: each sample counts once for every distinct frame on its stack, so "under viewCart" or
  // "under drizzle" reads as a share of the whole pass.
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const nameOf = new Map();
  for (const n of profile.nodes) {
    const f = n.callFrame ?? {};
    const file = String(f.url ?? '')
      .split('/')
      .pop();
    const original = file === 'index.mjs' && lookup ? lookup(f.lineNumber ?? 0, f.columnNumber ?? 0) : null;
    const where = original ?? (file ? `${file}:${(f.lineNumber ?? 0) + 1}` : '');
    nameOf.set(n.id, `${f.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`);
  }
  const inclusive = new Map();
  for (const [id, count] of self) {
    const seen = new Set();
    for (let at = id; at != null; at = parent.get(at)) seen.add(nameOf.get(at));
    for (const name of seen) inclusive.set(name, (inclusive.get(name) ?? 0) + count);
  }
  if (process.env.BENCH_PROFILE_DIR) {
    mkdirSync(process.env.BENCH_PROFILE_DIR, { recursive: true });
    const file = path.join(process.env.BENCH_PROFILE_DIR, `${workerName}-${Date.now()}.txt`);
    const rows = [...inclusive.entries()].sort((a, b) => b[1] - a[1]).slice(0, 120);
    writeFileSync(
      file,
      rows.map(([f, c]) => `${((c / profile.samples.length) * 100).toFixed(1)}%\t${f}`).join('\n'),
    );
  }
  return {
    samples: total,
    inclusiveTop: [...inclusive.entries()]
      .filter(([name]) => /src\/|node_modules\//.test(name))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([frame, count]) => ({ frame, inclusivePercent: Math.round((count / total) * 1000) / 10 })),
    top: [...frames.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([frame, count]) => ({ frame, selfPercent: Math.round((count / total) * 1000) / 10 })),
  };
}

/** The median of some numbers (null when there are none). */
function median(values) {
  const v = values.filter((x) => x != null && !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

const results = { routes: [], notes: [] };
try {
  // 1. Builds: the app exactly as `wrangler deploy` would ship it, and the emulator.
  log('building the production bundle (wrangler deploy --dry-run)…');
  const appOut = path.join(tmp, 'app');
  await runWrangler(['deploy', '--dry-run', '--outdir', appOut, '-c', APP_CONFIG, '--env', 'production']);
  const appMain = readdirSync(appOut).find((f) => /\.(m?js)$/.test(f));
  if (!appMain) throw new Error('wrangler produced no JavaScript bundle');
  results.bundle = bundleSize(appOut);
  try {
    results.bundleBreakdown = await bundleBreakdown();
  } catch (err) {
    results.notes.push(`bundle breakdown failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const benchScript = path.join(tmp, 'bench', 'index.mjs');
  await wrapWithBaseline(path.join(appOut, appMain), benchScript);

  let emulatorScript = null;
  if (existsSync(path.join(ROOT, EMULATOR_CONFIG))) {
    try {
      const emuOut = path.join(tmp, 'emulator');
      await runWrangler(['deploy', '--dry-run', '--outdir', emuOut, '-c', EMULATOR_CONFIG]);
      const main = readdirSync(emuOut).find((f) => /\.(m?js)$/.test(f));
      if (main) emulatorScript = path.join(emuOut, main);
    } catch (err) {
      results.notes.push('the Stripe emulator did not build; checkout runs against a stub that answers 503');
      log(`emulator build failed: ${String(err).split('\n').slice(0, 6).join('\n')}`);
    }
  } else results.notes.push(`${EMULATOR_CONFIG} is missing; checkout runs against a stub that answers 503`);

  // 2. Local D1 seeded like dev: migrations, then the demo catalog.
  const state = path.join(tmp, 'state');
  log('applying migrations and the demo seed…');
  await applyLocalMigrations(state);
  const seeded = await seedIfEmpty(state);
  if (seeded === 'missing') results.notes.push('no seed/demo.sql: the catalog is empty');

  // 3. workerd through Miniflare: the app (first worker, gets the port) and the emulator behind its binding.
  const port = await freePort();
  const inspectorPort = PROFILE ? await freePort() : undefined;
  const publicUrl = `http://${HOST}:${port}`;
  // The app's PUBLIC_URL is the origin the load is sent to (its direct socket): page requests on any
  // other origin would be answered with a redirect to it.
  const directPort = await freePort();
  const appOrigin = `http://${HOST}:${directPort}`;
  const webhookSecret = `whsec_bench_${randomBytes(12).toString('hex')}`;
  const adminToken = randomBytes(18).toString('base64url');
  const appBindings = {
    COOKIE_SECRET: randomBytes(24).toString('base64url'),
    ADMIN_TOKEN: adminToken,
    STRIPE_SECRET_KEY: '',
    STRIPE_PUBLISHABLE_KEY: '',
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    STRIPE_CONNECT_WEBHOOK_SECRET: '',
    PUBLIC_URL: appOrigin,
  };
  // The emulator listens on its own socket in its own workerd; the app reaches it (and it the app, for
  // webhook deliveries) through external service bindings, so each process's CPU is its own.
  const emulatorPort = await freePort();
  const app = {
    ...workerFrom(APP_CONFIG, 'storefront', benchScript, appBindings, directPort),
    serviceBindings: { STRIPE_EMULATOR: { external: { address: `${HOST}:${emulatorPort}`, http: {} } } },
  };
  // The same bundle behind Miniflare's asset workers, for the one row through the assets path. Its queue
  // consumers and cron belong to the measured app alone.
  const {
    queueConsumers: _consumers,
    triggers: _triggers,
    ...withAssets
  } = {
    ...workerFrom(APP_CONFIG, 'storefront-assets', benchScript, appBindings, 0, { assets: true }),
    serviceBindings: app.serviceBindings,
  };
  const emulator = emulatorScript
    ? {
        ...workerFrom(
          EMULATOR_CONFIG,
          'stripe-emulator',
          emulatorScript,
          {
            PUBLIC_URL: `${appOrigin}/__stripe`,
            WEBHOOK_SECRET: webhookSecret,
            CONNECT_WEBHOOK_SECRET: '',
            WEBHOOK_URL: `${appOrigin}/webhooks/stripe`,
          },
          emulatorPort,
        ),
        serviceBindings: { STOREFRONT: { external: { address: `${HOST}:${directPort}`, http: {} } } },
      }
    : {
        name: 'stripe-emulator',
        modules: true,
        script: 'export default { fetch() { return new Response("no emulator", { status: 503 }); } };',
        unsafeDirectSockets: [{ host: HOST, port: emulatorPort, proxy: false }],
      };
  const before = new Set(workerdPids());
  emuMf = new Miniflare(
    convertV4MiniflareOptions({
      host: HOST,
      port: await freePort(),
      rootPath: ROOT,
      resourcePersistencePath: path.join(state, 'v3-emulator'),
      resourceTmpPath: path.join(tmp, 'mf-emulator-tmp'),
      logRequests: false,
      workers: [emulator],
    }),
  );
  await emuMf.ready;
  const emulatorPid = workerdPids().find((pid) => !before.has(pid)) ?? null;
  before.add(emulatorPid ?? -1);
  mf = new Miniflare(
    convertV4MiniflareOptions({
      host: HOST,
      port,
      rootPath: ROOT,
      resourcePersistencePath: path.join(state, 'v3'),
      resourceTmpPath: path.join(tmp, 'mf-tmp'),
      logRequests: false,
      ...(inspectorPort ? { inspectorPort } : {}),
      workers: [app, withAssets],
    }),
  );
  await mf.ready;
  const direct = await mf.unsafeGetDirectURL('storefront');
  const baseUrl = `http://${HOST}:${direct.port}`;
  const assetsDirect = await mf.unsafeGetDirectURL('storefront-assets');
  const assetsUrl = `http://${HOST}:${assetsDirect.port}`;
  const cpuPid = workerdPids().find((pid) => !before.has(pid)) ?? null;
  if (cpuPid === null) results.notes.push('workerd process not found: CPU per request not measured');
  if (emulatorPid === null)
    results.notes.push("the emulator's workerd process not found: its CPU not measured");
  log(
    `measuring ${baseUrl} (the app Worker, no assets layer); ${assetsUrl} is the same bundle behind the assets path`,
  );

  const step = await runDemoVendorStep({ baseUrl: publicUrl, adminToken, persistTo: state, log });
  if (step.status === 'failed') results.notes.push(`demo-vendor step failed: ${step.detail}`);

  // 4. Discover what exists: product page, addable products, carts with cookies, checkout, webhooks.
  const f = (p, init) => fetch(new URL(p, baseUrl), { redirect: 'manual', ...init });
  const home = await f('/', { headers: { accept: 'text/html' } });
  const homeHtml = await home.text();
  const linksIn = (text, prefix) =>
    [...text.matchAll(new RegExp(`href="(${prefix}[^"#?]+)"`, 'g'))].map((m) => m[1]);
  let productPath = linksIn(homeHtml, '/products/')[0] ?? null;
  // Not featured on the home page: the first product of a maker's shop page will do.
  for (const shop of [...new Set(linksIn(homeHtml, '/shops/'))].slice(0, 4)) {
    if (productPath) break;
    const res = await f(shop, { headers: { accept: 'text/html' } });
    productPath = linksIn(await res.text(), '/products/')[0] ?? null;
  }

  const db = await mf.getD1Database('DB', 'storefront');
  const candidates = (
    await db
      .prepare(
        'select p.id from products p join stores s on s.id = p.store_id where p.active = 1 and p.stock is null ' +
          'and p.recurring_interval is null order by s.charges_enabled desc, p.featured desc limit 24',
      )
      .all()
      .catch(() => ({ results: [] }))
  ).results.map((r) => String(r.id));
  /** @type {string[]} */
  const productIds = [];
  let addStatus = 'no products';
  for (const id of candidates) {
    const res = await f('/cart/items', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ productId: id, qty: 1 }),
    });
    addStatus = String(res.status);
    await res.body?.cancel();
    if (res.ok) productIds.push(id);
    if (res.status === 404 || productIds.length >= 12) break;
  }

  /** Makes `n` carts with one line each; returns their cookies. */
  async function makeCarts(n, ids = productIds) {
    const cookies = [];
    for (let i = 0; i < n; i += 16) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(16, n - i) }, async (_, j) => {
          const res = await f('/cart/items', {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json' },
            body: JSON.stringify({ productId: ids[(i + j) % ids.length], qty: 1 }),
          });
          await res.body?.cancel();
          return res.ok ? cookieFrom(res, 'cart') : null;
        }),
      );
      cookies.push(...batch.filter(Boolean));
    }
    return cookies;
  }
  const cartCookies =
    productIds.length && ['cart', 'cartDiscount', 'cartAdd'].some(wanted) ? await makeCarts(CART_POOL) : [];
  // The carts GET /cart reads: their own, never written during the run (the add row grows its carts, and a
  // read after it would measure bigger carts than a read before it). Three lines each (three products in a
  // row of the list, so distinct when there are three or more), as a cart usually is.
  /** @type {string[]} */
  const viewCookies = [];
  if (productIds.length && wanted('cart')) {
    for (const cookie of await makeCarts(CART_POOL)) {
      let ok = true;
      for (const step of [1, 2]) {
        const res = await f('/cart/items', {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({
            productId: productIds[(viewCookies.length + step) % productIds.length],
            qty: 1,
          }),
        });
        await res.body?.cancel();
        ok &&= res.ok;
      }
      if (ok) viewCookies.push(cookie);
    }
  }

  // Carts holding a discount code (10% off, platform-funded): every read prices the code again from D1.
  /** @type {string[]} */
  const discountCookies = [];
  if (cartCookies.length && wanted('cartDiscount')) {
    await db
      .prepare(
        `insert or ignore into discounts (id, code, percent_off, funded_by, created_by) values ('disc_bench', 'bench10', 10, 'platform', 'admin')`,
      )
      .run()
      .catch(() => undefined);
    for (const cookie of await makeCarts(Math.min(CART_POOL, 64))) {
      const res = await f('/cart/discount', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ code: 'BENCH10' }),
      });
      await res.body?.cancel();
      if (res.ok) discountCookies.push(cookie);
    }
  }

  /** @type {any[]} */
  const scenarios = [
    { name: 'baseline', key: 'baseline', kind: 'plain', method: 'GET', path: '/__bench/ok' },
    {
      name: 'baseline through the assets path',
      key: 'assetsBaseline',
      kind: 'plain',
      method: 'GET',
      path: '/__bench/ok',
      baseUrl: assetsUrl,
    },
    { name: 'floor: one D1 round trip', key: 'floorD1', kind: 'plain', method: 'GET', path: '/__bench/d1' },
    {
      name: 'floor: one D1 round trip in a session',
      key: 'floorD1Session',
      kind: 'plain',
      method: 'GET',
      path: '/__bench/d1-session',
    },
    {
      name: 'floor: one Durable Object call',
      key: 'floorDo',
      kind: 'plain',
      method: 'GET',
      path: '/__bench/do',
    },
    {
      name: 'floor: one Durable Object call that writes',
      key: 'floorDoWrite',
      kind: 'plain',
      method: 'GET',
      path: '/__bench/do-write',
    },
    {
      name: 'floor: one call to the Stripe emulator',
      key: 'floorStripe',
      kind: 'plain',
      method: 'GET',
      path: '/__bench/stripe',
    },
  ];
  /** @type {Record<string, string>} */
  const unavailable = {};
  const html = { accept: 'text/html' };
  // The cached pages also stand in the uncached ones' floors: measured whenever those are.
  if (home.status === 200 && (wanted('home') || wanted('homeUncached')))
    scenarios.push({
      name: 'home page',
      key: 'home',
      kind: 'plain',
      method: 'GET',
      path: '/',
      headers: html,
    });
  else unavailable.home = `GET / → ${home.status}`;
  if (productPath && (wanted('product') || wanted('productUncached')))
    scenarios.push({
      name: `product page`,
      key: 'product',
      kind: 'plain',
      method: 'GET',
      path: productPath,
      headers: html,
    });
  else unavailable.product = 'no /products/… link on the home or shop pages';
  // The same pages built on every request: a signed vendor session skips the page cache (page-cache.ts).
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const sessionValue = `st_demo_tidewater.${exp}`;
  const sessionMac = createHmac('sha256', `${appBindings.COOKIE_SECRET}:vendor-session`)
    .update(sessionValue)
    .digest('base64');
  const uncached = { ...html, cookie: `vendor=${encodeURIComponent(`${sessionValue}.${sessionMac}`)}` };
  if (home.status === 200 && wanted('homeUncached'))
    scenarios.push({
      name: 'home page (uncached)',
      key: 'homeUncached',
      kind: 'plain',
      method: 'GET',
      path: '/',
      headers: uncached,
    });
  if (productPath && wanted('productUncached'))
    scenarios.push({
      name: 'product page (uncached)',
      key: 'productUncached',
      kind: 'plain',
      method: 'GET',
      path: productPath,
      headers: uncached,
    });
  if (cartCookies.length) {
    const json = { accept: 'application/json' };
    if (viewCookies.length)
      scenarios.push({
        name: 'GET /cart',
        key: 'cart',
        kind: 'rotate-cookie',
        method: 'GET',
        path: '/cart',
        headers: json,
        cookies: viewCookies,
      });
    if (discountCookies.length)
      scenarios.push({
        name: 'GET /cart (discount applied)',
        key: 'cartDiscount',
        kind: 'rotate-cookie',
        method: 'GET',
        path: '/cart',
        headers: json,
        cookies: discountCookies,
      });
    else unavailable.cartDiscount = 'no cart took the bench discount code';
    if (wanted('cartAdd'))
      scenarios.push({
        name: 'POST /cart/items',
        key: 'cartAdd',
        kind: 'cart-add',
        method: 'POST',
        path: '/cart/items',
        headers: { ...json, 'content-type': 'application/json' },
        cookies: cartCookies,
        productIds,
        okStatuses: [200, 201],
      });
  } else {
    unavailable.cart = `POST /cart/items → ${addStatus}`;
    unavailable.cartAdd = `POST /cart/items → ${addStatus}`;
  }

  // Carts of 50 lines: each add re-reads a cart that size, so this row shows whether an add's cost grows
  // with the cart (p99 against p50). Generated products, so the demo catalog's 16 are not a limit.
  if (productIds.length && wanted('cartAddBig')) {
    await db.batch(
      Array.from({ length: BIG_CART_LINES }, (_, i) =>
        db
          .prepare(
            'INSERT INTO products (id, store_id, slug, name, description, unit_amount, currency, stock, active) ' +
              "VALUES (?, 'st_demo_tidewater', ?, ?, 'Generated for the bench.', ?, 'usd', NULL, 1) ON CONFLICT DO NOTHING",
          )
          .bind(`prod_bench_line_${i}`, `bench-line-${i}`, `Bench line ${i}`, 500 + i * 10),
      ),
    );
    const lineIds = Array.from({ length: BIG_CART_LINES }, (_, i) => `prod_bench_line_${i}`);
    const bigCookies = await makeCarts(BIG_CARTS, lineIds);
    for (let line = 1; line < BIG_CART_LINES; line++)
      await Promise.all(
        bigCookies.map(async (cookie, c) => {
          const res = await f('/cart/items', {
            method: 'POST',
            headers: { cookie, 'content-type': 'application/json', accept: 'application/json' },
            body: JSON.stringify({ productId: lineIds[(c + line) % BIG_CART_LINES], qty: 1 }),
          });
          await res.body?.cancel();
        }),
      );
    scenarios.push({
      name: `POST /cart/items (${BIG_CART_LINES}-line carts)`,
      key: 'cartAddBig',
      kind: 'cart-add',
      method: 'POST',
      path: '/cart/items',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      cookies: bigCookies,
      productIds: lineIds,
      okStatuses: [200, 201],
    });
  }

  // Checkout: each measured request on a cart that never checked out, so each creates a real session.
  if (productIds.length && wanted('checkout')) {
    const [probeCookie] = await makeCarts(1);
    const probe = await f('/checkout', {
      method: 'POST',
      headers: { cookie: probeCookie ?? '', 'content-type': 'application/json', accept: 'application/json' },
      body: '{}',
    });
    const probeText = await probe.text();
    if (probe.status >= 200 && probe.status < 400) {
      // One more batch when profiling: the profile pass takes its carts from the end (profileVariant).
      const cookies = await makeCarts(CHECKOUTS * (ROUNDS + (PROFILE ? 1 : 0)) + CONNECTIONS * 2);
      scenarios.push({
        name: 'POST /checkout (new session)',
        key: 'checkout',
        phase: 1,
        kind: 'rotate-cookie',
        method: 'POST',
        path: '/checkout',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: '{}',
        cookies,
        amount: CHECKOUTS,
        warmup: false,
        okStatuses: [200, 201, 302, 303],
      });
    } else
      unavailable.checkout = `POST /checkout → ${probe.status} ${probeText.slice(0, 120).replace(/\s+/g, ' ')}`;
  } else unavailable.checkout = 'no cart could be filled';

  // Subscriptions: checkout of a cart holding a recurring product (one session in subscription mode), and
  // the ingest of `invoice.paid` for a known subscription (each event a new period: a renewal order, its
  // vendor transfers and mail rows written, the charge looked up at the emulator).
  const recurringIds = (
    await db
      .prepare(
        'select p.id from products p join stores s on s.id = p.store_id where p.active = 1 and p.stock is null ' +
          'and p.recurring_interval is not null and s.charges_enabled = 1 and s.payouts_enabled = 1 limit 1',
      )
      .all()
      .catch(() => ({ results: [] }))
  ).results.map((r) => String(r.id));
  /** POST /checkout as JSON for a cart cookie and an e-mail; the started session or null. */
  const subscribe = async (cookie, email) => {
    const res = await f('/checkout', {
      method: 'POST',
      headers: { cookie: cookie ?? '', 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ email }),
    });
    return res.ok
      ? /** @type {{ sessionId?: string }} */ (await res.json())
      : (await res.body?.cancel(), null);
  };
  if (!wanted('subCheckout') && !wanted('invoicePaid')) {
    // not part of this run (BENCH_ONLY)
  } else if (!recurringIds.length) {
    unavailable.subCheckout = 'no recurring product in the catalog';
    unavailable.invoicePaid = unavailable.subCheckout;
  } else {
    const checkoutEmail = 'bench-checkout@example.test';
    if (!wanted('subCheckout')) {
      // not part of this run (BENCH_ONLY)
    } else if ((await subscribe((await makeCarts(1, recurringIds))[0], checkoutEmail))?.sessionId) {
      scenarios.push({
        name: 'POST /checkout (subscription mode)',
        key: 'subCheckout',
        phase: 1,
        kind: 'rotate-cookie',
        method: 'POST',
        path: '/checkout',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ email: checkoutEmail }),
        cookies: await makeCarts(CHECKOUTS + CONNECTIONS * 2, recurringIds),
        amount: CHECKOUTS,
        warmup: false,
        okStatuses: [200, 201, 302, 303],
      });
    } else unavailable.subCheckout = 'a subscription checkout could not start';

    // One real subscription, paid on the emulator (its control endpoint, as the hosted page does).
    const subscriberEmail = 'bench-subscriber@example.test';
    const started = await subscribe((await makeCarts(1, recurringIds))[0], subscriberEmail);
    const emulatorWorker = await emuMf.getWorker('stripe-emulator').catch(() => null);
    const paid =
      started?.sessionId && emulatorWorker
        ? await emulatorWorker.fetch(
            `http://stripe-emulator.local/_emulator/checkout/sessions/${started.sessionId}/pay`,
            {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ card: '4242424242424242', email: subscriberEmail }),
            },
          )
        : null;
    if (paid) await paid.text();
    /** @type {{ id: string, amount: number, currency: string, pi: string | null } | null} */
    let known = null;
    for (let i = 0; i < 40 && paid?.ok && !known?.pi; i++) {
      await new Promise((r) => setTimeout(r, 250));
      known = await db
        .prepare(
          'select s.id, s.amount, s.currency, o.payment_intent_id as pi from subscriptions s ' +
            'join orders o on o.id = s.order_id where s.email = ?',
        )
        .bind(subscriberEmail)
        .first()
        .catch(() => null);
    }
    // Every renewal has its own payment: a pool of paid PaymentIntents at the emulator, one per event.
    /** @type {string[]} */
    const intents = [];
    // One pool per round: a PaymentIntent pays one renewal order only (orders.payment_intent_id is unique).
    for (let i = 0; known?.pi && emulatorWorker && i < INVOICE_EVENTS * ROUNDS; i += 16) {
      const batch = await Promise.all(
        Array.from({ length: 16 }, async () => {
          const res = await emulatorWorker.fetch('http://stripe-emulator.local/v1/payment_intents', {
            method: 'POST',
            headers: {
              authorization: 'Bearer sk_test_emulator',
              'content-type': 'application/x-www-form-urlencoded',
            },
            body: new URLSearchParams({
              amount: String(known.amount),
              currency: known.currency,
              payment_method: 'pm_card_visa',
              confirm: 'true',
            }).toString(),
          });
          const body = /** @type {{ id?: string }} */ (await res.json().catch(() => ({})));
          return res.ok && body.id ? body.id : null;
        }),
      );
      intents.push(...batch.filter((x) => x !== null));
    }
    if (!wanted('invoicePaid')) {
      // not part of this run (BENCH_ONLY)
    } else if (known?.pi && intents.length)
      scenarios.push({
        name: 'invoice.paid ingest (renewal order)',
        key: 'invoicePaid',
        phase: 1,
        kind: 'webhook',
        method: 'POST',
        path: '/webhooks/stripe',
        headers: { 'content-type': 'application/json' },
        webhook: {
          secret: webhookSecret,
          type: 'invoice.paid',
          invoice: {
            subscription: known.id,
            paymentIntents: intents,
            amount: known.amount,
            currency: known.currency,
          },
        },
        // Each event takes its own PaymentIntent from the pool (the amount caps each round at its share).
        amount: Math.floor(intents.length / ROUNDS),
        warmup: false,
        okStatuses: [200, 201, 202, 204],
      });
    else unavailable.invoicePaid = `no paid subscription to renew (pay → ${paid?.status ?? 'not tried'})`;
  }

  // Webhook ingest: a real `payment_intent.succeeded` for a pending order, applied (order paid, stock
  // committed, vendor transfers and mail queued). The orders are placed through the app's own Payment
  // Element path (POST /create-payment-intent) and their intents confirmed at the emulator, which keeps the
  // events it makes (automatic delivery off from here on); the row delivers each one once, signed anew.
  if (productIds.length && wanted('webhook')) {
    const emulatorWorker = await emuMf.getWorker('stripe-emulator');
    const stripeApi = (p, init = {}) =>
      emulatorWorker.fetch(`http://stripe-emulator.local${p}`, {
        ...init,
        headers: {
          authorization: 'Bearer sk_test_emulator',
          'content-type': 'application/x-www-form-urlencoded',
        },
      });
    await (
      await emulatorWorker.fetch('http://stripe-emulator.local/_emulator/config', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ auto_deliver: false }),
      })
    ).text();
    const payers = await makeCarts(WEBHOOK_ORDERS * (ROUNDS + (PROFILE ? 1 : 0)));
    /** @type {Set<string>} */
    const intentIds = new Set();
    for (let i = 0; i < payers.length; i += 16) {
      await Promise.all(
        payers.slice(i, i + 16).map(async (cookie) => {
          const res = await f('/create-payment-intent', {
            method: 'POST',
            headers: { cookie, 'content-type': 'application/json', accept: 'application/json' },
            body: '{}',
          });
          if (!res.ok) return void (await res.body?.cancel());
          const { clientSecret } = /** @type {{ clientSecret: string }} */ (await res.json());
          const id = clientSecret.split('_secret_')[0];
          const confirmed = await stripeApi(`/v1/payment_intents/${id}/confirm`, {
            method: 'POST',
            body: new URLSearchParams({ payment_method: 'pm_card_visa' }).toString(),
          });
          if (confirmed.ok) intentIds.add(id);
          await confirmed.body?.cancel();
        }),
      );
    }
    /** @type {string[]} */
    const events = [];
    for (let after = ''; ;) {
      const res = await stripeApi(
        `/v1/events?type=payment_intent.succeeded&limit=100${after ? `&starting_after=${after}` : ''}`,
      );
      const page = /** @type {{ data: any[], has_more: boolean }} */ (await res.json());
      for (const { delivery_state: _state, delivery_attempts: _attempts, ...event } of page.data)
        if (intentIds.has(event.data?.object?.id))
          // As the emulator delivers it (see emulator/src/delivery.ts).
          events.push(JSON.stringify({ ...event, pending_webhooks: 1 }, null, 2));
      if (!page.has_more || !page.data.length) break;
      after = page.data[page.data.length - 1].id;
    }
    if (events.length)
      scenarios.push({
        name: 'webhook: payment_intent.succeeded (pending order paid)',
        key: 'webhook',
        phase: 1,
        kind: 'webhook',
        method: 'POST',
        path: '/webhooks/stripe',
        headers: { 'content-type': 'application/json' },
        webhook: { secret: webhookSecret, type: 'payment_intent.succeeded', events },
        settle: true,
        amount: Math.floor(events.length / (ROUNDS + (PROFILE ? 1 : 0))),
        warmup: false,
        okStatuses: [200],
      });
    else unavailable.webhook = `no payment_intent.succeeded event made (${intentIds.size} intents confirmed)`;
  }

  // Floors of the routes' own reads (floors.mjs): each route's D1 calls captured once from the route
  // itself, then replayed by a floor row with nothing of the app around them. A cart row's floor also
  // makes its call to a cart object (a plain one for a view; one that writes, for an add).
  /** @type {Record<string, string>} route key → how many D1 calls and statements its floor replays */
  const replayed = (results.replayed = {});
  const capture = async (key, body, op = 'capture') => {
    const res = await f(`/__bench/${op}/${key}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const out = /** @type {{ status: number, calls: { statements: unknown[] }[] }} */ (
      res.ok ? await res.json() : { status: res.status, calls: [] }
    );
    if (out.status !== 200 || !out.calls.length) {
      results.notes.push(
        `no floor for ${key}: capture answered ${out.status} with ${out.calls.length} D1 calls`,
      );
      return;
    }
    const statements = out.calls.reduce((n, c) => n + c.statements.length, 0);
    replayed[key] =
      `${out.calls.length} D1 call${out.calls.length === 1 ? '' : 's'} (${statements} statement${statements === 1 ? '' : 's'})`;
    const object = { cart: 'call', cartAdd: 'write', cartAddBig: 'write' }[key];
    // Right after its route, so both run in the same conditions of this shared machine.
    scenarios.splice(scenarios.findIndex((x) => x.key === key) + 1, 0, {
      name: `floor: ${key}'s own reads`,
      key: `floor:${key}`,
      kind: 'plain',
      method: 'GET',
      path: `/__bench/replay/${key}${object ? `?do=${object}` : ''}`,
    });
  };
  /** The cart id behind a cart cookie (GET /cart answers it). */
  const cartIdOf = async (cookie) =>
    /** @type {{ id: string }} */ (
      await (await f('/cart', { headers: { cookie, accept: 'application/json' } })).json()
    ).id;
  if (scenarios.some((x) => x.key === 'homeUncached'))
    await capture('homeUncached', { path: '/', headers: uncached });
  if (scenarios.some((x) => x.key === 'productUncached'))
    await capture('productUncached', { path: productPath, headers: uncached });
  if (scenarios.some((x) => x.key === 'cart'))
    await capture('cart', { cartId: await cartIdOf(viewCookies[0]), op: 'view' }, 'capture-cart');
  for (const key of ['cartAdd', 'cartAddBig']) {
    const s = scenarios.find((x) => x.key === key);
    if (!s) continue;
    // A cart of its own holding every product the row adds, as the row's carts do once it has gone round
    // them (so the captured read prices as many rows as the row's adds mostly do); added to once more.
    const [cookie] = await makeCarts(1, s.productIds);
    for (const productId of s.productIds.slice(1)) {
      const res = await f('/cart/items', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ productId, qty: 1 }),
      });
      await res.body?.cancel();
    }
    await capture(
      key,
      { cartId: await cartIdOf(cookie), op: 'add', productId: s.productIds[0] },
      'capture-cart',
    );
  }

  // The baseline runs first and last: their mean is what every route is compared with, so a machine
  // that got busier (or quieter) during the run shows in the spread instead of skewing the ratios.
  scenarios.push({ ...scenarios[0], name: 'baseline (end)', key: 'baselineEnd', warmup: false });

  // 5. Load from a separate process.
  const planFile = path.join(tmp, 'plan.json');
  const outFile = path.join(tmp, 'load-results.json');
  writeFileSync(
    planFile,
    JSON.stringify({
      baseUrl,
      connections: CONNECTIONS,
      durationSeconds: DURATION,
      warmupSeconds: WARMUP,
      rounds: ROUNDS,
      cpuPid,
      emulatorPid,
      clockTicks: clockTicks(),
      scenarios,
    }),
  );
  log(
    `loading ${scenarios.length} routes × ${ROUNDS} round(s) from a separate process (${CONNECTIONS} connections, ${DURATION} s each)…`,
  );
  /** Runs the load process on a plan file; resolves with its passes. */
  const load = async (plan, out) => {
    const code = await new Promise((resolve) => {
      loader = spawn(process.execPath, [path.join(HERE, 'load.mjs'), plan, out], {
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      loader.on('close', (c) => resolve(c));
    });
    if (code !== 0) throw new Error(`load process exited ${code}`);
    return JSON.parse(readFileSync(out, 'utf8'));
  };
  const passes = await load(planFile, outFile);

  /**
   * A scenario for its profile pass: checkout carts and webhook events are used once each, so the pass
   * takes the ones the measured rounds left (made for it when BENCH_PROFILE=1).
   */
  const profileVariant = (s) => {
    const used = (s.amount ?? 0) * ROUNDS;
    if (s.key === 'webhook') return { ...s, webhook: { ...s.webhook, events: s.webhook.events.slice(used) } };
    if (s.key === 'checkout') return { ...s, cookies: s.cookies.slice(used + CONNECTIONS * 2) };
    return s;
  };
  /** Profiles one scenario at a time (its own load pass, not counted in the table). */
  const profileScenarios = async (list) => {
    for (const original of list) {
      const s = profileVariant(original);
      const plan = path.join(tmp, `plan-profile-${s.key}.json`);
      writeFileSync(
        plan,
        JSON.stringify({ ...JSON.parse(readFileSync(planFile, 'utf8')), rounds: 1, scenarios: [s] }),
      );
      try {
        const profile = await profileWhile(
          inspectorPort,
          'storefront',
          () => load(plan, path.join(tmp, `load-profile-${s.key}.json`)),
          sourceMapLookup(`${benchScript}.map`),
        );
        if (profile) (results.profiles ??= {})[s.key] = profile;
      } catch (err) {
        results.notes.push(
          `profile of ${s.name} failed: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
  };
  const PROFILED = [
    'homeUncached',
    'productUncached',
    'cart',
    'cartAdd',
    'cartAddBig',
    'webhook',
    'checkout',
  ];
  if (PROFILE) await profileScenarios(scenarios.filter((x) => PROFILED.includes(x.key)));

  // Scale checks (docs/SCALING.md): a flash sale and a burst of new carts, measured from this process.
  /** Sends `n` requests at once; statuses, wall time and client-side latency percentiles. */
  const burst = async (n, makeRequest) => {
    const started = performance.now();
    const latencies = [];
    const statuses = {};
    const answers = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const t0 = performance.now();
        try {
          const res = await makeRequest(i);
          await res.body?.cancel();
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          return res;
        } catch {
          statuses.network_error = (statuses.network_error ?? 0) + 1;
          return null;
        } finally {
          latencies.push(performance.now() - t0);
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    return {
      answers,
      statuses,
      seconds: (performance.now() - started) / 1000,
      p50Ms: latencies[Math.floor(n * 0.5)],
      p99Ms: latencies[Math.min(n - 1, Math.floor(n * 0.99))],
    };
  };
  if (productIds.length && wanted('flashSale')) {
    const FLASH_SHOPPERS = 200;
    const FLASH_UNITS = 20;
    await db
      .prepare(
        'INSERT INTO products (id, store_id, slug, name, description, unit_amount, currency, stock, active) ' +
          "VALUES ('prod_bench_flash', 'st_demo_tidewater', 'bench-flash', 'Flash Sale Mug', 'The last few.', 2500, 'usd', ?, 1) " +
          'ON CONFLICT (id) DO UPDATE SET stock = excluded.stock',
      )
      .bind(FLASH_UNITS)
      .run();
    const filled = await burst(FLASH_SHOPPERS, () =>
      f('/cart/items', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ productId: 'prod_bench_flash', qty: 1 }),
      }),
    );
    const shopperCookies = filled.answers.map((r) => (r?.ok ? cookieFrom(r, 'cart') : null)).filter(Boolean);
    const sale = await burst(shopperCookies.length, (i) =>
      f('/checkout', {
        method: 'POST',
        headers: {
          cookie: shopperCookies[i],
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: '{}',
      }),
    );
    const after = await db
      .prepare(
        "SELECT (SELECT stock FROM products WHERE id = 'prod_bench_flash') AS stock, " +
          "(SELECT coalesce(sum(quantity), 0) FROM stock_reservations WHERE product_id = 'prod_bench_flash' AND status <> 'released') AS held",
      )
      .first();
    const sessions = Object.entries(sale.statuses)
      .filter(([code]) => Number(code) >= 200 && Number(code) < 400)
      .reduce((sum, [, count]) => sum + count, 0);
    results.flashSale = {
      shoppers: shopperCookies.length,
      units: FLASH_UNITS,
      checkoutStatuses: sale.statuses,
      sessionsCreated: sessions,
      unitsHeld: after?.held ?? null,
      stockLeft: after?.stock ?? null,
      oversold: (after?.held ?? 0) > FLASH_UNITS || (after?.stock ?? 0) < 0 || sessions > FLASH_UNITS,
      everyShopperAnswered: !('network_error' in sale.statuses) && sale.answers.every(Boolean),
      seconds: sale.seconds,
      p50Ms: sale.p50Ms,
      p99Ms: sale.p99Ms,
    };
    log(`flash sale: ${JSON.stringify(results.flashSale)}`);
  }
  if (productIds.length && wanted('thousandCarts')) {
    const CARTS = 1000;
    const carts = await burst(CARTS, (i) =>
      f('/cart/items', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ productId: productIds[i % productIds.length], qty: 1 }),
      }),
    );
    results.thousandCarts = {
      carts: CARTS,
      statuses: carts.statuses,
      created: carts.answers.filter((r) => r?.ok && cookieFrom(r, 'cart')).length,
      seconds: carts.seconds,
      cartsPerSecond: CARTS / carts.seconds,
      p50Ms: carts.p50Ms,
      p99Ms: carts.p99Ms,
    };
    log(`1,000 carts: ${JSON.stringify(results.thousandCarts)}`);
  }

  // Search at catalog scale, after the other routes (10,000 more products would change what they measure):
  // a generated catalog, then search terms in rotation, each request a distinct URL (no cached answer).
  if (wanted('search')) {
    const catalogSize = Number(process.env.BENCH_SEARCH_PRODUCTS ?? 10_000);
    log(`generating ${catalogSize} products for the search row…`);
    const words = {
      adj: [
        'amber',
        'birch',
        'cobalt',
        'dune',
        'ember',
        'fern',
        'granite',
        'harbor',
        'indigo',
        'juniper',
        'kelp',
        'linen',
        'moss',
        'nordic',
        'ochre',
        'pebble',
        'quartz',
        'rust',
        'saffron',
        'tidal',
      ],
      noun: [
        'mug',
        'bowl',
        'vase',
        'plate',
        'scarf',
        'tote',
        'throw',
        'napkin',
        'notebook',
        'card',
        'calendar',
        'pen',
        'candle',
        'spoon',
        'basket',
        'print',
        'apron',
        'pillow',
        'dripper',
        'blend',
      ],
      cat: ['ceramics', 'kitchen', 'home', 'textiles', 'paper-stationery', 'art-prints'],
    };
    const started = Date.now();
    await db.batch([
      db.prepare(
        'INSERT INTO stores (id, slug, name, tagline, charges_enabled, payouts_enabled, details_submitted) ' +
          "VALUES ('st_bench_big', 'bench-big', 'Bench Café Collective', 'Generated for the bench.', 1, 1, 1) ON CONFLICT DO NOTHING",
      ),
    ]);
    for (let from = 0; from < catalogSize; from += 2000) {
      const statements = [];
      for (let chunk = from; chunk < Math.min(catalogSize, from + 2000); chunk += 100) {
        const rows = [];
        const cats = [];
        for (let i = chunk; i < Math.min(catalogSize, chunk + 100); i++) {
          const a = words.adj[i % 20];
          const n = words.noun[Math.floor(i / 20) % 20];
          const b = words.adj[Math.floor(i / 400) % 20];
          rows.push(
            `('prod_bench_${i}', 'st_bench_big', 'bench-${i}', '${a} ${n} no. ${i}', ` +
              `'A ${b} ${n}, handmade; pairs with a ${words.noun[(i * 7) % 20]}. Crème, café and façade tones.', ` +
              `${500 + (i % 97) * 100}, 'usd', ${i % 9 === 0 ? 0 : 'NULL'}, ${i % 50 === 0 ? 1 : 0}, 1)`,
          );
          cats.push(`('prod_bench_${i}', '${words.cat[i % 6]}')`);
        }
        statements.push(
          db.prepare(
            'INSERT INTO products (id, store_id, slug, name, description, unit_amount, currency, stock, featured, active) VALUES ' +
              `${rows.join(', ')} ON CONFLICT DO NOTHING`,
          ),
          db.prepare(
            `INSERT INTO product_categories (product_id, category_slug) VALUES ${cats.join(', ')} ON CONFLICT DO NOTHING`,
          ),
        );
      }
      await db.batch(statements);
    }
    const indexed = await db.prepare('SELECT count(*) AS n FROM product_search').first();
    results.searchCatalog = {
      products: catalogSize,
      indexedRows: indexed?.n ?? null,
      seconds: (Date.now() - started) / 1000,
    };
    const searchPaths = [];
    for (let i = 0; i < 400; i++) {
      const a = words.adj[i % 20];
      const n = words.noun[Math.floor(i / 20) % 20];
      // Two-word queries, one-word prefixes, and an accent-insensitive match, in turn.
      searchPaths.push(
        i % 3 === 0
          ? `/api/v1/search?q=${a}+${n}`
          : i % 3 === 1
            ? `/api/v1/search?q=${n.slice(0, 4)}&category=${words.cat[i % 6]}`
            : `/api/v1/search?q=creme+${a}`,
      );
    }
    const searchScenarios = [
      {
        name: 'baseline (search phase)',
        key: 'baselineSearch',
        kind: 'plain',
        method: 'GET',
        path: '/__bench/ok',
      },
      {
        name: `search (${catalogSize} products)`,
        key: 'search',
        kind: 'rotate-path',
        method: 'GET',
        path: searchPaths[0],
        paths: searchPaths,
        headers: { accept: 'application/json' },
      },
    ];
    scenarios.push(...searchScenarios);
    const searchPlan = path.join(tmp, 'plan-search.json');
    writeFileSync(
      searchPlan,
      JSON.stringify({ ...JSON.parse(readFileSync(planFile, 'utf8')), scenarios: searchScenarios }),
    );
    const probeSearch = await f(searchPaths[0], { headers: { accept: 'application/json' } });
    const probeHits = (await probeSearch.json().catch(() => ({ data: [] }))).data?.length ?? 0;
    results.notes.push(`search probe ${searchPaths[0]} → ${probeSearch.status}, ${probeHits} results`);
    passes.push(...(await load(searchPlan, path.join(tmp, 'load-search.json'))));
    if (PROFILE) await profileScenarios(searchScenarios.filter((x) => x.key === 'search'));
  }
  results.passes = passes;
  if (scenarios.some((x) => x.key === 'webhook')) {
    // What the webhook row did: every event applied, its order paid (not merely stored or ignored).
    const applied = await db
      .prepare(
        "SELECT w.status AS event, o.status AS orderStatus, count(*) AS n FROM webhook_events w LEFT JOIN orders o ON o.payment_intent_id = json_extract(w.payload, '$.data.object.id') " +
          "WHERE w.type = 'payment_intent.succeeded' GROUP BY w.status, o.status",
      )
      .all();
    results.webhookApplied = applied.results;
    results.notes.push(
      `webhook row outcome (event status, order status, count): ${JSON.stringify(applied.results)}`,
    );
  }
  /** One scenario's figures over the rounds: medians, with requests and errors summed. */
  const combine = (ms) => ({
    name: ms[0].name,
    rps: median(ms.map((m) => m.rps)),
    p50: median(ms.map((m) => m.p50)),
    p99: median(ms.map((m) => m.p99)),
    cpuMsPerRequest: median(ms.map((m) => m.cpuMsPerRequest)),
    emulatorCpuMsPerRequest: median(ms.map((m) => m.emulatorCpuMsPerRequest)),
    settleCpuMsPerRequest: median(ms.map((m) => m.settleCpuMsPerRequest)),
    requests: ms.reduce((sum, m) => sum + m.requests, 0),
    errors: ms.reduce((sum, m) => sum + m.errors, 0),
    statusCodes: Object.fromEntries(
      [...new Set(ms.flatMap((m) => Object.keys(m.statusCodes)))].map((k) => [
        k,
        ms.reduce((sum, m) => sum + (m.statusCodes[k] ?? 0), 0),
      ]),
    ),
  });
  const measured = [...new Set(passes.map((m) => m.name))].map((name) =>
    combine(passes.filter((m) => m.name === name)),
  );
  const runs = passes.filter((m) => m.name === 'baseline' || m.name === 'baseline (end)');
  const baseline = combine(runs);
  results.baselineRuns = runs.map((m) => ({ round: m.round, rps: m.rps, p50Ms: m.p50, p99Ms: m.p99 }));
  results.notes.push(
    `baseline = median of ${runs.length} runs, one before and one after the routes in each round (` +
      `${runs.map((m) => m.rps.toFixed(0)).join(', ')} req/s)`,
  );
  if (ROUNDS > 1)
    results.notes.push(`${ROUNDS} rounds, routes interleaved; every figure is the median over the rounds`);

  const order = [
    ['baseline', 'baseline (GET /__bench/ok)'],
    ['assetsBaseline', 'baseline through the assets path'],
    ['floorD1', 'floor: one D1 round trip (GET /__bench/d1, `select 1`)'],
    [
      'floorD1Session',
      "floor: the same through a D1 session (GET /__bench/d1-session, `withSession('first-unconstrained')`)",
    ],
    ['floorDo', "floor: one Durable Object call (GET /__bench/do, a cart object's ping)"],
    [
      'floorDoWrite',
      'floor: one Durable Object call that writes a line and its meta row (GET /__bench/do-write)',
    ],
    ['floorStripe', 'floor: one call to the Stripe emulator (GET /__bench/stripe, `/v1/account`)'],
    ['floor:homeUncached', "floor: the uncached home page's D1 reads, replayed"],
    ['floor:productUncached', "floor: the uncached product page's D1 reads, replayed"],
    ['floor:cart', "floor: GET /cart's object call and D1 reads, replayed"],
    ['floor:cartAdd', "floor: POST /cart/items' object write and D1 reads, replayed"],
    ['floor:cartAddBig', `floor: the same for a ${BIG_CART_LINES}-line cart`],
    ['home', 'home page (GET /)'],
    ['product', `product page (GET ${productPath ?? '/products/…'})`],
    ['homeUncached', 'home page, uncached (vendor session)'],
    ['productUncached', 'product page, uncached (vendor session)'],
    ['cart', 'GET /cart (carts of 3 lines)'],
    ['cartDiscount', 'GET /cart (with a discount code applied)'],
    ['cartAdd', 'POST /cart/items'],
    ['cartAddBig', `POST /cart/items (carts of ${BIG_CART_LINES} lines)`],
    ['webhook', 'webhook: payment_intent.succeeded, pending order paid'],
    ['checkout', 'POST /checkout'],
    ['subCheckout', 'POST /checkout (subscription mode)'],
    ['invoicePaid', 'invoice.paid ingest (renewal order)'],
    ['baselineSearch', 'baseline, search phase (after 10,000 products)'],
    ['search', 'GET /api/v1/search (10,000-product catalog)'],
  ];
  for (const [key, label] of order) {
    const s = scenarios.find((x) => x.key === key);
    const m = key === 'baseline' ? baseline : s ? measured.find((x) => x.name === s.name) : undefined;
    if (!m) {
      results.routes.push({
        key,
        route: label,
        available: false,
        reason: unavailable[key] ?? 'not measured',
      });
      continue;
    }
    results.routes.push({
      key,
      route: label,
      available: true,
      rps: m.rps,
      p50Ms: m.p50,
      p99Ms: m.p99,
      cpuMsPerRequest: m.cpuMsPerRequest,
      emulatorCpuMsPerRequest: m.emulatorCpuMsPerRequest,
      settleCpuMsPerRequest: m.settleCpuMsPerRequest,
      ratio: baseline?.rps ? m.rps / baseline.rps : null,
      requests: m.requests,
      errors: m.errors,
      statusCodes: m.statusCodes,
    });
  }
} catch (err) {
  results.error = err instanceof Error ? err.message : String(err);
  log(`failed: ${results.error}`);
} finally {
  await cleanup();
  clearTimeout(deadline);
}

// 6. Report.
const fmt = (n, d = 0) => (n == null || Number.isNaN(n) ? 'n/a' : n.toFixed(d));
const target = Object.fromEntries(
  Object.entries(TARGETS)
    .filter(([, t]) => typeof t === 'object')
    .map(([k, t]) => [k, 'cpu' in t ? `≤ ${t.cpu} ms CPU` : `≥ ${t.ratio * 100}% of baseline`]),
);
const verdict = (key, r) => {
  const t = TARGETS[key];
  if (typeof t !== 'object') return '';
  if (key === 'cartAddBig' && r.p50Ms && r.p99Ms >= 3 * r.p50Ms) return 'missed: p99 ≥ 3× p50';
  if ('cpu' in t) return r.cpuMsPerRequest == null ? 'n/a' : r.cpuMsPerRequest <= t.cpu ? 'met' : 'missed';
  return r.ratio == null ? 'n/a' : r.ratio >= t.ratio ? 'met' : 'missed';
};
const lines = [
  `## Benchmark (workerd via Miniflare, ${CONNECTIONS} connections, ${DURATION} s per route, ${ROUNDS} round(s), ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)})`,
  '',
  '| route | req/s | p50 ms | p99 ms | CPU ms/req | emulator CPU ms/req | vs baseline | target | errors |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
];
for (const r of results.routes) {
  if (!r.available)
    lines.push(`| ${r.route} | n/a | n/a | n/a | n/a | n/a | n/a | ${target[r.key] ?? ''} | ${r.reason} |`);
  else
    lines.push(
      `| ${r.route} | ${fmt(r.rps)} | ${fmt(r.p50Ms, 1)} | ${fmt(r.p99Ms, 1)} | ${fmt(r.cpuMsPerRequest, 2)} | ${r.emulatorCpuMsPerRequest ? fmt(r.emulatorCpuMsPerRequest, 2) : ''} | ${r.ratio == null ? 'n/a' : `${fmt(r.ratio * 100, 1)}%`} | ${
        target[r.key] ? `${target[r.key]} (${verdict(r.key, r)})` : ''
      } | ${r.errors} |`,
    );
}
{
  // Against the I/O floor: a route's calls priced at the floor rows' cost, each less the bare route.
  const cpuOf = (key) => results.routes.find((r) => r.key === key && r.available)?.cpuMsPerRequest ?? null;
  const bare = cpuOf('baseline');
  const per = {
    d1: cpuOf('floorD1'),
    d1Session: cpuOf('floorD1Session'),
    do: cpuOf('floorDo'),
    doWrite: cpuOf('floorDoWrite'),
    stripe: cpuOf('floorStripe'),
  };
  const CALL = {
    d1: 'D1',
    d1Session: 'D1 (session)',
    do: 'object',
    doWrite: 'object write',
    stripe: 'Stripe',
  };
  const rows = [];
  for (const [key, io] of Object.entries(IO)) {
    const r = results.routes.find((x) => x.key === key && x.available);
    const page = io.page ? cpuOf(io.page) : null;
    const replay = cpuOf(`floor:${key}`);
    if (!r || bare == null || (io.page && page == null)) continue;
    const pageCost = page == null ? 0 : page - bare;
    const counted = io.fewest === 'replay' ? [] : Object.entries(io.fewest);
    if (counted.some(([k]) => per[k] == null) || (io.fewest === 'replay' && replay == null)) continue;
    const own = replay == null ? null : replay + pageCost;
    const fewest =
      io.fewest === 'replay'
        ? own
        : bare + counted.reduce((sum, [k, n]) => sum + n * (per[k] - bare), 0) + pageCost;
    const objectCall = key.startsWith('cart') ? `its object ${key === 'cart' ? 'call' : 'write'} + ` : '';
    const ownCalls =
      replay == null ? null : `${objectCall}its own ${results.replayed?.[key] ?? 'D1 calls'}, replayed`;
    const withPage = (text) => (io.page ? `${text} + the cached ${io.page} page's answer` : text);
    const fewestText =
      io.fewest === 'replay'
        ? 'its own (one query for its lines)'
        : withPage(counted.map(([k, n]) => `${n} ${CALL[k]}`).join(' + '));
    const t = TARGETS[key];
    let verdict = '';
    if (t && 'ratio' in t)
      verdict = `best possible ${fmt((bare / fewest) * 100, 1)}% of the bare route (target ≥ ${t.ratio * 100}%)`;
    else if (t && 'cpu' in t)
      verdict =
        fewest >= t.cpu
          ? `out of reach: the fewest calls alone cost ${fmt(fewest - t.cpu, 2)} ms more than the ${t.cpu} ms target`
          : own != null && own >= t.cpu
            ? `over the ${t.cpu} ms target with its own reads (by ${fmt(own - t.cpu, 2)} ms); the fewest calls leave ${fmt(t.cpu - fewest, 2)} ms`
            : `${fmt(t.cpu - (own ?? fewest), 2)} ms left for the app's own work under the ${t.cpu} ms target`;
    rows.push(
      `| ${r.route} | ${fewestText} | ${fmt(fewest, 2)} | ${ownCalls ? withPage(ownCalls) : '–'} | ${fmt(own, 2)} | ${fmt(r.cpuMsPerRequest, 2)} | ${fmt(r.cpuMsPerRequest - (own ?? fewest), 2)} | ${verdict} |`,
    );
  }
  if (rows.length)
    lines.push(
      '',
      "Against the I/O floor (the fewest calls any design makes, priced at this run's floor rows; and the route's own D1 calls, replayed; local D1 runs in this process):",
      '',
      '| route | fewest calls | floor CPU ms | its own I/O | floor CPU ms | CPU ms/req | above its own floor | |',
      '| --- | --- | ---: | --- | ---: | ---: | ---: | --- |',
      ...rows,
    );
}
if (results.bundle) {
  const met = results.bundle.gzipKiB <= TARGETS.gzipKiB ? 'met' : 'missed';
  lines.push(
    '',
    `Bundle (wrangler deploy --dry-run --env production): ${fmt(results.bundle.rawKiB, 1)} KiB raw, ` +
      `${fmt(results.bundle.gzipKiB, 1)} KiB gzip (target ≤ ${TARGETS.gzipKiB} KiB gzip: ${met}).`,
  );
}
if (results.flashSale) {
  const fs = results.flashSale;
  lines.push(
    '',
    `Flash sale: ${fs.shoppers} shoppers check out the last ${fs.units} units at once → ${fs.sessionsCreated} sessions, ` +
      `statuses ${JSON.stringify(fs.checkoutStatuses)}, ${fs.unitsHeld} units held, stock left ${fs.stockLeft}, ` +
      `oversold: ${fs.oversold ? 'YES' : 'no'}, every shopper answered: ${fs.everyShopperAnswered ? 'yes' : 'NO'}; ` +
      `${fmt(fs.seconds, 2)} s, p50 ${fmt(fs.p50Ms)} ms, p99 ${fmt(fs.p99Ms)} ms.`,
  );
}
if (results.thousandCarts) {
  const tc = results.thousandCarts;
  lines.push(
    `1,000 carts created and filled at once: ${tc.created} created, statuses ${JSON.stringify(tc.statuses)}, ` +
      `${fmt(tc.seconds, 2)} s (${fmt(tc.cartsPerSecond)} carts/s), p50 ${fmt(tc.p50Ms)} ms, p99 ${fmt(tc.p99Ms)} ms.`,
  );
}
if (results.bundleBreakdown) {
  const b = results.bundleBreakdown;
  lines.push(
    `Bundle by package (esbuild, minified): ${b.packages.map((p) => `${p.name} ${fmt(p.minifiedKiB, 1)} KiB (${fmt(p.percent, 0)}%)`).join(', ')}.`,
    `The stripe SDK costs ${fmt(b.stripeGzipKiB, 1)} KiB of ${fmt(b.gzipKiB, 1)} KiB gzip (without it: ${fmt(b.withoutStripeGzipKiB, 1)} KiB): ` +
      'the most any narrower Stripe import could save.',
  );
}
for (const [key, profile] of Object.entries(results.profiles ?? {})) {
  lines.push('', `Profile of ${key} (${profile.samples} samples, self time):`);
  for (const f of profile.top) lines.push(`- ${f.selfPercent}% ${f.frame}`);
  lines.push(`Under these (inclusive time, the app's and its packages' frames):`);
  for (const f of profile.inclusiveTop ?? []) lines.push(`- ${f.inclusivePercent}% ${f.frame}`);
}
for (const r of results.routes)
  if (r.available && r.settleCpuMsPerRequest)
    lines.push(
      `Note: ${r.route} left queue work behind (payouts, mail): ${fmt(r.settleCpuMsPerRequest, 2)} ms of workerd CPU per request after the run, not in its CPU ms/req.`,
    );
for (const note of results.notes) lines.push(`Note: ${note}.`);
if (results.error) lines.push('', `Error: ${results.error}`);
console.log(lines.join('\n'));

const outDir = path.join(HERE, 'results');
mkdirSync(outDir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
/** The commit measured (read-only git query); null outside a checkout. */
function commit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}
const json = JSON.stringify(
  {
    date: new Date().toISOString(),
    commit: commit(),
    connections: CONNECTIONS,
    durationSeconds: DURATION,
    rounds: ROUNDS,
    loadAverage: os.loadavg(),
    cores: os.cpus().length,
    targets: TARGETS,
    ...results,
  },
  null,
  2,
);
writeFileSync(path.join(outDir, `bench-${stamp}.json`), json);
writeFileSync(path.join(outDir, 'latest.json'), json);
console.log(`\nJSON: ${path.relative(ROOT, path.join(outDir, `bench-${stamp}.json`))}`);
process.exit(results.error ? 1 : 0);
