// The cron sweep and Stripe's transfer events: a pending row whose send was lost is re-sent; a transfer
// Stripe made while our answer was lost is recorded from transfer.created; reversals reconcile.
import { createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { handleScheduled } from '../../src/ops/scheduled';
import { enqueueOrderTransfers } from '../../src/payouts/outbox';
import { getDb } from '../../src/db/client';
import { getStripe } from '../../src/stripe/client';
import { heldEmulator } from '../helpers/emulator';
import {
  envWithQueue,
  paidOrder,
  reversalsOf,
  runBatch,
  stripeTransfers,
  transferRow,
  vendors,
} from '../helpers/payout-fixtures';

const emu = heldEmulator();

describe('cron sweep', () => {
  it('re-sends a pending transfer whose send was lost, and the consumer pays it', async () => {
    const [v] = await vendors(emu, 1);
    const order = await paidOrder(emu, [{ storeId: v!.id, amount: 1500 }]);
    const id = order.transfers[0]!.id;
    // Enqueued ten minutes ago, never delivered (the send failed after the commit).
    await env.DB.prepare('UPDATE transfers SET enqueued_at = unixepoch() - 600 WHERE id = ?').bind(id).run();

    const { env: e, sent } = envWithQueue();
    await handleScheduled(createScheduledController(), e);
    expect(sent).toContainEqual({ kind: 'transfer', id });
    expect((await transferRow(id))!.enqueuedAt).toBeGreaterThan(Math.floor(Date.now() / 1000) - 60);

    await runBatch(e, [{ body: { kind: 'transfer', id } }]);
    expect(await stripeTransfers(order.orderId)).toHaveLength(1);
  });

  it('leaves a freshly enqueued row alone and re-sends rows never enqueued at all', async () => {
    const [v] = await vendors(emu, 1);
    const fresh = await paidOrder(emu, [{ storeId: v!.id, amount: 700 }]);
    const never = await paidOrder(emu, [{ storeId: v!.id, amount: 900 }]);
    const { env: e, sent } = envWithQueue();
    await enqueueOrderTransfers(e, getDb(e), fresh.orderId);
    sent.length = 0;
    await handleScheduled(createScheduledController(), e);
    expect(sent).not.toContainEqual({ kind: 'transfer', id: fresh.transfers[0]!.id });
    expect(sent).toContainEqual({ kind: 'transfer', id: never.transfers[0]!.id });
  });
});

/**
 * The transfer the consumer would ask Stripe for (same key), made behind its back: Stripe holds it but
 * the consumer never heard the answer.
 */
function transferAtStripe(
  order: Awaited<ReturnType<typeof paidOrder>>,
  row: { id: string; amount: number },
  destination: string,
  metadata: Record<string, string>,
) {
  return getStripe(env).transfers.create(
    {
      amount: row.amount,
      currency: 'usd',
      destination,
      transfer_group: order.orderId,
      source_transaction: order.charge!.chargeId,
      metadata,
    },
    { idempotencyKey: `transfer_${row.id}` },
  );
}

describe('transfer events reconcile the rows', () => {
  it('transfer.created records a transfer whose answer never reached the consumer', async () => {
    const [v] = await vendors(emu, 1);
    const order = await paidOrder(emu, [{ storeId: v!.id, amount: 2000 }]);
    const row = order.transfers[0]!;
    // What the consumer asked for, answered by Stripe, but the answer lost on the way back.
    await transferAtStripe(order, row, v!.accountId!, {
      transfer_id: row.id,
      order_id: order.orderId,
      store_id: v!.id,
    });
    await env.DB.prepare(`UPDATE transfers SET status = 'sending', attempts = 1 WHERE id = ?`)
      .bind(row.id)
      .run();
    const deliveries = await emu.drain();
    expect(deliveries.find((d) => d.type === 'transfer.created')?.status).toBe(200);
    expect(await transferRow(row.id)).toMatchObject({ status: 'sent' });

    // The redelivered message finds it done: still one transfer.
    const { env: e } = envWithQueue();
    await runBatch(e, [{ body: { kind: 'transfer', id: row.id }, attempts: 2 }]);
    expect(await stripeTransfers(order.orderId)).toHaveLength(1);
  });

  it('adopts a transfer Stripe made before an operator retry, and takes back what a refund reduced meanwhile', async () => {
    const [v] = await vendors(emu, 1);
    const order = await paidOrder(emu, [{ storeId: v!.id, amount: 2000 }], { shipping: 0 });
    const row = order.transfers[0]!; // 1800
    await transferAtStripe(order, row, v!.accountId!, { transfer_id: row.id });
    // The dead-letter consumer gave up on it, then a refund of half shrank the (unsent-looking) row.
    await env.DB.prepare(`UPDATE transfers SET status = 'failed', attempts = 3 WHERE id = ?`)
      .bind(row.id)
      .run();
    const { env: e, sent } = envWithQueue();
    const { onOrderRefunded } = await import('../../src/payouts/refunds');
    await onOrderRefunded(e, { orderId: order.orderId, refundId: 're_test_adopt', amount: 1000 });
    expect((await transferRow(row.id))?.amount).toBe(900);

    const { retryTransfer } = await import('../../src/payouts/transfers');
    await retryTransfer(e, row.id);
    await runBatch(e, [{ body: { kind: 'transfer', id: row.id } }]);
    expect(await stripeTransfers(order.orderId)).toHaveLength(1);
    expect(await transferRow(row.id)).toMatchObject({ status: 'sent', amount: 1800 });
    const excess = (await reversalsOf(row.id)).find((r) => r.refundId.startsWith('excess:'))!;
    expect(excess).toMatchObject({ amount: 900, status: 'pending' });
    expect(sent).toContainEqual({ kind: 'reversal', id: excess.id });
    await runBatch(e, [{ body: { kind: 'reversal', id: excess.id } }]);
    const [st] = await stripeTransfers(order.orderId);
    expect(st?.amount_reversed).toBe(900);
  });
});
