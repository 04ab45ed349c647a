// Returns through SELF.fetch and the emulator: a shopper asks for a refund of shipped units with a reason;
// the vendor approves once (refund at Stripe, that vendor's transfer reversed by its share, stock back
// once) or declines with a reason; bad quantities, long reasons, other vendors and double approvals are
// refused; the admin order JSON keeps the history.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { getStripe } from '../../src/stripe/client';
import { stockOf } from '../helpers/checkout-fixtures';
import { heldEmulator } from '../helpers/emulator';
import { admin, eventually, paidMultiVendorOrder, vendorClient } from '../helpers/fulfilment';
import { reversalsOf, transfersOf } from '../helpers/payout-fixtures';
import { waitForMail } from '../helpers/mail';

const emu = heldEmulator();
type Return = { id: string; status: string; amount: number; vendorAmount: number; restock: boolean };

function post(
  buyer: { fetch: (p: string, i?: RequestInit) => Promise<Response> },
  path: string,
  body: unknown,
) {
  return buyer.fetch(path, {
    method: 'POST',
    headers: { origin: 'http://localhost', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('returns', () => {
  it('request, approve once with restock, refund and reversal from that vendor alone; decline keeps history', async () => {
    const { orderId, stores, buyer } = await paidMultiVendorOrder(
      emu,
      [[{ unitAmount: 2000, qty: 3, stock: 10 }], [{ unitAmount: 1000, qty: 1 }]],
      { onboarded: true },
    );
    const [a, b] = stores;
    const productId = a!.products[0]!.id;
    await eventually(async () => (await transfersOf(orderId)).every((t) => t.status === 'sent'));
    const vendorA = await vendorClient(a!.storeId);
    const vendorMailA = `vendor.${a!.storeId.slice(-8)}@example.com`;
    await env.DB.prepare('UPDATE stores SET email = ? WHERE id = ?').bind(vendorMailA, a!.storeId).run();
    await vendorA.post(`/vendor/orders/${orderId}/shipments`, {
      carrier: 'UPS',
      trackingNumber: '1',
      items: [{ productId, quantity: 2 }],
    });

    const path = `/orders/${orderId}/returns`;
    const base = { storeId: a!.storeId, reason: 'Arrived chipped' };
    for (const bad of [
      { ...base, items: [{ productId, quantity: 3 }] },
      { ...base, items: [{ productId, quantity: -1 }] },
      { ...base, items: [{ productId, quantity: 0.5 }] },
      { ...base, reason: 'r'.repeat(5000), items: [{ productId, quantity: 1 }] },
      { ...base, reason: '', items: [{ productId, quantity: 1 }] },
      { storeId: b!.storeId, reason: 'x', items: [{ productId: b!.products[0]!.id, quantity: 1 }] },
    ]) {
      const res = await post(buyer, path, bad);
      expect(res.status, `${JSON.stringify(bad).slice(0, 60)} ${await res.text()}`).toBe(422);
    }

    const first = await post(buyer, path, { ...base, items: [{ productId, quantity: 1 }] });
    expect(first.status).toBe(201);
    const request = (await first.json<{ return: Return }>()).return;
    const toldA = await waitForMail(vendorMailA, { kind: 'vendor_part_notice' });
    expect(toldA[0]!.text).toContain('Arrived chipped');
    expect(request).toMatchObject({ status: 'requested', amount: 2000, vendorAmount: 1800 });

    // Vendor B can't see or decide it; A sees it.
    const vendorB = await vendorClient(b!.storeId);
    expect((await vendorB.post(`/vendor/returns/${request.id}/approve`, {})).status).toBe(404);
    const open = await (await vendorA.get('/vendor/returns')).json<{ returns: Return[] }>();
    expect(open.returns.map((r) => r.id)).toContain(request.id);

    // Two approvals at once: one wins, stock comes back once, one refund.
    const stockBefore = await stockOf(productId);
    const both = await Promise.all([
      vendorA.post(`/vendor/returns/${request.id}/approve`, { restock: true }),
      vendorA.post(`/vendor/returns/${request.id}/approve`, { restock: true }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await stockOf(productId)).toBe(stockBefore! + 1);
    const again = await admin(`/admin/api/returns/${request.id}/approve`, {});
    expect(again.status).toBe(409);
    await emu.drain();

    const charge = (await env.DB.prepare('SELECT charge_id FROM orders WHERE id = ?')
      .bind(orderId)
      .first<{ charge_id: string }>())!.charge_id;
    const refunds = (await getStripe(env).refunds.list({ charge, limit: 10 })).data;
    expect(refunds.map((r) => r.amount)).toEqual([2000]);
    const rows = await transfersOf(orderId);
    const ta = rows.find((t) => t.storeId === a!.storeId)!;
    const tb = rows.find((t) => t.storeId === b!.storeId)!;
    await eventually(async () => (await reversalsOf(ta.id)).some((r) => r.status === 'sent'));
    expect((await reversalsOf(ta.id)).map((r) => r.amount)).toEqual([1800]);
    expect(await reversalsOf(tb.id)).toHaveLength(0);

    // A second request for the other shipped unit, declined with a reason; then approving it is 409.
    const second = await post(buyer, path, { ...base, items: [{ productId, quantity: 1 }] });
    const secondId = (await second.json<{ return: Return }>()).return.id;
    // Nothing more has shipped that is not already asked for.
    expect((await post(buyer, path, { ...base, items: [{ productId, quantity: 1 }] })).status).toBe(422);
    const declined = await vendorA.post(`/vendor/returns/${secondId}/decline`, {
      reason: 'Used, not faulty',
    });
    expect(declined.status).toBe(200);
    expect((await vendorA.post(`/vendor/returns/${secondId}/approve`, {})).status).toBe(409);
    expect((await admin(`/admin/api/returns/ret_unknown/approve`, {})).status).toBe(404);

    const detail = await (await admin(`/admin/api/orders/${orderId}`)).json<{ returns: Return[] }>();
    expect(detail.returns.map((r) => r.status)).toEqual(['approved', 'declined']);
  });
});
