// Money stays exact (fast-check): random multi-vendor orders go through random sequences of partial
// shipments, cancels, returns (approved or declined), operator refunds, disputes (opened, won or lost),
// redelivered webhooks and redelivered queue messages. After every step: every figure is an integer;
// Stripe refunded what D1 says; each transfer at Stripe matches its D1 row; no vendor gives back more
// than it was paid; a cancelled part's vendor keeps nothing; collected − refunded − dispute losses =
// platform's part + Σ vendors' net, the platform's part never negative and, while only pro-rata refunds
// and disputes happened, exactly the documented rule (vendors bear their share, vendorsShareOfRefunds);
// and the emulator's platform balance moved by exactly what D1 records.
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { heldEmulator } from '../helpers/emulator';
import { admin, paidMultiVendorOrder, vendorClient, type PartJson } from '../helpers/fulfilment';
import { check, openDispute, settle } from '../helpers/money-check';
import { messagesFor, runBatch, transfersOf } from '../helpers/payout-fixtures';

const emu = heldEmulator();

const step = fc.oneof(
  fc.record({ kind: fc.constant('ship' as const), v: fc.nat(2), all: fc.boolean() }),
  fc.record({ kind: fc.constant('cancel' as const), v: fc.nat(2) }),
  fc.record({ kind: fc.constant('return' as const), v: fc.nat(2), approve: fc.boolean() }),
  fc.record({ kind: fc.constant('refund' as const), amount: fc.integer({ min: 1, max: 3000 }) }),
  fc.record({ kind: fc.constant('dispute' as const), amount: fc.integer({ min: 1, max: 20_000 }) }),
  fc.record({ kind: fc.constant('close' as const), won: fc.boolean() }),
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
        let partRefunds = false;
        let dispute: { id: string; closed: boolean; blocksRefunds: boolean } | null = null;
        await settle(emu, orderId);
        await check(orderId, refundActions, partRefunds);
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
            // A charged-back payment can't be refunded (Stripe refuses): the shopper's cancel waits.
            const res = dispute?.blocksRefunds
              ? null
              : await post(`/orders/${orderId}/parts/${store.storeId}/cancel`);
            if (res?.status === 200) {
              refundActions++;
              partRefunds = true;
            }
          } else if (s.kind === 'return') {
            const line = dispute?.blocksRefunds ? undefined : part.lines.find((l) => l.shipped > 0);
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
                  if (decided.status === 200) {
                    refundActions++;
                    partRefunds = true;
                  }
                } else await vendor.post(`/vendor/returns/${r.id}/decline`, { reason: 'No' });
              }
            }
          } else if (s.kind === 'refund') {
            const res = await admin(`/admin/api/orders/${orderId}/refunds`, { amount: s.amount });
            if (res.status === 201) refundActions++;
          } else if (s.kind === 'dispute') {
            const opened: string | null = dispute ? null : await openDispute(emu, orderId, s.amount);
            if (opened) dispute = { id: opened, closed: false, blocksRefunds: true };
          } else if (s.kind === 'close') {
            if (dispute && !dispute.closed) {
              await emu.closeDispute(dispute.id, s.won ? 'won' : 'lost');
              dispute.closed = true;
              // Won: the payment is the platform's again, and can be refunded again.
              dispute.blocksRefunds = !s.won;
            }
          } else if (s.kind === 'redeliver') {
            for (const id of events.slice(-4)) await emu.resend(id);
          } else {
            const rows = await transfersOf(orderId);
            await runBatch(env, messagesFor('transfer', rows));
          }
          events.push(...(await emu.drain()).map((d) => d.event_id));
          await settle(emu, orderId);
          await check(orderId, refundActions, partRefunds);
        }
      }),
      { numRuns: 8, interruptAfterTimeLimit: 150_000 },
    );
  }, 200_000);
});
