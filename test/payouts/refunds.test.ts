// Refunds and vendor payouts: proportional reversals of sent transfers (full and partial, through the
// emulator's charge.refunded), a duplicate charge.refunded, and refunds that arrive before the transfer.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { planReversals } from '../../src/payouts/plan';
import { onOrderRefunded } from '../../src/payouts/refunds';
import { getStripe } from '../../src/stripe/client';
import { orderRow } from '../helpers/checkout-fixtures';
import { heldEmulator } from '../helpers/emulator';
import {
  envWithQueue,
  messagesFor,
  paidOrder,
  reversalsOf,
  runBatch,
  stripeTransfers,
  transferRow,
  transfersOf,
  vendors,
} from '../helpers/payout-fixtures';

const emu = heldEmulator();

/** A paid two-vendor order whose transfers were sent. */
async function sentOrder(amounts: [number, number]) {
  const [a, b] = await vendors(emu, 2);
  const order = await paidOrder(emu, [
    { storeId: a!.id, amount: amounts[0] },
    { storeId: b!.id, amount: amounts[1] },
  ]);
  const { env: e } = envWithQueue();
  await runBatch(e, messagesFor('transfer', order.transfers));
  await emu.drain(); // transfer.created events
  return order;
}

/** Refunds at Stripe and lets the emulator deliver charge.refunded (and friends) to the storefront. */
async function refundAtStripe(chargeId: string, amount?: number) {
  const refund = await getStripe(env).refunds.create({ charge: chargeId, ...(amount ? { amount } : {}) });
  const deliveries = await emu.drain();
  expect(deliveries.every((d) => d.ok)).toBe(true);
  return { refund, event: deliveries.find((d) => d.type === 'charge.refunded')! };
}

/** Sends every reversal row of these transfers through the consumer. */
async function sendReversals(transferIds: string[]) {
  const rows = (await Promise.all(transferIds.map((id) => reversalsOf(id)))).flat();
  const { env: e } = envWithQueue();
  const result = await runBatch(e, messagesFor('reversal', rows));
  expect(result.retryMessages).toEqual([]);
  return rows;
}

describe('planReversals (the split)', () => {
  const transfers = [
    { id: 'a', initialAmount: 1799 },
    { id: 'b', initialAmount: 3000 },
    { id: 'c', initialAmount: 905 },
  ];
  const collected = 1799 + 3000 + 905 + 634 + 500; // vendors' shares + platform fee + shipping

  it('a full refund takes back every transfer exactly', () => {
    const plans = planReversals({
      collected,
      transfers,
      refunds: [{ refundId: 're_1', amount: collected }],
      recorded: [],
    });
    expect(plans.map((p) => p.amount)).toEqual([1799, 3000, 905]);
  });

  it('partial refunds are proportional, and add up to the full transfers once everything is refunded', () => {
    const first = planReversals({
      collected,
      transfers,
      refunds: [{ refundId: 're_1', amount: 2000 }],
      recorded: [],
    });
    const share = (1799 + 3000 + 905) / collected;
    for (const p of first) {
      const t = transfers.find((x) => x.id === p.transferId)!;
      expect(Math.abs(p.amount - (2000 * t.initialAmount) / collected)).toBeLessThanOrEqual(1);
    }
    expect(first.reduce((s, p) => s + p.amount, 0)).toBe(Math.round(2000 * share));
    const rest = planReversals({
      collected,
      transfers,
      refunds: [
        { refundId: 're_1', amount: 2000 },
        { refundId: 're_2', amount: 3333 },
        { refundId: 're_3', amount: collected - 5333 },
      ],
      recorded: first,
    });
    const total = (id: string) =>
      [...first, ...rest].filter((p) => p.transferId === id).reduce((s, p) => s + p.amount, 0);
    expect([total('a'), total('b'), total('c')]).toEqual([1799, 3000, 905]);
  });

  it('plans nothing twice for the same refund', () => {
    const plans = planReversals({
      collected,
      transfers,
      refunds: [{ refundId: 're_1', amount: 999 }],
      recorded: [],
    });
    expect(
      planReversals({ collected, transfers, refunds: [{ refundId: 're_1', amount: 999 }], recorded: plans }),
    ).toEqual([]);
  });
});

describe('refunds after the transfers were sent', () => {
  it('a full refund reverses each vendor transfer in full', async () => {
    const order = await sentOrder([2400, 1800]);
    await refundAtStripe(order.charge!.chargeId);
    expect((await orderRow(order.orderId))?.status).toBe('refunded');

    const ids = order.transfers.map((t) => t.id);
    const rows = await sendReversals(ids);
    expect(rows).toHaveLength(2);
    for (const t of await transfersOf(order.orderId)) {
      expect(t.amountReversed).toBe(t.amount);
      const [reversal] = await reversalsOf(t.id);
      expect(reversal).toMatchObject({ status: 'sent', amount: t.amount });
      expect(reversal!.stripeReversalId).toMatch(/^trr_/);
    }
    for (const st of await stripeTransfers(order.orderId)) expect(st.amount_reversed).toBe(st.amount);
  });

  it('a partial refund reverses each transfer in proportion; charge.refunded twice makes one reversal each', async () => {
    const order = await sentOrder([3000, 1000]);
    const { event } = await refundAtStripe(order.charge!.chargeId, 2250); // half of 4500
    expect((await orderRow(order.orderId))?.status).toBe('partially_refunded');

    // Stripe delivers it again (at least once): nothing new.
    const again = await emu.resend(event.event_id);
    expect(again.status).toBe(200);
    await emu.drain();

    const ids = order.transfers.map((t) => t.id);
    const rows = await sendReversals(ids);
    expect(rows).toHaveLength(2);
    for (const t of await transfersOf(order.orderId)) {
      const reversals = await reversalsOf(t.id);
      expect(reversals).toHaveLength(1);
      // Half the payment came back, so half of each vendor's transfer goes back.
      expect(reversals[0]!.amount).toBe(t.amount / 2);
      expect(t.amountReversed).toBe(t.amount / 2);
    }
    const atStripe = await stripeTransfers(order.orderId);
    expect(atStripe.map((s) => s.amount_reversed).sort((x, y) => x - y)).toEqual([450, 1350]);
  });
});

describe('refunds before the transfer was sent', () => {
  it('reduces the transfer instead of reversing it; the smaller amount is what Stripe gets', async () => {
    const [v] = await vendors(emu, 1);
    const order = await paidOrder(emu, [{ storeId: v!.id, amount: 5000 }], { shipping: 0 });
    const transfer = order.transfers[0]!;
    expect(transfer.amount).toBe(4500);
    await refundAtStripe(order.charge!.chargeId, 1000); // a fifth of the payment

    const reduced = await transferRow(transfer.id);
    expect(reduced).toMatchObject({ status: 'pending', amount: 3600 });
    expect(await reversalsOf(transfer.id)).toMatchObject([{ status: 'applied', amount: 900 }]);

    const { env: e } = envWithQueue();
    await runBatch(e, [{ body: { kind: 'transfer', id: transfer.id } }]);
    const [st] = await stripeTransfers(order.orderId);
    expect(st?.amount).toBe(3600);
    expect(st?.amount_reversed).toBe(0);
  });

  it('a full refund cancels the unsent transfer: nothing is paid', async () => {
    const [v] = await vendors(emu, 1);
    const order = await paidOrder(emu, [{ storeId: v!.id, amount: 2000 }]);
    await refundAtStripe(order.charge!.chargeId);
    expect(await transferRow(order.transfers[0]!.id)).toMatchObject({ status: 'canceled', amount: 0 });
    const { env: e } = envWithQueue();
    const result = await runBatch(e, [{ body: { kind: 'transfer', id: order.transfers[0]!.id } }]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await stripeTransfers(order.orderId)).toHaveLength(0);
  });

  it('a refund while the transfer is being sent waits for it, then reverses it', async () => {
    const [v] = await vendors(emu, 1);
    const order = await paidOrder(emu, [{ storeId: v!.id, amount: 3000 }], { shipping: 0 });
    const id = order.transfers[0]!.id;
    await env.DB.prepare(`UPDATE transfers SET status = 'sending', attempts = 1 WHERE id = ?`).bind(id).run();
    const { env: e, sent } = envWithQueue();
    await onOrderRefunded(e, { orderId: order.orderId, refundId: 're_test_inflight', amount: 1500 });
    const [reversal] = await reversalsOf(id);
    expect(reversal).toMatchObject({ status: 'pending', amount: 1350 });
    expect((await transferRow(id))?.amount).toBe(2700); // not reduced: it may already be on its way

    // The reversal waits (acked) until the transfer exists, then goes with it.
    const early = await runBatch(e, [{ body: { kind: 'reversal', id: reversal!.id } }]);
    expect(early.explicitAcks).toHaveLength(1);
    expect((await reversalsOf(id))[0]?.status).toBe('pending');
    await runBatch(e, [{ body: { kind: 'transfer', id } }]);
    expect(sent).toContainEqual({ kind: 'reversal', id: reversal!.id });
    await runBatch(e, [{ body: { kind: 'reversal', id: reversal!.id } }]);
    const [st] = await stripeTransfers(order.orderId);
    expect(st).toMatchObject({ amount: 2700, amount_reversed: 1350 });
  });

  it('a refund recorded before the order has transfers is applied when they are sent', async () => {
    const [v] = await vendors(emu, 1);
    const { env: e } = envWithQueue();
    const order = await paidOrder(emu, [{ storeId: v!.id, amount: 1000 }], { shipping: 0 });
    // Simulate the refund arriving first: drop the rows, record the refund, write them again.
    await env.DB.prepare('DELETE FROM transfers WHERE order_id = ?').bind(order.orderId).run();
    await onOrderRefunded(e, { orderId: order.orderId, refundId: 're_test_early', amount: 500 });
    await env.DB.prepare(
      `INSERT INTO transfers (id, order_id, store_id, amount, initial_amount, fee, currency, status)
       VALUES (?, ?, ?, 900, 900, 100, 'usd', 'pending')`,
    )
      .bind(order.transfers[0]!.id, order.orderId, v!.id)
      .run();
    await runBatch(e, [{ body: { kind: 'transfer', id: order.transfers[0]!.id } }]);
    const [st] = await stripeTransfers(order.orderId);
    expect(st?.amount).toBe(450);
  });
});
