// Payout rows are their own outbox: written `pending` in the batch that marks an order paid, then
// handed to the PAYOUTS queue; the cron sweep re-sends rows the queue never got.
import { and, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client';
import { schema } from '../db/client';
import { newId } from '../lib/ids';
import { splitByVendor } from '../lib/money';
import type { PayoutMessage } from './consumer';

/**
 * The INSERTs that create one pending transfer per vendor of a paid order, to run in the same
 * D1 batch that marks the order paid. `ON CONFLICT DO NOTHING` on (order, store): a second
 * fulfilment of the same order writes nothing.
 */
export function transferInserts(
  db: Db,
  order: { id: string; currency: string },
  lines: readonly { storeId: string; amount: number }[],
  feeBps: number,
): BatchItem<'sqlite'>[] {
  return splitByVendor(lines, feeBps).map((share) =>
    db
      .insert(schema.transfers)
      .values({
        id: newId('xfer'),
        orderId: order.id,
        storeId: share.storeId,
        amount: share.amount,
        fee: share.fee,
        currency: order.currency,
        status: 'pending',
      })
      .onConflictDoNothing(),
  );
}

/**
 * Sends an order's pending transfers to the PAYOUTS queue and stamps them `enqueued_at`. Call after
 * the batch commits, before answering (a send lost inside waitUntil is never retried; the sweep is).
 */
export async function enqueueOrderTransfers(env: Env, db: Db, orderId: string): Promise<number> {
  const rows = await db
    .select({ id: schema.transfers.id })
    .from(schema.transfers)
    .where(and(eq(schema.transfers.orderId, orderId), eq(schema.transfers.status, 'pending')));
  return enqueue(
    env,
    db,
    rows.map((r) => r.id),
  );
}

/** Re-sends transfers still pending whose last send is older than `olderThanSeconds` (or never sent). */
export async function resendStaleTransfers(env: Env, db: Db, olderThanSeconds: number): Promise<number> {
  const cutoff = Math.floor(Date.now() / 1000) - olderThanSeconds;
  const rows = await db
    .select({ id: schema.transfers.id })
    .from(schema.transfers)
    .where(
      and(
        eq(schema.transfers.status, 'pending'),
        or(isNull(schema.transfers.enqueuedAt), lt(schema.transfers.enqueuedAt, cutoff)),
      ),
    )
    .limit(100);
  return enqueue(
    env,
    db,
    rows.map((r) => r.id),
  );
}

async function enqueue(env: Env, db: Db, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const messages: MessageSendRequest<PayoutMessage>[] = ids.map((id) => ({ body: { kind: 'transfer', id } }));
  await (env.PAYOUTS as Queue<PayoutMessage>).sendBatch(messages);
  await db
    .update(schema.transfers)
    .set({ enqueuedAt: Math.floor(Date.now() / 1000) })
    .where(inArray(schema.transfers.id, ids));
  return ids.length;
}
