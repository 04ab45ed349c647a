// The load generator for `npm run bench`, run as its own process so it never shares an event loop with the
// server. Reads a plan (JSON file, argv[2]), runs each scenario with autocannon against 127.0.0.1 only,
// bounded in time (and count where set), and writes the figures as JSON (argv[3]). With `plan.rounds` > 1 the
// routes are interleaved (every route once per round) and each round's figures are kept; run.mjs takes medians.
// CPU: when `plan.cpuPid` names the workerd process, utime + stime from /proc/<pid>/stat is read before and
// after each measured pass, which gives the server's CPU milliseconds per request (steadier than req/s on a
// shared machine; it includes everything that process ran meanwhile, e.g. the queue consumers). The Stripe
// emulator runs in its own workerd (`plan.emulatorPid`): its CPU per request is reported apart.
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';

/**
 * @typedef {{
 *   name: string, kind: 'plain' | 'rotate-cookie' | 'rotate-path' | 'cart-add' | 'webhook', paths?: string[], method: string, path: string,
 *   headers?: Record<string, string>, body?: string, cookies?: string[], productIds?: string[],
 *   webhook?: { secret: string, type: string, events?: string[], invoice?: { subscription: string, paymentIntents: string[], amount: number, currency: string } }, amount?: number, baseUrl?: string, warmup?: boolean, okStatuses?: number[]
 * }} Scenario
 */

const [planPath, outPath] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planPath, 'utf8'));
for (const url of [plan.baseUrl, ...plan.scenarios.map((s) => s.baseUrl ?? plan.baseUrl)]) {
  const { hostname } = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(hostname)) {
    // Load tests here only ever target this machine.
    console.error(`refusing to load ${hostname}: only loopback addresses are allowed`);
    process.exit(2);
  }
}

/** CPU ticks (user + system) used so far by process `pid`, or null when /proc can't tell. */
function cpuTicks(pid) {
  if (!pid) return null;
  try {
    // Fields after the command name (which may hold spaces) start at the last ')'; utime and stime are 14 and 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/**
 * Waits until process `pid` uses under a tenth of a core over half a second (at most 60 s); the CPU
 * ticks it used meanwhile, and how long that took.
 */
async function settle(pid) {
  const started = Date.now();
  const first = cpuTicks(pid);
  let last = first;
  while (Date.now() - started < 60_000) {
    await new Promise((r) => setTimeout(r, 500));
    const now = cpuTicks(pid);
    if (now === null || last === null) return null;
    const busy = now - last;
    last = now;
    if (busy <= Math.max(1, plan.clockTicks / 20)) break;
  }
  return { ticks: (last ?? 0) - (first ?? 0), ms: Date.now() - started };
}

/** A Stripe-style signature header: v1 = HMAC-SHA256(secret, `${t}.${body}`), as stripe listen sends it. */
function stripeSignature(secret, body) {
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/**
 * A paid renewal invoice of a known subscription (fresh invoice id: each delivery is a new period), in the
 * shape of current API versions: the payment in `payments`, the subscription in `parent.subscription_details`.
 */
function invoiceObject(suffix, created, n, inv) {
  return {
    id: `in_bench_${suffix}`,
    object: 'invoice',
    status: 'paid',
    billing_reason: 'subscription_cycle',
    currency: inv.currency,
    amount_due: inv.amount,
    amount_paid: inv.amount,
    amount_remaining: 0,
    attempt_count: 1,
    next_payment_attempt: null,
    customer: null,
    customer_email: null,
    customer_name: null,
    hosted_invoice_url: null,
    total_taxes: [],
    period_start: created,
    period_end: created,
    parent: {
      type: 'subscription_details',
      quote_details: null,
      subscription_details: { subscription: inv.subscription, metadata: {} },
    },
    payments: {
      object: 'list',
      has_more: false,
      data: [
        {
          id: `inpay_bench_${suffix}`,
          object: 'invoice_payment',
          status: 'paid',
          amount_paid: inv.amount,
          payment: {
            type: 'payment_intent',
            payment_intent: inv.paymentIntents[n % inv.paymentIntents.length],
          },
        },
      ],
    },
    lines: {
      object: 'list',
      has_more: false,
      data: [
        {
          id: `il_bench_${suffix}`,
          object: 'line_item',
          amount: inv.amount,
          parent: { type: 'subscription_item_details' },
          period: { start: created + n * 60, end: created + n * 60 + 2_592_000 },
        },
      ],
    },
  };
}

/** A `customer.created` (or renewal `invoice.*`) event with fresh ids: each delivery is new, never a duplicate. */
function webhookEvent(type, n, invoice) {
  const created = Math.floor(Date.now() / 1000);
  const suffix = `${process.pid.toString(36)}${n.toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  if (invoice)
    return JSON.stringify({
      id: `evt_bench_${suffix}`,
      object: 'event',
      api_version: '2026-10-28.endive',
      created,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object: invoiceObject(suffix, created, n, invoice) },
    });
  return JSON.stringify({
    id: `evt_bench_${suffix}`,
    object: 'event',
    api_version: '2025-01-27.acacia',
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: {
      object: {
        id: `cus_bench_${suffix}`,
        object: 'customer',
        created,
        email: `bench+${suffix}@example.test`,
        name: 'Bench Customer',
        livemode: false,
        metadata: {},
      },
    },
  });
}

/**
 * The autocannon request for a scenario. A shared counter across connections makes every rotation
 * (cookie, product, event id) distinct per request.
 * @param {Scenario} s
 */
function requestFor(s) {
  let n = 0;
  const headers = { ...s.headers };
  const req = { method: s.method, path: s.path, headers, body: s.body };
  if (s.kind === 'plain') return req;
  return {
    ...req,
    setupRequest(r) {
      const i = n++;
      const h = { ...headers };
      if (s.cookies?.length) h.cookie = s.cookies[i % s.cookies.length];
      let body = s.body;
      // A path per request (e.g. search terms), with a counter so no answer comes from a cache.
      if (s.kind === 'rotate-path' && s.paths?.length)
        r = { ...r, path: `${s.paths[i % s.paths.length]}&n=${i}` };
      if (s.kind === 'cart-add' && s.productIds?.length && s.cookies?.length) {
        // Walk products within a cart before reusing it, so quantities stay far below the 99 cap.
        const productId = s.productIds[Math.floor(i / s.cookies.length) % s.productIds.length];
        body = JSON.stringify({ productId, qty: 1 });
      }
      if (s.kind === 'webhook' && s.webhook) {
        // Events made beforehand (each for its own pending order) are sent once each, in turn.
        body = s.webhook.events?.length
          ? s.webhook.events[i % s.webhook.events.length]
          : webhookEvent(s.webhook.type, i, s.webhook.invoice);
        h['stripe-signature'] = stripeSignature(s.webhook.secret, body);
      }
      return { ...r, headers: h, body };
    },
  };
}

/**
 * Runs one autocannon pass and summarises it.
 * @param {Scenario} s
 * @param {{ duration: number, record: boolean, request: object }} o
 */
async function run(s, o) {
  const before = o.record ? cpuTicks(plan.cpuPid) : null;
  const emulatorBefore = o.record ? cpuTicks(plan.emulatorPid) : null;
  const result = await autocannon({
    url: s.baseUrl ?? plan.baseUrl,
    connections: Math.min(plan.connections, s.amount ?? Infinity),
    duration: o.duration,
    ...(s.amount && o.record ? { amount: s.amount } : {}),
    timeout: 10,
    requests: [o.request],
  });
  const after = before === null ? null : cpuTicks(plan.cpuPid);
  // Work a route leaves behind (queue consumers: payouts, mail) runs after its last answer: wait until
  // workerd is idle again, so the next row does not pay for it, and report it as this row's own.
  let settleMs = 0;
  const settled = o.record && s.settle && after !== null ? await settle(plan.cpuPid) : null;
  if (settled) settleMs = settled.ms;
  const emulatorAfter = emulatorBefore === null ? null : cpuTicks(plan.emulatorPid);
  const ok = (s.okStatuses ?? [200]).reduce(
    (sum, code) => sum + (result.statusCodeStats?.[code]?.count ?? 0),
    0,
  );
  const sent = result.requests.total;
  return {
    name: s.name,
    seconds: result.duration,
    requests: sent,
    ok,
    // result.errors already counts timeouts; a non-OK status is an error too.
    errors: result.errors + (sent - ok),
    rps: result.duration > 0 ? ok / result.duration : 0,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuMsPerRequest:
      before !== null && after !== null && sent > 0
        ? ((after - before) * 1000) / plan.clockTicks / sent
        : null,
    settleCpuMsPerRequest: settled && sent > 0 ? (settled.ticks * 1000) / plan.clockTicks / sent : null,
    settleSeconds: settleMs / 1000,
    emulatorCpuMsPerRequest:
      emulatorBefore !== null && emulatorAfter !== null && sent > 0
        ? ((emulatorAfter - emulatorBefore) * 1000) / plan.clockTicks / sent
        : null,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]),
    ),
  };
}

// One request generator per scenario for the whole run: rotations (fresh carts, event ids) never repeat
// across rounds.
const requests = new Map(plan.scenarios.map((s) => [s.name, requestFor(s)]));
const rounds = Math.max(1, plan.rounds ?? 1);
const results = [];
// Phases: routes that leave lasting state behind (orders, queue work, thousands of new objects: `phase: 1`)
// run their rounds after every other route's rounds. That state stays in this one process and makes every
// later request slower (its collector walks a bigger heap; on Cloudflare it would be spread over many
// machines), so interleaving them would charge it to the pages and the cart measured after them.
const phases = [...new Set(plan.scenarios.map((s) => s.phase ?? 0))].sort((a, b) => a - b);
for (const phase of phases)
  for (let round = 1; round <= rounds; round++) {
    for (const s of plan.scenarios.filter((x) => (x.phase ?? 0) === phase)) {
      const request = requests.get(s.name);
      if (s.warmup !== false && round === 1)
        await run(s, { duration: plan.warmupSeconds, record: false, request });
      const r = { round, ...(await run(s, { duration: plan.durationSeconds, record: true, request })) };
      results.push(r);
      const cpu = r.cpuMsPerRequest == null ? 'n/a' : r.cpuMsPerRequest.toFixed(2);
      const after = r.settleCpuMsPerRequest
        ? `, then ${r.settleCpuMsPerRequest.toFixed(2)} ms/req over ${r.settleSeconds.toFixed(1)} s of queue work`
        : '';
      const emu = r.emulatorCpuMsPerRequest
        ? `, emulator CPU ${r.emulatorCpuMsPerRequest.toFixed(2)} ms/req`
        : '';
      console.error(
        `[load] round ${round}/${rounds} ${r.name}: ${r.rps.toFixed(0)} req/s ok, p50 ${r.p50} ms, p99 ${r.p99} ms, ` +
          `CPU ${cpu} ms/req${after}${emu}, errors ${r.errors}`,
      );
    }
  }
writeFileSync(outPath, JSON.stringify(results, null, 2));
