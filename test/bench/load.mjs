// The load generator for `npm run bench`, run as its own process so it never shares an event loop with the
// server. Reads a plan (JSON file, argv[2]), runs each scenario with autocannon against 127.0.0.1 only,
// bounded in time (and count where set), and writes the figures as JSON (argv[3]).
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';

/**
 * @typedef {{
 *   name: string, kind: 'plain' | 'rotate-cookie' | 'cart-add' | 'webhook', method: string, path: string,
 *   headers?: Record<string, string>, body?: string, cookies?: string[], productIds?: string[],
 *   webhook?: { secret: string, type: string, invoice?: { subscription: string, paymentIntents: string[], amount: number, currency: string } }, amount?: number, warmup?: boolean, okStatuses?: number[]
 * }} Scenario
 */

const [planPath, outPath] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planPath, 'utf8'));
const base = new URL(plan.baseUrl);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname)) {
  // Load tests here only ever target this machine.
  console.error(`refusing to load ${base.hostname}: only loopback addresses are allowed`);
  process.exit(2);
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
      if (s.kind === 'cart-add' && s.productIds?.length && s.cookies?.length) {
        // Walk products within a cart before reusing it, so quantities stay far below the 99 cap.
        const productId = s.productIds[Math.floor(i / s.cookies.length) % s.productIds.length];
        body = JSON.stringify({ productId, qty: 1 });
      }
      if (s.kind === 'webhook' && s.webhook) {
        body = webhookEvent(s.webhook.type, i, s.webhook.invoice);
        h['stripe-signature'] = stripeSignature(s.webhook.secret, body);
      }
      return { ...r, headers: h, body };
    },
  };
}

/**
 * Runs one autocannon pass and summarises it.
 * @param {Scenario} s
 * @param {{ duration: number, record: boolean }} o
 */
async function run(s, o) {
  const result = await autocannon({
    url: plan.baseUrl,
    connections: Math.min(plan.connections, s.amount ?? Infinity),
    duration: o.duration,
    ...(s.amount && o.record ? { amount: s.amount } : {}),
    timeout: 10,
    requests: [requestFor(s)],
  });
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
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]),
    ),
  };
}

const results = [];
for (const s of plan.scenarios) {
  if (s.warmup !== false) await run(s, { duration: plan.warmupSeconds, record: false });
  const r = await run(s, { duration: plan.durationSeconds, record: true });
  results.push(r);
  console.error(
    `[load] ${r.name}: ${r.rps.toFixed(0)} req/s ok, p50 ${r.p50} ms, p99 ${r.p99} ms, errors ${r.errors}`,
  );
}
writeFileSync(outPath, JSON.stringify(results, null, 2));
