// Disputes keep the money exact (fast-check): random multi-vendor orders with random refunds, shipments,
// a dispute of a random amount closed won or lost (or left open), its events delivered in a random order
// with duplicates, redelivered, and queue messages redelivered. After every step the order holds the
// documented rule to the cent and the emulator's balance agrees with D1 (test/helpers/money-check.ts).
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { heldEmulator } from '../helpers/emulator';
import { admin, paidMultiVendorOrder, vendorClient, type PartJson } from '../helpers/fulfilment';
import { check, openDispute, settle } from '../helpers/money-check';
import { messagesFor, runBatch, transfersOf } from '../helpers/payout-fixtures';

const emu = heldEmulator();

const step = fc.oneof(
  fc.record({ kind: fc.constant('ship' as const), v: fc.nat(2) }),
  fc.record({ kind: fc.constant('refund' as const), amount: fc.integer({ min: 1, max: 3000 }) }),
  fc.record({ kind: fc.constant('dispute' as const), amount: fc.integer({ min: 1, max: 20_000 }) }),
  fc.record({
    kind: fc.constant('close' as const),
    won: fc.boolean(),
    // How the held events of the dispute arrive: in order, newest first, or shuffled, with duplicates.
    delivery: fc.constantFrom('in_order', 'reversed', 'shuffled'),
    seed: fc.nat(1000),
  }),
  fc.constant({ kind: 'redeliver' as const }),
  fc.constant({ kind: 'requeue' as const }),
);

const scenario = fc.record({
  vendors: fc.array(
    fc.array(
      fc.record({ unitAmount: fc.integer({ min: 101, max: 4999 }), qty: fc.integer({ min: 1, max: 3 }) }),
      { minLength: 1, maxLength: 2 },
    ),
    { minLength: 2, maxLength: 3 },
  ),
  release: fc.constantFrom('on_payment', 'on_shipment'),
  steps: fc.array(step, { minLength: 3, maxLength: 6 }),
});

/** A deterministic shuffle with duplicates (each id once or twice), from `seed`. */
function shuffled(ids: string[], seed: number): string[] {
  const out = ids.flatMap((id, i) => ((seed + i) % 3 === 0 ? [id, id] : [id]));
  for (let i = out.length - 1; i > 0; i--) {
    const j = (seed * 31 + i * 17) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('disputes keep the money exact', () => {
  it('holds after every step of random histories with a dispute', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (sc) => {
        const { orderId, stores } = await paidMultiVendorOrder(emu, sc.vendors, {
          onboarded: true,
          confirmWith: { ...env, PAYOUT_RELEASE: sc.release },
        });
        const events: string[] = [];
        let refundActions = 0;
        let dispute: { id: string; closed: boolean } | null = null;
        await settle(emu, orderId);
        await check(orderId, refundActions, false);
        for (const s of sc.steps) {
          if (s.kind === 'ship') {
            const store = stores[s.v % stores.length]!;
            const parts = (await (await admin(`/admin/api/orders/${orderId}`)).json<{ parts: PartJson[] }>())
              .parts;
            if (parts.find((p) => p.storeId === store.storeId)!.status === 'unfulfilled')
              await (
                await vendorClient(store.storeId)
              ).post(`/vendor/orders/${orderId}/shipments`, {
                carrier: 'UPS',
                trackingNumber: 'T',
              });
          } else if (s.kind === 'refund') {
            // Refused by Stripe while a chargeback holds the payment (open or lost): nothing changes.
            const res = await admin(`/admin/api/orders/${orderId}/refunds`, { amount: s.amount });
            if (res.status === 201) refundActions++;
          } else if (s.kind === 'dispute') {
            const opened: string | null = dispute ? null : await openDispute(emu, orderId, s.amount);
            if (opened) dispute = { id: opened, closed: false };
          } else if (s.kind === 'close') {
            if (dispute && !dispute.closed) {
              await emu.closeDispute(dispute.id, s.won ? 'won' : 'lost');
              dispute.closed = true;
              // Deliver what is held (the dispute's events among them) in the chosen order.
              const pending = (await emu.deliveries()).pending.map((d) => d.event_id);
              const order =
                s.delivery === 'in_order'
                  ? pending
                  : s.delivery === 'reversed'
                    ? [...pending].reverse()
                    : shuffled(pending, s.seed);
              await emu.deliver(order);
              events.push(...pending);
            }
          } else if (s.kind === 'redeliver') {
            for (const id of events.slice(-4)) await emu.resend(id);
          } else {
            await runBatch(env, messagesFor('transfer', await transfersOf(orderId)));
          }
          events.push(...(await emu.drain()).map((d) => d.event_id));
          await settle(emu, orderId);
          await check(orderId, refundActions, false);
        }
      }),
      { numRuns: 20, interruptAfterTimeLimit: 150_000 },
    );
  }, 200_000);
});
