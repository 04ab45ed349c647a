// Payment attempts (the `checkouts` table): one row per Checkout Session or PaymentIntent created for an
// order, with its own lifecycle creating → open → complete | expired | failed.
import { and, eq, inArray, ne, or, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { schema } from '../db/client';

export type CheckoutRow = typeof schema.checkouts.$inferSelect;
export type CheckoutStatus = CheckoutRow['status'];
export type CheckoutKind = CheckoutRow['kind'];

/** Statuses of an attempt that could still take money. */
export const LIVE_STATUSES: CheckoutStatus[] = ['creating', 'open'];

const now = () => Math.floor(Date.now() / 1000);

/**
 * Moves the attempt with this Stripe id to `status` if it is still live (creating/open); terminal
 * attempts keep their status. Returns the row (updated or not), or null when it is not ours.
 */
export async function endAttempt(
  db: Db,
  stripeId: string,
  status: Extract<CheckoutStatus, 'complete' | 'expired' | 'failed'>,
): Promise<CheckoutRow | null> {
  await db
    .update(schema.checkouts)
    .set({ status, updatedAt: now() })
    .where(and(eq(schema.checkouts.stripeId, stripeId), inArray(schema.checkouts.status, LIVE_STATUSES)));
  const row = await db.select().from(schema.checkouts).where(eq(schema.checkouts.stripeId, stripeId)).get();
  return row ?? null;
}

/** True when the order has another attempt that could still be paid (so it must not be canceled). */
export async function hasOtherLiveAttempt(db: Db, orderId: string, exceptStripeId: string): Promise<boolean> {
  const row = await db
    .select({ id: schema.checkouts.id })
    .from(schema.checkouts)
    .where(
      and(
        eq(schema.checkouts.orderId, orderId),
        inArray(schema.checkouts.status, LIVE_STATUSES),
        or(isNull(schema.checkouts.stripeId), ne(schema.checkouts.stripeId, exceptStripeId)),
      ),
    )
    .get();
  return Boolean(row);
}

/** Every live attempt of a cart (any version), to supersede when the cart moves on. */
export async function liveAttemptsOfCart(db: Db, cartId: string): Promise<CheckoutRow[]> {
  return db
    .select()
    .from(schema.checkouts)
    .where(and(eq(schema.checkouts.cartId, cartId), inArray(schema.checkouts.status, LIVE_STATUSES)));
}
