// A cancel after an operator's partial refund: that refund was shared pro rata by every line and the
// shipping, so the cancel refunds only what it left of the cancelled lines, the vendor gives back all it
// still holds, and the platform never pays out more than it kept (found by the money-invariant property).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { heldEmulator } from '../helpers/emulator';
import { admin, paidMultiVendorOrder, type PartJson } from '../helpers/fulfilment';
import { check, settle } from '../helpers/money-check';
import { transfersOf } from '../helpers/payout-fixtures';

const emu = heldEmulator();

describe('cancel after a partial refund', () => {
  it('refunds what the earlier refund left of the lines, not the lines again', async () => {
    // Two vendors at 1.01 each, 5.00 shipping: 7.02 collected, 0.91 transferred to each vendor.
    const { orderId, stores, buyer } = await paidMultiVendorOrder(
      emu,
      [[{ unitAmount: 101, qty: 1 }], [{ unitAmount: 101, qty: 1 }]],
      { onboarded: true, confirmWith: { ...env, PAYOUT_RELEASE: 'on_payment' } },
    );
    await settle(emu, orderId);
    expect((await admin(`/admin/api/orders/${orderId}/refunds`, { amount: 587 })).status).toBe(201);
    await emu.drain();
    await settle(emu, orderId);

    const cancelled = stores[1]!.storeId;
    const res = await buyer.fetch(`/orders/${orderId}/parts/${cancelled}/cancel`, {
      method: 'POST',
      headers: { origin: 'http://localhost' },
    });
    expect(res.status).toBe(200);
    const { part } = await res.json<{ part: PartJson & { cancelRefundAmount: number } }>();
    // 5.87 of 7.02 gave this 1.01 line 0.84 back already: the cancel refunds the other 0.17.
    expect(part.cancelRefundAmount).toBe(17);
    await emu.drain();
    await settle(emu, orderId);

    const order = await env.DB.prepare('SELECT amount_refunded FROM orders WHERE id = ?')
      .bind(orderId)
      .first<{ amount_refunded: number }>();
    expect(order!.amount_refunded).toBe(587 + 17);
    const rows = await transfersOf(orderId);
    const vendor = rows.find((t) => t.storeId === cancelled)!;
    expect(vendor.amount - vendor.amountReversed).toBe(0);
    // Platform's part never negative, D1 and the emulator agree.
    await check(orderId, 2, true);
  });
});
