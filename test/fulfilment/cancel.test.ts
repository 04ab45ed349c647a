// Shopper self-service cancel through SELF.fetch and the emulator: cancelling one vendor's unshipped part
// refunds its lines at Stripe once, returns stock once, and takes the vendor's share from that vendor's
// transfer alone (reduced while held, reversed once sent); after shipping it is 409; the whole order
// cancels (with shipping) while nothing shipped.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { getStripe } from '../../src/stripe/client';
import { stockOf } from '../helpers/checkout-fixtures';
import { heldEmulator } from '../helpers/emulator';
import { admin, eventually, paidMultiVendorOrder, vendorClient } from '../helpers/fulfilment';
import { waitForMail } from '../helpers/mail';
import { reversalsOf, stripeTransfers, transfersOf } from '../helpers/payout-fixtures';

const emu = heldEmulator();
type Problem = { status: number; detail: string };

function post(
  buyer: { fetch: (p: string, i?: RequestInit) => Promise<Response> },
  path: string,
  body?: unknown,
) {
  return buyer.fetch(path, {
    method: 'POST',
    headers: { origin: 'http://localhost', ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}

async function refundsAtStripe(orderId: string) {
  const row = await env.DB.prepare('SELECT charge_id FROM orders WHERE id = ?')
    .bind(orderId)
    .first<{ charge_id: string }>();
  return (await getStripe(env).refunds.list({ charge: row!.charge_id, limit: 100 })).data;
}

describe('shopper cancel', () => {
  it("cancels one vendor's part: refund once, stock back once, that vendor's transfer reversed alone", async () => {
    const { orderId, stores, buyer, email } = await paidMultiVendorOrder(
      emu,
      [[{ unitAmount: 2000, qty: 2, stock: 10 }], [{ unitAmount: 1000, qty: 1, stock: 5 }]],
      { onboarded: true },
    );
    const [a, b] = stores;
    // on_payment: both transfers are sent first.
    await eventually(async () => (await transfersOf(orderId)).every((t) => t.status === 'sent'));
    expect(await stockOf(b!.products[0]!.id)).toBe(4);

    const vendorMail = `vendor.${b!.storeId.slice(-8)}@example.com`;
    await env.DB.prepare('UPDATE stores SET email = ? WHERE id = ?').bind(vendorMail, b!.storeId).run();
    // B ships nothing; the shopper cancels B's part, twice and concurrently.
    const results = await Promise.all([
      post(buyer, `/orders/${orderId}/parts/${b!.storeId}/cancel`, { reason: 'Changed my mind' }),
      post(buyer, `/orders/${orderId}/parts/${b!.storeId}/cancel`, { reason: 'Changed my mind' }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(await stockOf(b!.products[0]!.id)).toBe(5);
    const refunds = await refundsAtStripe(orderId);
    expect(refunds.map((r) => r.amount)).toEqual([1000]);
    await emu.drain();
    await emu.drain();

    const order = await buyer.order(orderId);
    expect(order).toMatchObject({ status: 'partially_refunded', amountRefunded: 1000 });
    // B gives back all it got (900); A keeps its 3600.
    const rows = await transfersOf(orderId);
    const tb = rows.find((t) => t.storeId === b!.storeId)!;
    const ta = rows.find((t) => t.storeId === a!.storeId)!;
    expect((await reversalsOf(ta.id)).length).toBe(0);
    await eventually(async () => (await reversalsOf(tb.id)).some((r) => r.status === 'sent'));
    expect((await reversalsOf(tb.id)).map((r) => r.amount)).toEqual([900]);
    const atStripe = await stripeTransfers(orderId);
    const reversed = atStripe.map((t) => t.amount_reversed).sort((x, y) => x - y);
    expect(reversed).toEqual([0, 900]);
    await waitForMail(email, { kind: 'refund_issued' });
    // The vendor is told, once.
    const told = await waitForMail(vendorMail, { kind: 'vendor_part_notice' });
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain('Changed my mind');

    // A ships: A's part can no longer be cancelled (409 with a clear message), nor the whole order.
    await (
      await vendorClient(a!.storeId)
    ).post(`/vendor/orders/${orderId}/shipments`, {
      carrier: 'UPS',
      trackingNumber: '1',
      items: [{ productId: a!.products[0]!.id, quantity: 1 }],
    });
    const late = await post(buyer, `/orders/${orderId}/parts/${a!.storeId}/cancel`);
    expect(late.status).toBe(409);
    expect((await late.json<Problem>()).detail).toMatch(/already shipped/);
    const whole = await post(buyer, `/orders/${orderId}/cancel`);
    expect(whole.status).toBe(409);

    // The admin JSON shows B's part cancelled with its refund, and its transfer reversed.
    const detail = await (
      await admin(`/admin/api/orders/${orderId}`)
    ).json<{
      parts: { storeId: string; status: string; cancelReason: string }[];
      transfers: { storeId: string; status: string; amountReversed: number }[];
    }>();
    expect(detail.parts.find((p) => p.storeId === b!.storeId)).toMatchObject({
      status: 'cancelled',
      cancelReason: 'Changed my mind',
    });
    expect(detail.transfers.find((t) => t.storeId === b!.storeId)).toMatchObject({
      status: 'reversed',
      amountReversed: 900,
    });
  });

  it('cancels the whole order before anything ships: everything refunded; held transfers reduced to nothing', async () => {
    const { orderId, buyer } = await paidMultiVendorOrder(
      emu,
      [[{ unitAmount: 1500, qty: 1 }], [{ unitAmount: 2500, qty: 1 }]],
      { onboarded: true, confirmWith: { ...env, PAYOUT_RELEASE: 'on_shipment' } },
    );
    expect((await transfersOf(orderId)).map((t) => t.status)).toEqual(['held', 'held']);
    const res = await post(buyer, `/orders/${orderId}/cancel`, { reason: 'x'.repeat(200) });
    expect(res.status).toBe(200);
    await emu.drain();
    const order = await buyer.order(orderId);
    // 15 + 25 + 5 shipping, all back.
    expect(order).toMatchObject({ status: 'refunded', amountRefunded: 4500 });
    // The last part cancelled carries the shipping.
    const amounts = (await refundsAtStripe(orderId)).map((r) => r.amount);
    expect(amounts).toHaveLength(2);
    expect(amounts.reduce((x, y) => x + y, 0)).toBe(4500);
    const rows = await transfersOf(orderId);
    expect(rows.map((t) => [t.status, t.amount])).toEqual([
      ['canceled', 0],
      ['canceled', 0],
    ]);
    expect(await stripeTransfers(orderId)).toHaveLength(0);
  });

  it('refuses a 5,000-character reason, another shopper, and unknown parts', async () => {
    const { orderId, stores, buyer } = await paidMultiVendorOrder(emu, [[{ unitAmount: 1500, qty: 1 }]]);
    const long = await post(buyer, `/orders/${orderId}/parts/${stores[0]!.storeId}/cancel`, {
      reason: 'r'.repeat(5000),
    });
    expect(long.status).toBe(422);
    const unknown = await post(buyer, `/orders/${orderId}/parts/st_unknown/cancel`);
    expect(unknown.status).toBe(404);
    const other = await paidMultiVendorOrder(emu, [[{ unitAmount: 1500, qty: 1 }]]);
    const stranger = await post(other.buyer, `/orders/${orderId}/parts/${stores[0]!.storeId}/cancel`);
    expect(stranger.status).toBe(404);
    expect(await refundsAtStripe(orderId)).toHaveLength(0);
  });
});
