// A discount code end to end through SELF.fetch and the emulator: entered on the cart, priced per line,
// sent to Stripe at the discounted amounts, recorded on the order, counted once when paid, and taken
// out of the right party's payout (the vendor's share for vendor codes, the fee for platform codes).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { getStripe } from '../../src/stripe/client';
import { seedCatalog } from '../helpers/checkout-fixtures';
import { shopper } from '../helpers/checkout-flow';
import { applyCode, codeRow, createCode, freshCode } from '../helpers/discount-fixtures';
import { heldEmulator } from '../helpers/emulator';
import type { CartView } from '../../src/cart/types';
import { vendorsShareOfRefunds } from '../../src/lib/money';
import { adminApi } from '../helpers/admin-fixtures';

const emu = heldEmulator();

async function transfersOf(orderId: string) {
  const rows = await env.DB.prepare(
    'SELECT store_id, amount, fee FROM transfers WHERE order_id = ? ORDER BY store_id',
  )
    .bind(orderId)
    .all<{ store_id: string; amount: number; fee: number }>();
  return rows.results;
}

async function linesOf(orderId: string) {
  const rows = await env.DB.prepare(
    'SELECT product_id, amount, discount_amount, discount_funded_by FROM order_lines WHERE order_id = ? ORDER BY id',
  )
    .bind(orderId)
    .all<{
      product_id: string;
      amount: number;
      discount_amount: number;
      discount_funded_by: string | null;
    }>();
  return rows.results;
}

/** Checks out, pays on the emulator and delivers the webhooks; the paid order's id. */
async function buy(s: Awaited<ReturnType<typeof shopper>>, email?: string) {
  const res = await s.checkout(email ? { email } : {});
  expect(res.status).toBe(200);
  const { orderId, sessionId } = await res.json<{ orderId: string; sessionId: string }>();
  await emu.pay(sessionId);
  const deliveries = await emu.drain();
  expect(deliveries.every((d) => d.status === 200)).toBe(true);
  return { orderId, sessionId };
}

describe('a vendor-funded code', () => {
  it('prices the cart, charges the discounted lines, counts one redemption and comes out of that vendor', async () => {
    const potter = await seedCatalog([{ unitAmount: 1000 }, { unitAmount: 333 }]);
    const weaver = await seedCatalog([{ unitAmount: 2000 }]);
    const code = freshCode();
    const created = await createCode({ code, percentOff: 25, fundedBy: 'vendor', storeId: potter.storeId });
    const s = await shopper();
    await s.add(potter.products[0]!, 1);
    await s.add(potter.products[1]!, 3);
    await s.add(weaver.products[0]!, 1);

    // Case and surrounding spaces don't matter.
    const res = await applyCode(s, `  ${code.toLowerCase()} `);
    expect(res.status).toBe(200);
    const view = await res.json<CartView>();
    // 25% of potter's 1000 + 999 = 1999 → 499.75 → 500, split 250 / 250 (largest remainder).
    expect(view.discount).toMatchObject({
      code: code.toLowerCase(),
      applied: true,
      amount: 500,
      fundedBy: 'vendor',
    });
    expect(view.lines.map((l) => l.discountAmount ?? 0)).toEqual([250, 250, 0]);
    expect(view.discountedSubtotal).toBe(view.subtotal - 500);

    const { orderId, sessionId } = await buy(s, 'vendor.code@example.com');
    // What Stripe charged is what the order says.
    const session = await getStripe(env).checkout.sessions.retrieve(sessionId);
    const order = await s.order(orderId);
    expect(order.status).toBe('paid');
    expect(session.amount_total).toBe(order.total);
    expect(order.total).toBe(1000 + 999 + 2000 - 500 + 500);
    expect(await linesOf(orderId)).toEqual([
      { product_id: potter.products[0]!.id, amount: 750, discount_amount: 250, discount_funded_by: 'vendor' },
      { product_id: potter.products[1]!.id, amount: 749, discount_amount: 250, discount_funded_by: 'vendor' },
      { product_id: weaver.products[0]!.id, amount: 2000, discount_amount: 0, discount_funded_by: null },
    ]);
    // The potter's share: 1499 paid, fee 150 → 1349; the weaver is untouched: 2000 − 200.
    const transfers = await transfersOf(orderId);
    expect(transfers.find((t) => t.store_id === potter.storeId)).toMatchObject({ amount: 1349, fee: 150 });
    expect(transfers.find((t) => t.store_id === weaver.storeId)).toMatchObject({ amount: 1800, fee: 200 });
    expect((await codeRow(created.id))!.redemptions).toBe(1);

    // Redelivered completion: still one redemption.
    await emu.drain();
    expect((await codeRow(created.id))!.redemptions).toBe(1);
    // The emptied cart lets the code go.
    const after = await (await s.fetch('/cart')).json<CartView>();
    expect(after.lines).toHaveLength(0);
    expect(after.discount).toBeUndefined();
  });
});

describe('a platform-funded code', () => {
  it('comes out of the fee, never the vendor; capped at the fee when larger; free shipping off the platform', async () => {
    const shop = await seedCatalog([{ unitAmount: 4000 }]);
    const code = freshCode('PLAT');
    await createCode({ code, percentOff: 50, fundedBy: 'platform', freeShipping: true });
    const s = await shopper();
    await s.add(shop.products[0]!, 1);
    const view = await (await applyCode(s, code)).json<CartView>();
    // 50% would be 2000; the platform's fee on the order is 400, so the code gives 400.
    expect(view.discount).toMatchObject({
      applied: true,
      amount: 400,
      shippingOff: 500,
      fundedBy: 'platform',
    });

    const { orderId, sessionId } = await buy(s);
    const session = await getStripe(env).checkout.sessions.retrieve(sessionId);
    expect(session.amount_total).toBe(3600);
    const order = await s.order(orderId);
    expect(order).toMatchObject({ status: 'paid', total: 3600, shippingAmount: 0, amountReceived: 3600 });
    // The vendor gets what it would have without the code: 4000 − 400.
    expect(await transfersOf(orderId)).toEqual([{ store_id: shop.storeId, amount: 3600, fee: 400 }]);
  });
});

describe('refunding a discounted order', () => {
  it('refunds what was paid; vendors give back their share of it in proportion to their discounted transfers', async () => {
    const a = await seedCatalog([{ unitAmount: 2500 }]);
    const b = await seedCatalog([{ unitAmount: 1700 }]);
    const code = freshCode('REF');
    await createCode({ code, amountOff: 700, fundedBy: 'vendor', storeId: a.storeId });
    const s = await shopper();
    await s.add(a.products[0]!, 2);
    await s.add(b.products[0]!, 1);
    expect((await applyCode(s, code)).status).toBe(200);
    const { orderId } = await buy(s);
    const order = await s.order(orderId);
    expect(order.total).toBe(5000 - 700 + 1700 + 500);
    const initial = await transfersOf(orderId);
    const sent = initial.reduce((n, t) => n + t.amount, 0);

    // More than was paid can't be refunded; a part can, in two steps.
    const tooMuch = await adminApi(`/admin/api/orders/${orderId}/refunds`, {
      body: { amount: order.total + 1 },
    });
    expect(tooMuch.status).toBeGreaterThanOrEqual(400);
    let refunded = 0;
    for (const amount of [1234, 2000]) {
      const res = await adminApi(`/admin/api/orders/${orderId}/refunds`, { body: { amount } });
      expect(res.status).toBe(201);
      refunded += amount;
      await emu.drain();
      const rows = await env.DB.prepare(
        `SELECT r.amount, t.store_id FROM transfer_reversals r JOIN transfers t ON t.id = r.transfer_id
         WHERE t.order_id = ?`,
      )
        .bind(orderId)
        .all<{ amount: number; store_id: string }>();
      const back = rows.results.reduce((n, r) => n + r.amount, 0);
      expect(back).toBe(vendorsShareOfRefunds(order.total, sent, refunded));
      for (const t of initial) {
        const mine = rows.results.filter((r) => r.store_id === t.store_id).reduce((n, r) => n + r.amount, 0);
        expect(mine).toBeLessThanOrEqual(t.amount);
      }
    }
  });
});
