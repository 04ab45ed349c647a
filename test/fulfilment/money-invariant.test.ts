// Money stays exact (fast-check): random multi-vendor orders go through random sequences of partial
// shipments, cancels, returns (approved or declined), operator refunds, redelivered webhooks and
// redelivered queue messages. After every step: every figure is an integer; Stripe refunded what D1 says;
// each transfer at Stripe matches its D1 row; no vendor gives back more than it was paid; a cancelled
// part's vendor keeps nothing; and collected − refunded = platform's part + Σ vendors' net, the
// platform's part never negative.
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getStripe } from '../../src/stripe/client';
import { heldEmulator } from '../helpers/emulator';
import { admin, paidMultiVendorOrder, vendorClient, type PartJson } from '../helpers/fulfilment';
import { messagesFor, runBatch, stripeTransfers, transfersOf } from '../helpers/payout-fixtures';

const emu = heldEmulator();

const step = fc.oneof(
  fc.record({ kind: fc.constant('ship' as const), v: fc.nat(2), all: fc.boolean() }),
  fc.record({ kind: fc.constant('cancel' as const), v: fc.nat(2) }),
  fc.record({ kind: fc.constant('return' as const), v: fc.nat(2), approve: fc.boolean() }),
  fc.record({ kind: fc.constant('refund' as const), amount: fc.integer({ min: 1, max: 3000 }) }),
  fc.constant({ kind: 'redeliver' as const }),
  fc.constant({ kind: 'requeue' as const }),
);

const scenario = fc.record({
  vendors: fc.array(
    fc.array(
      fc.record({ unitAmount: fc.integer({ min: 101, max: 4999 }), qty: fc.integer({ min: 1, max: 3 }) }),
      {
        minLength: 1,
        maxLength: 2,
      },
    ),
    { minLength: 2, maxLength: 3 },
  ),
  release: fc.constantFrom('on_payment', 'on_shipment'),
  steps: fc.array(step, { minLength: 2, maxLength: 5 }),
});

/** Sends every payout row that is due through the consumer (as a redelivery would), then the events. */
async function settle(orderId: string) {
  const rows = await transfersOf(orderId);
  await runBatch(
    env,
    messagesFor(
      'transfer',
      rows.filter((t) => t.status === 'pending' || t.status === 'sending'),
    ),
  );
  const reversals = await env.DB.prepare(
    `SELECT r.id FROM transfer_reversals r JOIN transfers t ON t.id = r.transfer_id WHERE t.order_id = ? AND r.status = 'pending'`,
  )
    .bind(orderId)
    .all<{ id: string }>();
  await runBatch(env, messagesFor('reversal', reversals.results));
  await emu.drain();
}

async function check(orderId: string, seenRefundActions: number) {
  const order = (await env.DB.prepare('SELECT * FROM orders WHERE id = ?')
    .bind(orderId)
    .first<{ amount_received: number; amount_refunded: number; charge_id: string }>())!;
  const collected = order.amount_received;
  const refunds = (await getStripe(env).refunds.list({ charge: order.charge_id, limit: 100 })).data;
  const refundedAtStripe = refunds.reduce((s, r) => s + r.amount, 0);
  expect(order.amount_refunded).toBe(refundedAtStripe);
  expect(refundedAtStripe).toBeLessThanOrEqual(collected);
  expect(refunds.length).toBeLessThanOrEqual(seenRefundActions);

  const rows = await transfersOf(orderId);
  const atStripe = new Map((await stripeTransfers(orderId)).map((t) => [t.id, t]));
  const parts = (await (await admin(`/admin/api/orders/${orderId}`)).json<{ parts: PartJson[] }>()).parts;
  let vendorsNet = 0;
  for (const t of rows) {
    for (const n of [t.amount, t.initialAmount, t.amountReversed, t.fee])
      expect(Number.isInteger(n)).toBe(true);
    const pending = await env.DB.prepare(
      "SELECT COALESCE(SUM(amount), 0) AS n FROM transfer_reversals WHERE transfer_id = ? AND status IN ('pending', 'failed')",
    )
      .bind(t.id)
      .first<{ n: number }>();
    const net = t.amount - t.amountReversed - pending!.n;
    expect(net).toBeGreaterThanOrEqual(0);
    expect(net).toBeLessThanOrEqual(t.initialAmount);
    if (t.stripeTransferId) {
      const s = atStripe.get(t.stripeTransferId)!;
      expect(s.amount).toBe(t.amount);
      expect(s.amount_reversed).toBe(t.amountReversed);
    }
    const part = parts.find((p) => p.storeId === t.storeId)!;
    if (part.status === 'cancelled' && part.lines.every((l) => l.shipped === 0)) expect(net).toBe(0);
    vendorsNet += net;
  }
  // Stripe holds for the vendors exactly what D1 says it sent and did not take back.
  const stripeNet = [...atStripe.values()].reduce((s, t) => s + t.amount - t.amount_reversed, 0);
  const sentNet = rows.filter((t) => t.stripeTransferId).reduce((s, t) => s + t.amount - t.amountReversed, 0);
  expect(stripeNet).toBe(sentNet);
  const platform = collected - refundedAtStripe - vendorsNet;
  expect(Number.isInteger(platform)).toBe(true);
  expect(platform).toBeGreaterThanOrEqual(0);
}

describe('money invariant', () => {
  it('holds after every step of random after-payment histories', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (sc) => {
        const { orderId, stores, buyer } = await paidMultiVendorOrder(emu, sc.vendors, {
          onboarded: true,
          confirmWith: { ...env, PAYOUT_RELEASE: sc.release },
        });
        const post = (path: string, body?: unknown) =>
          buyer.fetch(path, {
            method: 'POST',
            headers: { origin: 'http://localhost', ...(body ? { 'content-type': 'application/json' } : {}) },
            body: body ? JSON.stringify(body) : undefined,
          });
        const events: string[] = [];
        let refundActions = 0;
        await settle(orderId);
        await check(orderId, refundActions);
        for (const s of sc.steps) {
          const store = 'v' in s ? stores[s.v % stores.length]! : stores[0]!;
          const vendor = await vendorClient(store.storeId);
          const parts = (await (await admin(`/admin/api/orders/${orderId}`)).json<{ parts: PartJson[] }>())
            .parts;
          const part = parts.find((p) => p.storeId === store.storeId)!;
          if (s.kind === 'ship') {
            const line = part.lines.find((l) => l.quantity > l.shipped);
            if (line)
              await vendor.post(`/vendor/orders/${orderId}/shipments`, {
                carrier: 'UPS',
                trackingNumber: 'T',
                ...(s.all ? {} : { items: [{ productId: line.productId, quantity: 1 }] }),
              });
          } else if (s.kind === 'cancel') {
            const res = await post(`/orders/${orderId}/parts/${store.storeId}/cancel`);
            if (res.status === 200) refundActions++;
          } else if (s.kind === 'return') {
            const line = part.lines.find((l) => l.shipped > 0);
            if (line) {
              const res = await post(`/orders/${orderId}/returns`, {
                storeId: store.storeId,
                reason: 'Property test',
                items: [{ productId: line.productId, quantity: 1 }],
              });
              if (res.status === 201) {
                const { return: r } = await res.json<{ return: { id: string } }>();
                if (s.approve) {
                  const decided = await vendor.post(`/vendor/returns/${r.id}/approve`, { restock: true });
                  if (decided.status === 200) refundActions++;
                } else await vendor.post(`/vendor/returns/${r.id}/decline`, { reason: 'No' });
              }
            }
          } else if (s.kind === 'refund') {
            const res = await admin(`/admin/api/orders/${orderId}/refunds`, { amount: s.amount });
            if (res.status === 201) refundActions++;
          } else if (s.kind === 'redeliver') {
            for (const id of events.slice(-4)) await emu.resend(id);
          } else {
            const rows = await transfersOf(orderId);
            await runBatch(env, messagesFor('transfer', rows));
          }
          events.push(...(await emu.drain()).map((d) => d.event_id));
          await settle(orderId);
          await check(orderId, refundActions);
        }
      }),
      { numRuns: 8, interruptAfterTimeLimit: 150_000 },
    );
  }, 200_000);
});
