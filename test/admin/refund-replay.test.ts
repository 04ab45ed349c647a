// The operator's refund API answers a replayed request (same idempotency key) as a replay: 200 and
// `replayed: true`, with the refund Stripe made the first time, and no second refund.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { getStripe } from '../../src/stripe/client';
import { adminApi } from '../helpers/admin-fixtures';
import { seedOrder } from '../helpers/checkout-fixtures';
import { heldEmulator } from '../helpers/emulator';
import { paidCharge } from '../helpers/payout-fixtures';

const emu = heldEmulator();

async function paidOrderWithCharge() {
  const charge = await paidCharge(emu, 3500);
  const { orderId } = await seedOrder({
    status: 'paid',
    lines: [{ unitAmount: 3000, qty: 1 }],
    shippingAmount: 500,
    amountReceived: 3500,
    paymentIntentId: charge.paymentIntentId,
    chargeId: charge.chargeId,
  });
  return { orderId, chargeId: charge.chargeId };
}

describe('refund replays', () => {
  it('the same Idempotency-Key answers 200 with replayed: true and the same refund', async () => {
    const { orderId, chargeId } = await paidOrderWithCharge();
    const ask = () =>
      adminApi(`/admin/api/orders/${orderId}/refunds`, {
        body: { amount: 1000 },
        headers: { 'idempotency-key': 'refund-replay-1' },
      });
    const first = await ask();
    expect(first.status).toBe(201);
    const one = await first.json<{ refund: { id: string }; replayed: boolean }>();
    expect(one.replayed).toBe(false);

    const again = await ask();
    expect(again.status).toBe(200);
    const two = await again.json<{ refund: { id: string }; replayed: boolean }>();
    expect(two).toMatchObject({ replayed: true, refund: { id: one.refund.id } });

    const refunds = await getStripe(env).refunds.list({ charge: chargeId });
    expect(refunds.data).toHaveLength(1);
  });

  it('a form double submit (same request_id) is one refund, the second answered as a replay', async () => {
    const { orderId } = await paidOrderWithCharge();
    const body = { amount_decimal: '5.00', request_id: 'rr_double_submit' };
    const first = await adminApi(`/admin/api/orders/${orderId}/refunds`, { body });
    const second = await adminApi(`/admin/api/orders/${orderId}/refunds`, { body });
    expect([first.status, second.status]).toEqual([201, 200]);
    expect((await second.json<{ replayed: boolean }>()).replayed).toBe(true);
  });
});
