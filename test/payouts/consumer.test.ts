// The payouts queue consumer against the Stripe emulator: a paid order from three vendors becomes three
// transfers whose sum plus the platform fee is what was collected; redelivery, a Stripe 500, an account
// that can't receive transfers, and exhausted retries in the dead-letter queue.
import { describe, expect, it } from 'vitest';
import { heldEmulator } from '../helpers/emulator';
import {
  envWithQueue,
  messagesFor,
  paidOrder,
  runBatch,
  storeFor,
  stripeTransfers,
  transferRow,
  transfersOf,
  vendors,
} from '../helpers/payout-fixtures';

const emu = heldEmulator();

describe('payouts consumer', () => {
  it('pays three vendors of one order: amounts plus the fee add up to what was collected', async () => {
    const [a, b, c] = await vendors(emu, 3);
    const { orderId, total, charge, transfers } = await paidOrder(
      emu,
      [
        { storeId: a!.id, amount: 1999 },
        { storeId: b!.id, amount: 3333 },
        { storeId: c!.id, amount: 1005 },
      ],
      { shipping: 500 },
    );
    expect(transfers).toHaveLength(3);
    // What vendors get, the platform's fee on their lines, and the shipping it kept: the whole payment.
    const platformShare = total - transfers.reduce((s, t) => s + t.amount, 0);
    expect(platformShare).toBe(transfers.reduce((s, t) => s + t.fee, 0) + 500);
    expect(transfers.map((t) => t.amount + t.fee).sort((x, y) => x - y)).toEqual([1005, 1999, 3333]);

    const { env: e } = envWithQueue();
    const result = await runBatch(e, messagesFor('transfer', transfers));
    expect(result.explicitAcks).toHaveLength(3);
    expect(result.retryMessages).toEqual([]);

    const atStripe = await stripeTransfers(orderId);
    expect(atStripe).toHaveLength(3);
    for (const t of await transfersOf(orderId)) {
      expect(t.status).toBe('sent');
      const st = atStripe.find((s) => s.id === t.stripeTransferId)!;
      expect(st).toMatchObject({
        amount: t.amount,
        currency: 'usd',
        transfer_group: orderId,
        source_transaction: charge!.chargeId,
      });
      expect([a!.accountId, b!.accountId, c!.accountId]).toContain(st.destination);
    }
  });

  it('a redelivered message makes no second transfer', async () => {
    const [v] = await vendors(emu, 1);
    const { orderId, transfers } = await paidOrder(emu, [{ storeId: v!.id, amount: 2500 }]);
    const { env: e } = envWithQueue();
    const msg = { body: { kind: 'transfer' as const, id: transfers[0]!.id } };
    await runBatch(e, [msg]);
    const again = await runBatch(e, [{ ...msg, attempts: 2 }]);
    expect(again.explicitAcks).toHaveLength(1);
    // Two deliveries at once (a redelivery racing the cron's re-send) as well.
    await Promise.all([runBatch(e, [msg]), runBatch(e, [msg])]);
    expect(await stripeTransfers(orderId)).toHaveLength(1);
  });

  it('a Stripe 500 retries the message with a delay; the next delivery sends exactly one transfer', async () => {
    const [v] = await vendors(emu, 1);
    const { orderId, transfers } = await paidOrder(emu, [{ storeId: v!.id, amount: 4200 }]);
    const { env: e } = envWithQueue();
    const msg = { body: { kind: 'transfer' as const, id: transfers[0]!.id } };

    await emu.faults({ fail_next: 1, status: 500 });
    const first = await runBatch(e, [msg]);
    expect(first.explicitAcks).toEqual([]);
    expect(first.retryMessages).toHaveLength(1);
    expect(first.retryMessages[0]!.delaySeconds).toBeGreaterThan(0);
    const afterFailure = await transferRow(transfers[0]!.id);
    expect(afterFailure?.status).toBe('sending');
    expect(afterFailure?.lastError).toBeTruthy();

    const second = await runBatch(e, [{ ...msg, attempts: 2 }]);
    expect(second.explicitAcks).toHaveLength(1);
    expect((await transferRow(transfers[0]!.id))?.status).toBe('sent');
    expect(await stripeTransfers(orderId)).toHaveLength(1);
  });

  it('retries with a delay that grows with the attempts, for 429 too', async () => {
    const [v] = await vendors(emu, 1);
    const { transfers } = await paidOrder(emu, [{ storeId: v!.id, amount: 800 }]);
    const { env: e } = envWithQueue();
    const msg = { body: { kind: 'transfer' as const, id: transfers[0]!.id } };
    await emu.faults({ fail_next: 1, status: 429 });
    const early = await runBatch(e, [{ ...msg, attempts: 1 }]);
    await emu.faults({ fail_next: 1, status: 429 });
    const late = await runBatch(e, [{ ...msg, attempts: 4 }]);
    expect(late.retryMessages[0]!.delaySeconds!).toBeGreaterThan(early.retryMessages[0]!.delaySeconds!);
    await emu.faults({ fail_next: 0 });
  });

  it("marks the row failed with Stripe's message when the account can't receive transfers, and acks", async () => {
    const [v] = await vendors(emu, 1);
    const { orderId, transfers } = await paidOrder(emu, [{ storeId: v!.id, amount: 3000 }]);
    await emu.faults({ fail_transfers_to: v!.accountId });
    const { env: e } = envWithQueue();
    const result = await runBatch(e, [{ body: { kind: 'transfer', id: transfers[0]!.id } }]);
    await emu.faults({ fail_transfers_to: null });
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toEqual([]);
    const row = await transferRow(transfers[0]!.id);
    expect(row?.status).toBe('failed');
    expect(row?.lastError).toMatch(/\w{6,}/);
    expect(await stripeTransfers(orderId)).toHaveLength(0);
  });

  it('fails a transfer to an account whose onboarding is incomplete, and to a store with no account', async () => {
    const { getStripe } = await import('../../src/stripe/client');
    const { env: base } = envWithQueue();
    const fresh = await getStripe(base).accounts.create({
      type: 'express',
      capabilities: { transfers: { requested: true } },
    });
    const incomplete = await storeFor(fresh.id);
    const none = await storeFor(null);
    const { transfers } = await paidOrder(emu, [
      { storeId: incomplete.id, amount: 1200 },
      { storeId: none.id, amount: 1300 },
    ]);
    const result = await runBatch(base, messagesFor('transfer', transfers));
    expect(result.explicitAcks).toHaveLength(2);
    for (const t of transfers) {
      const row = await transferRow(t.id);
      expect(row?.status).toBe('failed');
    }
    expect((await transferRow(transfers.find((t) => t.storeId === none.id)!.id))?.lastError).toMatch(
      /no connected Stripe account/,
    );
  });

  it('records messages that exhausted their retries in the dead-letter queue, and an operator retry pays once', async () => {
    const [v] = await vendors(emu, 1);
    const { orderId, transfers } = await paidOrder(emu, [{ storeId: v!.id, amount: 5100 }]);
    const { env: e, sent } = envWithQueue();
    const msg = { body: { kind: 'transfer' as const, id: transfers[0]!.id } };
    await emu.faults({ fail_next: 1, status: 500 });
    await runBatch(e, [msg]);

    const dead = await runBatch(e, [{ ...msg, attempts: 1 }], 'payouts-dlq');
    expect(dead.explicitAcks).toHaveLength(1);
    const row = await transferRow(transfers[0]!.id);
    expect(row?.status).toBe('failed');
    expect(row?.lastError).toMatch(/Gave up after repeated failures/);

    // A row that was sent meanwhile is not touched by a late dead letter.
    const { retryTransfer } = await import('../../src/payouts/transfers');
    await retryTransfer(e, transfers[0]!.id);
    expect(sent).toContainEqual({ kind: 'transfer', id: transfers[0]!.id });
    await runBatch(e, [msg]);
    expect((await transferRow(transfers[0]!.id))?.status).toBe('sent');
    await runBatch(e, [msg], 'payouts-dlq');
    expect((await transferRow(transfers[0]!.id))?.status).toBe('sent');
    expect(await stripeTransfers(orderId)).toHaveLength(1);
  });

  it('acks a message for a row that does not exist and drops malformed bodies without throwing', async () => {
    const { env: e } = envWithQueue();
    const result = await runBatch(e, [
      { body: { kind: 'transfer', id: 'xfer_missing' } },
      { body: { kind: 'bogus', id: 1 } as never },
    ]);
    expect(result.explicitAcks).toHaveLength(2);
  });
});
