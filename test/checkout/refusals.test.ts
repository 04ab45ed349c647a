// What checkout refuses, and how: price drift, unavailable lines, stock, empty carts, form posts.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { planCheckout } from '../../src/checkout/plan';
import { getDb } from '../../src/db/client';
import { getStripe } from '../../src/stripe/client';
import { seedCatalog, stockOf } from '../helpers/checkout-fixtures';
import { ordersOfCart, shopper } from '../helpers/checkout-flow';
import { heldEmulator } from '../helpers/emulator';

heldEmulator();

const setPrice = (id: string, amount: number) =>
  env.DB.prepare('UPDATE products SET unit_amount = ? WHERE id = ?').bind(amount, id).run();

interface Problem {
  status: number;
  detail: string;
  code: string;
  problems: { productId: string; code: string; message: string }[];
}

describe('price drift', () => {
  it('refuses a price that went up, naming the line, and charges nothing', async () => {
    const { products } = await seedCatalog([{ name: 'Copper kettle', unitAmount: 3000 }]);
    const kettle = products[0]!;
    const buyer = await shopper();
    await buyer.add(kettle);
    await setPrice(kettle.id, 3500);
    const res = await buyer.checkout();
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = await res.json<Problem>();
    expect(body.problems).toEqual([
      expect.objectContaining({ productId: kettle.id, code: 'price_increased' }),
    ]);
    expect(body.detail).toContain('Copper kettle');
    expect(body.detail).toContain('$35.00');
    expect(await ordersOfCart(buyer.cartId)).toEqual([]);
  });

  it('goes ahead once the shopper accepted the new subtotal', async () => {
    const { products } = await seedCatalog([{ name: 'Copper pan', unitAmount: 3000 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!);
    await setPrice(products[0]!.id, 3500);
    expect((await buyer.checkout({ accepted_subtotal: 3400 })).status).toBe(409);
    const res = await buyer.checkout({ accepted_subtotal: 3500 });
    expect(res.status).toBe(200);
    const { sessionId } = await res.json<{ sessionId: string }>();
    expect((await getStripe(env).checkout.sessions.retrieve(sessionId)).amount_subtotal).toBe(3500);
  });

  it('passes a price that went down on to the shopper', async () => {
    const { products } = await seedCatalog([{ name: 'Tea towel', unitAmount: 1200 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!, 2);
    await setPrice(products[0]!.id, 1000);
    const res = await buyer.checkout();
    expect(res.status).toBe(200);
    const { orderId, sessionId } = await res.json<{ orderId: string; sessionId: string }>();
    expect((await buyer.order(orderId)).subtotal).toBe(2000);
    const session = await getStripe(env).checkout.sessions.retrieve(sessionId);
    expect(session.amount_subtotal).toBe(2000);
  });

  it('moves a pending order to the new prices when the price drops after checkout began', async () => {
    const { products } = await seedCatalog([{ name: 'Bread board', unitAmount: 4000 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!);
    const first = await (await buyer.checkout()).json<{ orderId: string; sessionId: string }>();
    await setPrice(products[0]!.id, 3000);
    const second = await (await buyer.checkout()).json<{ orderId: string; sessionId: string }>();
    expect(second.orderId).not.toBe(first.orderId);
    expect((await buyer.order(second.orderId)).subtotal).toBe(3000);
    expect((await getStripe(env).checkout.sessions.retrieve(first.sessionId)).status).toBe('expired');
    expect((await buyer.order(first.orderId)).status).toBe('canceled');
  });

  it('sends a form post back to the cart (303) when a price went up', async () => {
    const { products } = await seedCatalog([{ name: 'Oven mitt', unitAmount: 800 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!);
    await setPrice(products[0]!.id, 900);
    const res = await buyer.checkoutForm();
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/cart?checkout=changed');
  });
});

describe('unavailable lines and stock', () => {
  it('refuses an inactive product, naming it', async () => {
    const { products } = await seedCatalog([
      { name: 'Wool throw', unitAmount: 9000 },
      { name: 'Mug', unitAmount: 1500 },
    ]);
    const buyer = await shopper();
    await buyer.add(products[0]!);
    await buyer.add(products[1]!);
    await env.DB.prepare('UPDATE products SET active = 0 WHERE id = ?').bind(products[0]!.id).run();
    const res = await buyer.checkout();
    expect(res.status).toBe(409);
    const body = await res.json<Problem>();
    expect(body.problems).toEqual([
      expect.objectContaining({ productId: products[0]!.id, code: 'unavailable' }),
    ]);
    expect(body.detail).toContain('Wool throw');
  });

  it('refuses a quantity the stock no longer covers', async () => {
    const { products } = await seedCatalog([{ name: 'Clay vase', unitAmount: 5000, stock: 3 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!, 3);
    await env.DB.prepare('UPDATE products SET stock = 2 WHERE id = ?').bind(products[0]!.id).run();
    const res = await buyer.checkout();
    expect(res.status).toBe(409);
    expect((await res.json<Problem>()).detail).toContain('Clay vase');
    expect(await stockOf(products[0]!.id)).toBe(2);
  });

  it('sells the last unit once when two shoppers check out together', async () => {
    const { products } = await seedCatalog([{ name: 'Last lamp', unitAmount: 12000, stock: 1 }]);
    const [a, b] = [await shopper(), await shopper()];
    await a.add(products[0]!);
    await b.add(products[0]!);
    const [ra, rb] = await Promise.all([a.checkout(), b.checkout()]);
    expect([ra.status, rb.status].sort()).toEqual([200, 409]);
    const refused = ra.status === 409 ? ra : rb;
    expect((await refused.json<Problem>()).problems[0]).toMatchObject({ code: 'insufficient_stock' });
    expect(await stockOf(products[0]!.id)).toBe(0);
    const loser = ra.status === 409 ? a : b;
    expect((await ordersOfCart(loser.cartId)).map((o) => o.status)).toEqual(['canceled']);
  });

  it('refuses an empty cart with 422 (JSON) and sends a form back to the cart', async () => {
    const buyer = await shopper();
    const res = await buyer.checkout();
    expect(res.status).toBe(422);
    expect((await res.json<{ detail: string }>()).detail).toBe('Your cart is empty.');
    const form = await buyer.checkoutForm();
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe('/cart?checkout=empty');
  });

  it('refuses more than 100 lines (Stripe Checkout takes at most 100 line items)', async () => {
    const lines = Array.from({ length: 101 }, (_, i) => ({
      productId: `prod_${i}`,
      qty: 1,
      note: '',
      seenUnitAmount: 100,
      addedAt: 0,
    }));
    await expect(
      planCheckout(env, getDb(env), 'cart_x', { id: 'cart_x', version: 1, lines, updatedAt: 0 }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it('rejects bad input with 422 naming the field', async () => {
    const buyer = await shopper();
    const res = await buyer.checkout({ email: 'not-an-email' });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ errors: [expect.objectContaining({ path: 'email' })] });
  });
});

describe('a form post checks out', () => {
  it('redirects (303) to the Checkout page, with success and cancel URLs on this origin', async () => {
    const { products } = await seedCatalog([{ name: 'Honey jar', unitAmount: 700 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!);
    const res = await buyer.checkoutForm('email=honey%40example.com&locale=fr');
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    const [order] = await ordersOfCart(buyer.cartId);
    const session = (await getStripe(env).checkout.sessions.list({ limit: 20 })).data.find(
      (s) => s.client_reference_id === order!.id,
    )!;
    expect(location).toBe(session.url);
    expect(session.success_url).toBe(`http://localhost/orders/${order!.id}?session_id={CHECKOUT_SESSION_ID}`);
    expect(session.cancel_url).toBe('http://localhost/cart');
    // The e-mail names the shopper's Stripe Customer (Stripe refuses customer_email beside it).
    expect(session.customer_email).toBeNull();
    const customer = await getStripe(env).customers.retrieve(session.customer as string);
    expect(customer).toMatchObject({ email: 'honey@example.com' });
    expect(session.metadata).toMatchObject({ order_id: order!.id });
    expect(session.currency).toBe('usd');
    expect(session.amount_total).toBe(700 + 500);
  });

  it('refuses a cross-site form post', async () => {
    const buyer = await shopper();
    const res = await buyer.fetch('/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: '',
    });
    expect(res.status).toBe(403);
  });
});
