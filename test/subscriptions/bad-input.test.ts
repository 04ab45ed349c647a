// Bad input around subscriptions: inactive or foreign-currency recurring products, mixed intervals, the
// Payment Element path, an interval changed between cart and checkout, a product retired meanwhile.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { getStripe } from '../../src/stripe/client';
import { seedCatalog } from '../helpers/checkout-fixtures';
import { shopper } from '../helpers/checkout-flow';
import { heldEmulator } from '../helpers/emulator';

heldEmulator();
const stripe = getStripe(env);

async function recurring(interval: string, extra = '') {
  const { products } = await seedCatalog([{ name: `Plan ${interval}`, unitAmount: 1000 }]);
  const p = products[0]!;
  await env.DB.prepare(`UPDATE products SET recurring_interval = ?${extra} WHERE id = ?`)
    .bind(interval, p.id)
    .run();
  return p;
}

const addJson = (buyer: Awaited<ReturnType<typeof shopper>>, productId: string) =>
  buyer.fetch('/cart/items', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ productId, qty: 1 }),
  });

describe('subscription bad input', () => {
  it('an inactive or foreign-currency recurring product cannot be added (422, cart unchanged)', async () => {
    const inactive = await recurring('month', ', active = 0');
    const euro = await recurring('month', `, currency = 'eur'`);
    const buyer = await shopper();
    for (const p of [inactive, euro]) {
      const res = await addJson(buyer, p.id);
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await buyer.cart.getState()).lines).toEqual([]);
  });

  it('recurring lines of different intervals are refused at checkout (422), nothing written', async () => {
    const monthly = await recurring('month');
    const yearly = await recurring('year');
    const buyer = await shopper();
    await buyer.add(monthly);
    await buyer.add(yearly);
    const res = await buyer.checkout({ email: 'mixed@example.com' });
    expect(res.status).toBe(422);
    expect((await res.json<{ code: string }>()).code).toBe('mixed_intervals');
    const orders = await env.DB.prepare('SELECT count(*) AS n FROM orders WHERE cart_id = ?')
      .bind(buyer.cartId)
      .first<{ n: number }>();
    expect(orders?.n).toBe(0);
  });

  it('the Payment Element path refuses a cart with a subscription (422)', async () => {
    const monthly = await recurring('month');
    const buyer = await shopper();
    await buyer.add(monthly);
    const res = await buyer.fetch('/create-payment-intent', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'pe@example.com' }),
    });
    expect(res.status).toBe(422);
    expect((await res.json<{ code: string }>()).code).toBe('subscription_needs_checkout');
  });

  it('an interval changed between cart and checkout: the new session bills the new interval, the old one is expired', async () => {
    const plan = await recurring('month');
    const buyer = await shopper();
    await buyer.add(plan);
    const first = await (
      await buyer.checkout({ email: 'interval@example.com' })
    ).json<{ sessionId: string }>();
    await env.DB.prepare(`UPDATE products SET recurring_interval = 'year' WHERE id = ?`).bind(plan.id).run();
    const second = await (
      await buyer.checkout({ email: 'interval@example.com' })
    ).json<{ sessionId: string }>();
    expect(second.sessionId).not.toBe(first.sessionId);
    expect((await stripe.checkout.sessions.retrieve(first.sessionId)).status).toBe('expired');
    const items = await stripe.checkout.sessions.listLineItems(second.sessionId);
    expect(items.data[0]!.price!.recurring!.interval).toBe('year');
  });

  it('a recurring product retired after it was added refuses the checkout (409 naming it)', async () => {
    const plan = await recurring('month');
    const buyer = await shopper();
    await buyer.add(plan);
    await env.DB.prepare('UPDATE products SET active = 0 WHERE id = ?').bind(plan.id).run();
    const res = await buyer.checkout({ email: 'retired@example.com' });
    expect(res.status).toBe(409);
    expect((await res.json<{ detail: string }>()).detail).toContain(plan.name);
  });

  it('form checkouts are sent back to the cart with the reason (no e-mail, already subscribed)', async () => {
    const plan = await recurring('month');
    const buyer = await shopper();
    await buyer.add(plan);
    const noEmail = await buyer.checkoutForm('');
    expect(noEmail.status).toBe(303);
    expect(noEmail.headers.get('location')).toBe('/cart?checkout=email');

    const email = `form-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const subId = `sub_${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO subscriptions (id, customer_id, status, email) VALUES (?, 'cus_form', 'past_due', ?)`,
      ).bind(subId, email),
      env.DB.prepare(
        `INSERT INTO subscription_items (subscription_id, product_id, store_id, store_name, name, unit_amount, quantity)
         VALUES (?, ?, ?, ?, ?, 1000, 1)`,
      ).bind(subId, plan.id, plan.storeId, plan.storeName, plan.name),
    ]);
    const refused = await buyer.checkoutForm(`email=${encodeURIComponent(email)}`);
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toBe('/cart?checkout=subscribed');
    const page = await buyer.fetch('/cart?checkout=subscribed', { headers: { accept: 'text/html' } });
    expect(await page.text()).toContain('You already have a subscription to a product in your cart.');
  });
});
