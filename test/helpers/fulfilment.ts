// Test helpers for fulfilment: a real multi-vendor purchase through checkout and the emulator, and the
// vendor's and operator's calls on its parts.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { EmulatorControl } from '../../emulator/control-client';
import { newId } from '../../src/lib/ids';
import { getDb } from '../../src/db/client';
import { confirmFromStripe } from '../../src/orders/confirm';
import { getOrderWithLines } from '../../src/orders/model';
import { seedCatalog, type SeededProduct } from './checkout-fixtures';
import { shopper } from './checkout-flow';
import { vendorCookie } from './vendor-fixtures';
import { onboardedAccount } from './payout-fixtures';

const ORIGIN = 'http://localhost';

export interface PartJson {
  orderId: string;
  storeId: string;
  storeName: string;
  status: string;
  deliveredBy: string | null;
  cancelReason: string | null;
  lines: { productId: string; name: string; note: string; quantity: number; shipped: number }[];
  shipments: {
    id: string;
    carrier: string;
    trackingNumber: string;
    trackingUrl: string | null;
    lines: { productId: string; quantity: number }[];
  }[];
}

/**
 * A paid order with one vendor per entry of `vendors` (each a list of products with quantities and
 * notes), bought by a fresh shopper with a shipping address. `hold` leaves the payment's webhook events
 * pending at the emulator (the test delivers them, in the order it wants).
 */
export async function paidMultiVendorOrder(
  emu: EmulatorControl,
  vendors: { unitAmount: number; qty: number; note?: string; stock?: number | null }[][],
  opts: { onboarded?: boolean; confirmWith?: Env; card?: string; hold?: boolean } = {},
) {
  const seeded: { storeId: string; storeName: string; products: SeededProduct[] }[] = [];
  for (const products of vendors) {
    const s = await seedCatalog(products.map((p) => ({ unitAmount: p.unitAmount, stock: p.stock ?? null })));
    // A real emulator account, so that transfers to the vendor can be sent.
    if (opts.onboarded)
      await env.DB.prepare('UPDATE stores SET stripe_account_id = ? WHERE id = ?')
        .bind(await onboardedAccount(emu, s.storeName), s.storeId)
        .run();
    seeded.push(s);
  }
  const buyer = await shopper();
  for (const [i, products] of vendors.entries())
    for (const [j, p] of products.entries()) await buyer.add(seeded[i]!.products[j]!, p.qty, p.note ?? '');
  const email = `buyer.${newId('m').slice(2, 10)}@example.com`;
  const res = await buyer.checkout({ email });
  if (res.status !== 200) throw new Error(`checkout → ${res.status}: ${await res.text()}`);
  const { orderId, sessionId } = await res.json<{ orderId: string; sessionId: string }>();
  await emu.pay(sessionId, {
    ...(opts.card ? { card: opts.card } : {}),
    name: 'Ada Lovelace',
    shipping: {
      name: 'Ada Lovelace',
      address: { line1: '12 Quay St', city: 'Bristol', postal_code: 'BS1 4DJ', country: 'GB' },
    },
  });
  if (opts.confirmWith) {
    // The return to the order page confirms the payment under this env's settings before any webhook.
    const found = await getOrderWithLines(getDb(env), orderId);
    await confirmFromStripe(opts.confirmWith, found!.order, { sessionId });
  }
  if (!opts.hold) await emu.drain();
  return { orderId, sessionId, buyer, email, stores: seeded };
}

/** A signed-in vendor of `storeId` calling the JSON API. */
export async function vendorClient(storeId: string) {
  const cookie = await vendorCookie(storeId);
  return {
    get(path: string, accept = 'application/json') {
      return SELF.fetch(`${ORIGIN}${path}`, { headers: { cookie, accept } });
    },
    post(path: string, body?: unknown) {
      return SELF.fetch(`${ORIGIN}${path}`, {
        method: 'POST',
        headers: {
          cookie,
          accept: 'application/json',
          origin: ORIGIN,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    },
    postForm(path: string, fields: Record<string, string>) {
      return SELF.fetch(`${ORIGIN}${path}`, {
        method: 'POST',
        headers: {
          cookie,
          accept: 'text/html',
          origin: ORIGIN,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      });
    },
  };
}

/** The operator's JSON API. */
export function admin(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') {
  return SELF.fetch(`${ORIGIN}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${env.ADMIN_TOKEN}`,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Waits (up to `timeoutMs`) until `check` returns a truthy value; returns it. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
