// `npm run bench`: the production bundle served by workerd (Miniflare's API, not `wrangler dev`, whose proxy
// would be what we measure), seeded like dev, loaded from a separate process on 127.0.0.1. Prints a markdown
// table and writes JSON to test/bench/results/. Figures are for the issue notes; nothing here asserts them.
//
//   npm run bench                     5 s per route, 10 connections
//   BENCH_DURATION=10 BENCH_CONNECTIONS=20 npm run bench
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
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
const TIME_LIMIT_MS = Number(process.env.BENCH_TIME_LIMIT_S ?? 600) * 1000;
const HOST = '127.0.0.1';
/** Carts that take `POST /cart/items` in turn, so no line nears the 99-unit cap during the run. */
const CART_POOL = 256;
/** Checkouts per run: each one on a cart that has never checked out (a real session each, no replay). */
const CHECKOUTS = Number(process.env.BENCH_CHECKOUTS ?? 400);
/** Renewal invoices the `invoice.paid` ingest row may deliver (one paid PaymentIntent each, made beforehand). */
const INVOICE_EVENTS = 400;
const TARGETS = { home: 0.5, cartAdd: 0.25, gzipKiB: 250 };

const log = (msg) => console.error(`[bench] ${msg}`);
const require = createRequire(import.meta.url);
const wranglerRequire = createRequire(require.resolve('wrangler/package.json'));
const esbuild = await import(pathToFileURL(wranglerRequire.resolve('esbuild')).href);
const { unstable_getMiniflareWorkerOptions } = await import('wrangler');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'storefront-bench-'));
/** @type {InstanceType<typeof Miniflare> | undefined} */
let mf;
/** @type {import('node:child_process').ChildProcess | undefined} */
let loader;

async function cleanup() {
  loader?.kill('SIGKILL');
  await mf?.dispose().catch(() => {});
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
 * Wraps the app bundle with the baseline route: `GET /__bench/ok` answers "ok" from the same Worker and
 * isolate; every other request goes to the app untouched. Exists only in this build, never in the app.
 */
async function wrapWithBaseline(appEntry, outFile) {
  const entry = path.join(tmp, 'bench-entry.mjs');
  const spec = JSON.stringify(appEntry);
  writeFileSync(
    entry,
    `import * as app from ${spec};\nexport * from ${spec};\nconst inner = app.default;\n` +
      `export default { ...inner, fetch(request, env, ctx) {\n` +
      `  if (new URL(request.url).pathname === '/__bench/ok') return new Response('ok');\n` +
      `  return inner.fetch(request, env, ctx);\n} };\n`,
  );
  await esbuild.build({
    entryPoints: [entry],
    outfile: outFile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    external: ['cloudflare:*', 'node:*'],
    logLevel: 'warning',
  });
}

/**
 * Worker options for Miniflare from a wrangler config, with the bundle as its only module.
 * `directPort`: a socket straight to this Worker on that port (0: none chosen, the OS picks).
 */
function workerFrom(configPath, name, scriptPath, bindings, directPort = 0) {
  // Secrets are given below; naming them in the environment keeps wrangler from warning they are missing.
  for (const [k, v] of Object.entries(bindings)) process.env[k] ??= v;
  const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(ROOT, configPath));
  const { modulesRules: _rules, ...rest } = workerOptions;
  return {
    ...rest,
    name,
    modules: [{ type: 'ESModule', path: scriptPath }],
    // A socket straight to this Worker: the load skips Miniflare's entry and asset-router workers, as on
    // Cloudflare, where a request for a static asset never runs the Worker.
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

const results = { routes: [], notes: [] };
try {
  // 1. Builds: the app exactly as `wrangler deploy` would ship it, and the emulator.
  log('building the production bundle (wrangler deploy --dry-run)…');
  const appOut = path.join(tmp, 'app');
  await runWrangler(['deploy', '--dry-run', '--outdir', appOut, '-c', APP_CONFIG, '--env', 'production']);
  const appMain = readdirSync(appOut).find((f) => /\.(m?js)$/.test(f));
  if (!appMain) throw new Error('wrangler produced no JavaScript bundle');
  results.bundle = bundleSize(appOut);
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
  const publicUrl = `http://${HOST}:${port}`;
  // The app's PUBLIC_URL is the origin the load is sent to (its direct socket): page requests on any
  // other origin would be answered with a redirect to it.
  const directPort = await freePort();
  const appOrigin = `http://${HOST}:${directPort}`;
  const webhookSecret = `whsec_bench_${randomBytes(12).toString('hex')}`;
  const adminToken = randomBytes(18).toString('base64url');
  const app = workerFrom(
    APP_CONFIG,
    'storefront',
    benchScript,
    {
      COOKIE_SECRET: randomBytes(24).toString('base64url'),
      ADMIN_TOKEN: adminToken,
      STRIPE_SECRET_KEY: '',
      STRIPE_PUBLISHABLE_KEY: '',
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      STRIPE_CONNECT_WEBHOOK_SECRET: '',
      PUBLIC_URL: appOrigin,
    },
    directPort,
  );
  const emulator = emulatorScript
    ? workerFrom(EMULATOR_CONFIG, 'stripe-emulator', emulatorScript, {
        PUBLIC_URL: `${appOrigin}/__stripe`,
        WEBHOOK_SECRET: webhookSecret,
        CONNECT_WEBHOOK_SECRET: '',
        WEBHOOK_URL: `${publicUrl}/webhooks/stripe`,
      })
    : {
        name: 'stripe-emulator',
        modules: true,
        script: 'export default { fetch() { return new Response("no emulator", { status: 503 }); } };',
      };
  mf = new Miniflare(
    convertV4MiniflareOptions({
      host: HOST,
      port,
      rootPath: ROOT,
      resourcePersistencePath: path.join(state, 'v3'),
      resourceTmpPath: path.join(tmp, 'mf-tmp'),
      logRequests: false,
      workers: [app, emulator],
    }),
  );
  await mf.ready;
  const direct = await mf.unsafeGetDirectURL('storefront');
  const baseUrl = `http://${HOST}:${direct.port}`;
  log(`serving on ${publicUrl} (assets + app), measuring ${baseUrl} (the app Worker directly)`);

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
  const cartCookies = productIds.length ? await makeCarts(CART_POOL) : [];

  /** @type {any[]} */
  const scenarios = [
    { name: 'baseline', key: 'baseline', kind: 'plain', method: 'GET', path: '/__bench/ok' },
  ];
  /** @type {Record<string, string>} */
  const unavailable = {};
  const html = { accept: 'text/html' };
  if (home.status === 200)
    scenarios.push({
      name: 'home page',
      key: 'home',
      kind: 'plain',
      method: 'GET',
      path: '/',
      headers: html,
    });
  else unavailable.home = `GET / → ${home.status}`;
  if (productPath)
    scenarios.push({
      name: `product page`,
      key: 'product',
      kind: 'plain',
      method: 'GET',
      path: productPath,
      headers: html,
    });
  else unavailable.product = 'no /products/… link on the home or shop pages';
  if (cartCookies.length) {
    const json = { accept: 'application/json' };
    scenarios.push({
      name: 'GET /cart',
      key: 'cart',
      kind: 'rotate-cookie',
      method: 'GET',
      path: '/cart',
      headers: json,
      cookies: cartCookies,
    });
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

  // Webhooks: one signed probe tells whether the route exists and accepts the bench's secret.
  const probeBody = JSON.stringify({
    id: `evt_bench_probe_${Date.now()}`,
    object: 'event',
    type: 'customer.created',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    api_version: '2025-01-27.acacia',
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: {
      object: {
        id: `cus_bench_probe_${Date.now()}`,
        object: 'customer',
        email: 'probe@example.test',
        metadata: {},
      },
    },
  });
  const { createHmac } = await import('node:crypto');
  const t = Math.floor(Date.now() / 1000);
  const sig = `t=${t},v1=${createHmac('sha256', webhookSecret).update(`${t}.${probeBody}`).digest('hex')}`;
  const hook = await f('/webhooks/stripe', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': sig },
    body: probeBody,
  });
  await hook.body?.cancel();
  if (hook.ok)
    scenarios.push({
      name: 'webhook delivery (signed)',
      key: 'webhook',
      kind: 'webhook',
      method: 'POST',
      path: '/webhooks/stripe',
      headers: { 'content-type': 'application/json' },
      webhook: { secret: webhookSecret, type: 'customer.created' },
      okStatuses: [200, 201, 202, 204],
    });
  else unavailable.webhook = `signed POST /webhooks/stripe → ${hook.status}`;

  // Checkout: each measured request on a cart that never checked out, so each creates a real session.
  if (productIds.length) {
    const [probeCookie] = await makeCarts(1);
    const probe = await f('/checkout', {
      method: 'POST',
      headers: { cookie: probeCookie ?? '', 'content-type': 'application/json', accept: 'application/json' },
      body: '{}',
    });
    const probeText = await probe.text();
    if (probe.status >= 200 && probe.status < 400) {
      const cookies = await makeCarts(CHECKOUTS + CONNECTIONS * 2);
      scenarios.push({
        name: 'POST /checkout (new session)',
        key: 'checkout',
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
  if (!recurringIds.length) {
    unavailable.subCheckout = 'no recurring product in the catalog';
    unavailable.invoicePaid = unavailable.subCheckout;
  } else {
    const checkoutEmail = 'bench-checkout@example.test';
    if ((await subscribe((await makeCarts(1, recurringIds))[0], checkoutEmail))?.sessionId) {
      scenarios.push({
        name: 'POST /checkout (subscription mode)',
        key: 'subCheckout',
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
    const emulatorWorker = await mf.getWorker('stripe-emulator').catch(() => null);
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
    for (let i = 0; known?.pi && emulatorWorker && i < INVOICE_EVENTS; i += 16) {
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
    if (known?.pi && intents.length)
      scenarios.push({
        name: 'invoice.paid ingest (renewal order)',
        key: 'invoicePaid',
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
        // Each event takes its own PaymentIntent from the pool (the amount caps the run at its size).
        amount: intents.length,
        warmup: false,
        okStatuses: [200, 201, 202, 204],
      });
    else unavailable.invoicePaid = `no paid subscription to renew (pay → ${paid?.status ?? 'not tried'})`;
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
      scenarios,
    }),
  );
  log(
    `loading ${scenarios.length} routes from a separate process (${CONNECTIONS} connections, ${DURATION} s each)…`,
  );
  const code = await new Promise((resolve) => {
    loader = spawn(process.execPath, [path.join(HERE, 'load.mjs'), planFile, outFile], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    loader.on('close', (c) => resolve(c));
  });
  if (code !== 0) throw new Error(`load process exited ${code}`);
  const measured = JSON.parse(readFileSync(outFile, 'utf8'));
  const runs = measured.filter((m) => m.name === 'baseline' || m.name === 'baseline (end)');
  const baseline = {
    ...runs[0],
    rps: runs.reduce((sum, m) => sum + m.rps, 0) / runs.length,
    requests: runs.reduce((sum, m) => sum + m.requests, 0),
    errors: runs.reduce((sum, m) => sum + m.errors, 0),
  };
  results.baselineRuns = runs.map((m) => ({ rps: m.rps, p50Ms: m.p50, p99Ms: m.p99 }));
  if (runs.length === 2)
    results.notes.push(
      `baseline = mean of a run before the routes (${runs[0].rps.toFixed(0)} req/s) and one after (${runs[1].rps.toFixed(0)} req/s)`,
    );

  const order = [
    ['baseline', 'baseline (GET /__bench/ok)'],
    ['home', 'home page (GET /)'],
    ['product', `product page (GET ${productPath ?? '/products/…'})`],
    ['cart', 'GET /cart (with cookie)'],
    ['cartAdd', 'POST /cart/items'],
    ['webhook', 'signed webhook delivery'],
    ['checkout', 'POST /checkout'],
    ['subCheckout', 'POST /checkout (subscription mode)'],
    ['invoicePaid', 'invoice.paid ingest (renewal order)'],
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
const target = { home: `≥ ${TARGETS.home * 100}%`, cartAdd: `≥ ${TARGETS.cartAdd * 100}%` };
const verdict = (key, ratio) =>
  key in target && ratio != null ? (ratio >= TARGETS[key] ? 'met' : 'missed') : '';
const lines = [
  `## Benchmark (workerd via Miniflare, ${CONNECTIONS} connections, ${DURATION} s per route, ${os.cpus().length} cores)`,
  '',
  '| route | req/s | p50 ms | p99 ms | vs baseline | target | errors |',
  '| --- | ---: | ---: | ---: | ---: | --- | ---: |',
];
for (const r of results.routes) {
  if (!r.available)
    lines.push(`| ${r.route} | n/a | n/a | n/a | n/a | ${target[r.key] ?? ''} | ${r.reason} |`);
  else
    lines.push(
      `| ${r.route} | ${fmt(r.rps)} | ${fmt(r.p50Ms, 1)} | ${fmt(r.p99Ms, 1)} | ${r.ratio == null ? 'n/a' : `${fmt(r.ratio * 100, 1)}%`} | ${
        target[r.key] ? `${target[r.key]} (${verdict(r.key, r.ratio)})` : ''
      } | ${r.errors} |`,
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
