// Payout rows are their own outbox: written `pending` in the batch that marks an order paid, then
// handed to the PAYOUTS queue; the cron sweep re-sends rows the queue never got.
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client';
import { schema } from '../db/client';
import { splitByVendor } from '../lib/money';
import { markEnqueued, newTransfers, type PayoutHold } from './ledger';
import type { PayoutKind, PayoutMessage } from './types';
import { nowSeconds } from '../lib/time';

/**
 * The INSERTs that create one pending transfer per vendor of a paid order (each vendor's paid lines, plus
 * the platform-funded discounts on them, minus the fee), to run in the same
 * D1 batch that marks the order paid. `ON CONFLICT DO NOTHING` on (order, store): a second
 * fulfilment of the same order writes nothing.
 */
export function transferInserts(
  db: Db,
  order: { id: string; currency: string },
  lines: readonly {
    storeId: string;
    amount: number;
    discountAmount?: number;
    discountFundedBy?: 'platform' | 'vendor' | null;
  }[],
  feeBps: number,
  hold: PayoutHold | null = null,
): BatchItem<'sqlite'>[] {
  // A platform-funded discount comes out of the fee, never the vendor's share (lib/money splitByVendor).
  const split = lines.map((l) => ({
    storeId: l.storeId,
    amount: l.amount,
    platformDiscount: l.discountFundedBy === 'platform' ? (l.discountAmount ?? 0) : 0,
  }));
  return newTransfers(db, order, splitByVendor(split, feeBps), hold);
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
  return enqueueTransfers(
    env,
    db,
    rows.map((r) => r.id),
  );
}

/** Re-sends transfers still pending whose last send is older than `olderThanSeconds` (or never sent). */
export async function resendStaleTransfers(env: Env, db: Db, olderThanSeconds: number): Promise<number> {
  const cutoff = nowSeconds() - olderThanSeconds;
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
  return enqueueTransfers(
    env,
    db,
    rows.map((r) => r.id),
  );
}

/**
 * Re-sends transfers left `sending` with no progress for `olderThanSeconds`: their message was lost
 * (a dead-letter consumer that itself gave up). Sending again is safe: the idempotency key and the
 * lookup by transfer group find a transfer Stripe already made.
 */
export async function resendStuckTransfers(env: Env, db: Db, olderThanSeconds: number): Promise<number> {
  const cutoff = nowSeconds() - olderThanSeconds;
  const rows = await db
    .select({ id: schema.transfers.id })
    .from(schema.transfers)
    .where(and(eq(schema.transfers.status, 'sending'), lt(schema.transfers.updatedAt, cutoff)))
    .limit(100);
  return enqueueTransfers(
    env,
    db,
    rows.map((r) => r.id),
  );
}

/** Re-sends reversals still pending whose last send is older than `olderThanSeconds` (or never sent). */
export async function resendStaleReversals(env: Env, db: Db, olderThanSeconds: number): Promise<number> {
  const cutoff = nowSeconds() - olderThanSeconds;
  const t = schema.transferReversals;
  const rows = await db
    .select({ id: t.id })
    .from(t)
    .where(and(eq(t.status, 'pending'), or(isNull(t.enqueuedAt), lt(t.enqueuedAt, cutoff))))
    .limit(100);
  return enqueueReversals(
    env,
    db,
    rows.map((r) => r.id),
  );
}

/** Sends transfer rows to the queue by id and stamps `enqueued_at`. */
export function enqueueTransfers(env: Env, db: Db, ids: string[]): Promise<number> {
  return enqueue(env, db, 'transfer', ids);
}

/** Sends reversal rows to the queue by id and stamps `enqueued_at`. */
export function enqueueReversals(env: Env, db: Db, ids: string[]): Promise<number> {
  return enqueue(env, db, 'reversal', ids);
}

/** Sends rows of one kind to the queue by id and stamps `enqueued_at`. */
export async function enqueue(env: Env, db: Db, kind: PayoutKind, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  await send(
    env,
    ids.map((id) => ({ kind, id })),
  );
  await markEnqueued(db, kind, ids);
  return ids.length;
}

// sendBatch takes at most 100 messages per call.
async function send(env: Env, bodies: PayoutMessage[]): Promise<void> {
  const queue = env.PAYOUTS as Queue<PayoutMessage>;
  for (let i = 0; i < bodies.length; i += 100) {
    await queue.sendBatch(bodies.slice(i, i + 100).map((body) => ({ body })));
  }
}
