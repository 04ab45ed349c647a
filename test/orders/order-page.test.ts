// GET /orders/:id: the buyer's read-only order, for the cart cookie that placed it or a signed link.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids';
import { orderLinkToken, signedOrderPath } from '../../src/lib/order-link';
import { cartCookie, seedOrder } from '../helpers/checkout-fixtures';

const url = (path: string) => `http://localhost${path}`;

async function seeded() {
  return seedOrder({
    lines: [
      { name: 'Linen apron', storeName: 'Apron Atelier', unitAmount: 2400, qty: 1, note: 'Gift wrap' },
      { name: 'Beeswax candle', storeName: 'Hive & Wick', unitAmount: 900, qty: 2 },
    ],
    shippingAmount: 500,
    session: { id: `cs_test_${newId('x')}` },
  });
}

describe('GET /orders/:id', () => {
  it("shows the buyer's order: lines, notes, vendors, totals and an honest status", async () => {
    const { orderId, cartId } = await seeded();
    const res = await SELF.fetch(url(`/orders/${orderId}`), {
      headers: { cookie: await cartCookie(cartId), accept: 'text/html' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('cache-control')).toContain('no-store');
    const html = await res.text();
    for (const text of [
      'Linen apron',
      'Gift wrap',
      'Apron Atelier',
      'Hive &amp; Wick',
      '$42.00',
      '$5.00',
      '$47.00',
    ])
      expect(html).toContain(text);
    expect(html).toContain('Processing');
    expect(html).not.toContain('Paid');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
  });

  it('answers JSON for Accept: application/json, with no Stripe object in it', async () => {
    const { orderId, cartId } = await seeded();
    const res = await SELF.fetch(url(`/orders/${orderId}`), {
      headers: { cookie: await cartCookie(cartId), accept: 'application/json' },
    });
    expect(res.status).toBe(200);
    const body = await res.json<{ order: Record<string, unknown> }>();
    expect(body.order).toMatchObject({
      id: orderId,
      status: 'pending',
      statusLabel: 'Processing',
      subtotal: 4200,
      shippingAmount: 500,
      total: 4700,
      lines: [
        {
          name: 'Linen apron',
          quantity: 1,
          unitAmount: 2400,
          note: 'Gift wrap',
          vendor: { name: 'Apron Atelier' },
        },
        { name: 'Beeswax candle', quantity: 2, unitAmount: 900, note: '', vendor: { name: 'Hive & Wick' } },
      ],
    });
    const text = JSON.stringify(body);
    expect(text).not.toContain('client_secret');
    expect(text).not.toContain('"object"');
    expect(text).not.toContain(cartId);
  });

  it('is 404 for another visitor and for no cookie at all', async () => {
    const { orderId } = await seeded();
    const stranger = await SELF.fetch(url(`/orders/${orderId}`), {
      headers: { cookie: await cartCookie(newId('cart')), accept: 'application/json' },
    });
    expect(stranger.status).toBe(404);
    expect(stranger.headers.get('content-type')).toContain('application/problem+json');
    const anonymous = await SELF.fetch(url(`/orders/${orderId}`), {
      headers: { accept: 'application/json' },
    });
    expect(anonymous.status).toBe(404);
    // Same answer as an order that doesn't exist.
    const missing = await SELF.fetch(url(`/orders/${newId('ord')}`), {
      headers: { accept: 'application/json' },
    });
    expect(await missing.json()).toMatchObject({
      detail: (await anonymous.json<{ detail: string }>()).detail,
    });
  });

  it('opens with a signed link, and not with an expired or tampered one', async () => {
    const { orderId } = await seeded();
    const ok = await SELF.fetch(url(await signedOrderPath(env, orderId)), {
      headers: { accept: 'application/json' },
    });
    expect(ok.status).toBe(200);

    const expired = await orderLinkToken(env, orderId, 60, Math.floor(Date.now() / 1000) - 3600);
    const late = await SELF.fetch(url(`/orders/${orderId}?t=${encodeURIComponent(expired)}`), {
      headers: { accept: 'application/json' },
    });
    expect(late.status).toBe(404);

    const other = await seeded();
    const foreign = await orderLinkToken(env, other.orderId);
    const swapped = await SELF.fetch(url(`/orders/${orderId}?t=${encodeURIComponent(foreign)}`), {
      headers: { accept: 'application/json' },
    });
    expect(swapped.status).toBe(404);
  });

  it('is 404 for a malformed id', async () => {
    const res = await SELF.fetch(url('/orders/ord_short'), { headers: { accept: 'application/json' } });
    expect(res.status).toBe(404);
    const odd = await SELF.fetch(url('/orders/ord_NOT-AN-ID'), { headers: { accept: 'application/json' } });
    expect(odd.status).toBe(404);
  });
});
