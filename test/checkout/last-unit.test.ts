// Buying the last units of a stock-limited product: the shopper's own reservation is theirs, so a
// second click on Checkout, or the retry after Stripe failed, gets the same order and one session
// instead of "your cart changed".
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { getStripe } from '../../src/stripe/client';
import { seedCatalog, stockOf } from '../helpers/checkout-fixtures';
import { countRows, ordersOfCart, reservations, shopper } from '../helpers/checkout-flow';
import { heldEmulator } from '../helpers/emulator';

const emu = heldEmulator();

type Started = { url: string; orderId: string; sessionId: string };

describe('the last units of a product', () => {
  it('a double click on the last unit gets the same session (form and JSON)', async () => {
    const { products } = await seedCatalog([{ name: 'Last teapot', unitAmount: 4200, stock: 1 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!, 1);

    const first = await buyer.checkoutForm();
    expect(first.status).toBe(303);
    const url = first.headers.get('location')!;
    expect(url).not.toContain('/cart');
    expect(await stockOf(products[0]!.id)).toBe(0);

    const second = await buyer.checkoutForm();
    expect(second.status).toBe(303);
    expect(second.headers.get('location')).toBe(url);

    const json = await buyer.checkout();
    expect(json.status).toBe(200);
    expect((await json.json<Started>()).url).toBe(url);

    const orders = await ordersOfCart(buyer.cartId);
    expect(orders.map((o) => o.status)).toEqual(['pending']);
    expect(await reservations(orders[0]!.id)).toEqual([
      { product_id: products[0]!.id, quantity: 1, status: 'held' },
    ]);
    expect(await stockOf(products[0]!.id)).toBe(0);
  });

  it('all the units left, asked twice: the same session, nothing reserved twice', async () => {
    const { products } = await seedCatalog([{ name: 'Last mugs', unitAmount: 1800, stock: 3 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!, 3);
    const [a, b] = [await buyer.checkout(), await buyer.checkout()];
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await b.json<Started>()).sessionId).toBe((await a.json<Started>()).sessionId);
    expect(await stockOf(products[0]!.id)).toBe(0);
  });

  it('after a Stripe 500 the retry gets the same order and one session', async () => {
    const { products } = await seedCatalog([{ name: 'Last kettle', unitAmount: 6400, stock: 1 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!, 1);

    // Every try of the SDK (the first and its two retries) gets a 500.
    await emu.faults({ fail_next: 3, status: 500 });
    const failed = await buyer.checkout();
    expect(failed.status).toBe(502);
    expect(await stockOf(products[0]!.id)).toBe(0); // still held for this shopper

    const retry = await buyer.checkout();
    expect(retry.status).toBe(200);
    const started = await retry.json<Started>();
    const orders = await ordersOfCart(buyer.cartId);
    expect(orders.map((o) => [o.id, o.status])).toEqual([[started.orderId, 'pending']]);
    // One attempt failed at Stripe, one is open: one session.
    expect(await countRows('checkouts', started.orderId)).toBe(2);
    const sessions = await getStripe(env).checkout.sessions.list({ limit: 100 });
    expect(sessions.data.filter((s) => s.metadata?.order_id === started.orderId)).toHaveLength(1);

    // And the form path, clicked again now, lands on that same session.
    const again = await buyer.checkoutForm();
    expect(again.headers.get('location')).toBe(started.url);
  });
});
