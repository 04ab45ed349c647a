// Measured, not read from the code: per user action, the D1 statements (reads, writes, D1's rows read
// and written), D1 round trips, Durable Object calls and queue messages (issue 13, docs/SCALING.md).
// Each action runs once through SELF.fetch and the emulator, as a user would; the request's own work
// and what follows the answer (waitUntil, queue consumers: mail, transfers) are counted apart. Prints
// the table docs/SCALING.md quotes: `npm run bench:statements`.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invalidateCatalogPages } from '../../src/catalog/page-cache';
import { CartClient } from '../cart/client';
import { seedDemoCatalog } from '../helpers/catalog';
import { seedCatalog } from '../helpers/checkout-fixtures';
import { applyCode, createCode, freshCode } from '../helpers/discount-fixtures';
import { heldEmulator } from '../helpers/emulator';
import { admin, vendorClient } from '../helpers/fulfilment';
import { linkIn, waitForMail } from '../helpers/mail';
import { onboardedAccount } from '../helpers/payout-fixtures';
import { PROBE, startCounting, takeCounts, type Counts } from '../helpers/statement-counter';

const emu = heldEmulator();
const ORIGIN = 'http://localhost';

interface Row {
  action: string;
  how: string;
  request: Counts;
  after: Counts;
}
const rows: Row[] = [];
let stopCounting = () => {};

beforeAll(async () => {
  await seedDemoCatalog();
  stopCounting = startCounting(env);
});
afterAll(() => {
  stopCounting();
});

/** Waits until no mail or transfer is waiting for a queue consumer, then a moment more. */
async function settle(): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const row = await env.DB.prepare(
      `${PROBE} SELECT (SELECT count(*) FROM outbox WHERE status = 'queued')
         + (SELECT count(*) FROM transfers WHERE status = 'pending')
         + (SELECT count(*) FROM transfer_reversals WHERE status = 'pending') AS waiting`,
    ).first<{ waiting: number }>();
    if (!row?.waiting) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 300));
}

/** Runs one action and records what it cost: the request itself, then what followed its answer. */
async function measure<T>(action: string, how: string, run: () => Promise<T>): Promise<T> {
  await settle();
  takeCounts();
  const result = await run();
  const request = takeCounts();
  await settle();
  rows.push({ action, how, request, after: takeCounts() });
  return result;
}

/** GET as a browser, with no cookie unless given. */
async function page(path: string, cookie?: string): Promise<Response> {
  const res = await SELF.fetch(`${ORIGIN}${path}`, {
    headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) },
    redirect: 'manual',
  });
  await res.arrayBuffer();
  return res;
}

/** POST JSON (or an empty form) as a same-origin page would. */
async function post(path: string, body: unknown, cookie?: string): Promise<Response> {
  return SELF.fetch(`${ORIGIN}${path}`, {
    method: 'POST',
    headers: {
      origin: ORIGIN,
      accept: 'application/json',
      ...(body === undefined
        ? { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }
        : { 'content-type': 'application/json' }),
      ...(cookie ? { cookie } : {}),
    },
    body: body === undefined ? '' : JSON.stringify(body),
    redirect: 'manual',
  });
}

/** `n events: type ×n, ...` of the webhook deliveries of one drain. */
function eventTypes(deliveries: { type: string }[]): string {
  const counts = new Map<string, number>();
  for (const d of deliveries) counts.set(d.type, (counts.get(d.type) ?? 0) + 1);
  const types = [...counts].map(([type, n]) => (n > 1 ? `${type} ×${n}` : type)).join(', ');
  return `${deliveries.length} event${deliveries.length === 1 ? '' : 's'}: ${types}`;
}

const COLUMNS = [
  ['D1 calls', 'd1RoundTrips'],
  ['of which write', 'd1WriteTrips'],
  ['reads', 'd1Reads'],
  ['writes', 'd1Writes'],
  ['rows read', 'rowsRead'],
  ['rows written', 'rowsWritten'],
  ['DO calls', 'doCalls'],
  ['queue msgs', 'queueMessages'],
] as const;

/** The measured rows as a markdown table: the request, then what followed it (after the answer). */
function table(): string {
  const cells = (c: Counts) => COLUMNS.map(([, k]) => String(c[k]));
  const afterCells = (c: Counts) =>
    c.d1RoundTrips + c.doCalls + c.queueMessages === 0
      ? '–'
      : `${c.d1RoundTrips} calls: ${c.d1Reads} r / ${c.d1Writes} w (${c.rowsRead} / ${c.rowsWritten} rows)` +
        (c.doCalls ? `, ${c.doCalls} DO` : '') +
        (c.queueMessages ? `, ${c.queueMessages} msgs` : '');
  const head = ['action', 'request', ...COLUMNS.map(([h]) => h), 'after the answer (waitUntil, consumers)'];
  const lines = [head, head.map(() => '---')];
  for (const r of rows) lines.push([r.action, r.how, ...cells(r.request), afterCells(r.after)]);
  return lines.map((l) => `| ${l.join(' | ')} |`).join('\n');
}

describe('statements per user action', () => {
  it('measures each action once and prints the table', async () => {
    const demo = await env.DB.prepare(
      `SELECT s.slug AS store, p.slug AS product FROM products p JOIN stores s ON s.id = p.store_id
       WHERE p.id = 'prod_demo_stoneware_mug'`,
    ).first<{ store: string; product: string }>();

    // Browsing, anonymous and uncached (the isolate's page cache cleared first).
    for (const [action, path] of [
      ['view home', '/'],
      ['view product', `/products/${demo!.store}/${demo!.product}`],
      ['search', '/search?q=mug'],
      ['API: list products', '/api/v1/products'],
    ] as const) {
      const res = await measure(action, `GET ${path}`, async () => {
        invalidateCatalogPages();
        return page(path);
      });
      expect(res.status, action).toBe(200);
      expect(res.headers.getSetCookie(), action).toEqual([]);
    }

    // A vendor with a real (emulator) connected account, so the payment's transfer is sent.
    const vendor = await seedCatalog([{ unitAmount: 2400 }, { unitAmount: 1500, stock: 10 }]);
    await env.DB.prepare('UPDATE stores SET stripe_account_id = ? WHERE id = ?')
      .bind(await onboardedAccount(emu, vendor.storeName), vendor.storeId)
      .run();
    const [first, second] = vendor.products;
    await emu.drain(); // the onboarding's account.updated: set-up, not a shopper's action

    const shopperCart = new CartClient();
    const added = await measure('add to cart (new cart)', 'POST /cart/items', () =>
      shopperCart.add(first!.id, 1),
    );
    expect(added.status).toBe(200);
    const again = await measure('add to cart (2nd line)', 'POST /cart/items', () =>
      shopperCart.add(second!.id, 2),
    );
    expect(again.status).toBe(200);
    const viewed = await measure('view cart', 'GET /cart (page)', () =>
      shopperCart.fetch('/cart', { headers: { accept: 'text/html' } }).then(async (r) => {
        await r.arrayBuffer();
        return r;
      }),
    );
    expect(viewed.status).toBe(200);
    // A cart holding a code reads the code with its products, in the same round trip (another shopper's
    // cart: the one that checks out below holds none).
    const { code } = await createCode({ code: freshCode('COUNTS'), percentOff: 10, fundedBy: 'platform' });
    const codeCart = new CartClient();
    expect((await codeCart.add(first!.id, 1)).status).toBe(200);
    expect((await applyCode(codeCart, code)).status).toBe(200);
    const withCode = await measure('view cart (code held)', 'GET /cart (JSON)', () =>
      codeCart.fetch('/cart', { headers: { accept: 'application/json' } }).then(async (r) => {
        await r.arrayBuffer();
        return r;
      }),
    );
    expect(withCode.status).toBe(200);

    const email = `counts.${crypto.randomUUID().slice(0, 8)}@example.com`;
    const checkout = await measure('checkout', 'POST /checkout', () =>
      shopperCart.json('POST', '/checkout', { email }),
    );
    expect(checkout.status).toBe(200);
    const { orderId, sessionId } = await checkout.json<{ orderId: string; sessionId: string }>();

    await emu.pay(sessionId, {
      name: 'Ada Lovelace',
      shipping: {
        name: 'Ada Lovelace',
        address: { line1: '12 Quay St', city: 'Bristol', postal_code: 'BS1 4DJ', country: 'GB' },
      },
    });
    const paid = await measure('webhook: paid', "the payment's events (emu.drain)", () => emu.drain());
    rows.at(-1)!.how = eventTypes(paid);
    expect(paid.every((d) => d.ok)).toBe(true);
    const status = await env.DB.prepare(`${PROBE} SELECT status FROM orders WHERE id = ?`)
      .bind(orderId)
      .first<{ status: string }>();
    expect(status?.status).toBe('paid');

    // The transfer the payout consumer sent has events of its own, delivered after the payment's.
    const transferEvents = await measure('webhook: transfer sent', 'emu.drain', () => emu.drain());
    rows.at(-1)!.how = eventTypes(transferEvents);

    const shipper = await vendorClient(vendor.storeId);
    const shipped = await measure('vendor ships', 'POST /vendor/orders/:id/shipments', () =>
      shipper.post(`/vendor/orders/${orderId}/shipments`, { carrier: 'Royal Mail', trackingNumber: 'RM1' }),
    );
    expect(shipped.status).toBe(201);

    const edited = await measure('vendor edits a product', 'POST /vendor/products/:id (form)', () =>
      shipper.postForm(`/vendor/products/${second!.id}`, {
        name: 'Renamed by its maker',
        description: 'Now with a description.',
        price: '16.00',
        image: '',
        stock: '8',
      }),
    );
    expect(edited.status).toBe(303);
    expect(edited.headers.getSetCookie().some((c) => c.startsWith('d1_bookmark='))).toBe(true);

    const refunded = await measure('refund (operator)', 'POST /admin/api/orders/:id/refunds', () =>
      admin(`/admin/api/orders/${orderId}/refunds`, { amount: 1000 }),
    );
    expect(refunded.status).toBe(201);
    const refundEvents = await measure('webhook: refunded', 'emu.drain', () => emu.drain());
    rows.at(-1)!.how = eventTypes(refundEvents);
    expect(refundEvents.every((d) => d.ok)).toBe(true);

    const asked = await measure('sign in: ask for a link', 'POST /account/login', () =>
      post('/account/login', { email }, undefined),
    );
    expect(asked.status).toBe(202);
    const [mail] = await waitForMail(email, { kind: 'shopper_sign_in' });
    const link = linkIn(mail!.text, '/account/login/').pathname;
    const signedIn = await measure('sign in: open the link', `POST /account/login/:token`, () =>
      post(link, undefined),
    );
    expect(signedIn.status).toBe(303);

    // Sanity: browsing reads and never writes, calls no object and queues nothing.
    for (const r of rows.slice(0, 4)) {
      expect(r.request.d1Writes, r.action).toBe(0);
      expect(r.request.d1Reads, r.action).toBeGreaterThan(0);
      expect(r.request.doCalls + r.request.queueMessages, r.action).toBe(0);
    }
    // The calls `npm run bench` prices at its floor rows (test/bench/run.mjs, IO): held here, so the bench's
    // floor table stays true.
    const calls = (action: string) => {
      const r = rows.find((x) => x.action === action)!.request;
      return { d1: r.d1RoundTrips, objects: r.doCalls };
    };
    expect(calls('view home')).toEqual({ d1: 1, objects: 0 });
    expect(calls('view product')).toEqual({ d1: 1, objects: 0 });
    expect(calls('view cart')).toEqual({ d1: 1, objects: 1 });
    expect(calls('view cart (code held)')).toEqual({ d1: 1, objects: 1 });
    expect(calls('add to cart (2nd line)')).toEqual({ d1: 1, objects: 1 });
    // Every write path is one D1 batch or a few, and the payment hands its work to the queues.
    expect(rows.find((r) => r.action === 'webhook: paid')!.request.d1Writes).toBeGreaterThan(0);
    expect(rows.find((r) => r.action === 'webhook: paid')!.request.queueMessages).toBeGreaterThan(0);

    console.log(`\nD1 statements, Durable Object calls and queue messages per user action:\n${table()}\n`);
  });
});
