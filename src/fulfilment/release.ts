// When a vendor's transfer for an order is sent (PAYOUT_RELEASE): on payment, when the vendor's part
// ships, or when it is delivered plus PAYOUT_HOLD_DAYS. Until then the row waits `held` (the ledger
// writes it); this module decides which held rows are due and hands them to the payouts queue.
import { and, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { schema } from '../db/client';
import { nowSeconds } from '../lib/time';
import { releaseHeldTransfers, type PayoutHold } from '../payouts/ledger';
import { enqueueTransfers } from '../payouts/outbox';

/**
 * The hold a transfer written now gets: none for `on_payment`; until the part ships; or until it is
 * delivered plus PAYOUT_HOLD_DAYS. Unset → on_shipment (see README, "Payout release").
 */
export function payoutHold(env: Partial<Env>): PayoutHold | null {
  const rule = env.PAYOUT_RELEASE ?? 'on_shipment';
  const days = Number(env.PAYOUT_HOLD_DAYS ?? '0');
  const holdDays = Number.isSafeInteger(days) && days >= 0 ? days : 0;
  if (rule === 'on_payment') return null;
  if (rule === 'on_delivery') return { until: 'delivery', days: holdDays };
  if (rule === 'on_shipment') return { until: 'shipment', days: 0 };
  throw new Error(`PAYOUT_RELEASE must be on_payment, on_shipment or on_delivery, got "${rule}"`);
}

/**
 * Releases held transfers whose condition is met (of one order, or all for the cron) and sends them
 * to the payouts queue. A row moves held → pending once (conditional UPDATE); the queue's idempotency
 * key per row means a redelivered message never pays twice. Returns how many were released.
 */
export async function releaseDueTransfers(env: Env, db: Db, orderId?: string): Promise<number> {
  const t = schema.transfers;
  const p = schema.orderParts;
  const due = await db
    .select({ id: t.id })
    .from(t)
    .innerJoin(p, and(eq(p.orderId, t.orderId), eq(p.storeId, t.storeId)))
    .where(
      and(
        eq(t.status, 'held'),
        orderId ? eq(t.orderId, orderId) : undefined,
        or(
          and(eq(t.heldFor, 'shipment'), inArray(p.status, ['shipped', 'delivered'])),
          and(
            eq(t.heldFor, 'delivery'),
            eq(p.status, 'delivered'),
            lte(sql`${p.deliveredAt} + ${t.holdDays} * 86400`, nowSeconds()),
          ),
        ),
      ),
    )
    .limit(200);
  const released = await releaseHeldTransfers(
    db,
    due.map((r) => r.id),
  );
  await enqueueTransfers(env, db, released);
  return released.length;
}
