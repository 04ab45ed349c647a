// Payment attempts (the `checkouts` table): one row per Checkout Session or PaymentIntent created for an
// order, with its own lifecycle creating → open → complete | expired | failed.
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client';
import { schema } from '../db/client';
import { nowSeconds as now } from '../lib/time';

export type CheckoutRow = typeof schema.checkouts.$inferSelect;
export type CheckoutStatus = CheckoutRow['status'];
export type CheckoutKind = CheckoutRow['kind'];

/** Statuses of an attempt that could still take money. */
const LIVE_STATUSES: CheckoutStatus[] = ['creating', 'open'];

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

/** True when the order still has an attempt that could take money (so it must not be canceled). */
export async function hasLiveAttempt(db: Db, orderId: string): Promise<boolean> {
  const row = await db
    .select({ id: schema.checkouts.id })
    .from(schema.checkouts)
    .where(and(eq(schema.checkouts.orderId, orderId), inArray(schema.checkouts.status, LIVE_STATUSES)))
    .get();
  return Boolean(row);
}

/** One attempt by its row id, or null. */
export async function getAttempt(db: Db, id: string): Promise<CheckoutRow | null> {
  const row = await db.select().from(schema.checkouts).where(eq(schema.checkouts.id, id)).get();
  return row ?? null;
}

/** Every attempt of an order, oldest first. */
export async function attemptsOfOrder(db: Db, orderId: string): Promise<CheckoutRow[]> {
  return db
    .select()
    .from(schema.checkouts)
    .where(eq(schema.checkouts.orderId, orderId))
    .orderBy(asc(schema.checkouts.createdAt));
}

/**
 * Records what Stripe created for an attempt and opens it, unless the attempt was superseded (failed or
 * expired by a newer checkout) in the meantime. Returns false in that case: the caller must end
 * what it created.
 */
export async function openAttempt(
  db: Db,
  id: string,
  created: { stripeId: string; url?: string | null; clientSecret?: string | null; expiresAt?: number | null },
  alsoWhenOpened?: (opened: SQL) => BatchItem<'sqlite'>,
): Promise<boolean> {
  const open = db
    .update(schema.checkouts)
    .set({
      stripeId: created.stripeId,
      url: created.url ?? null,
      clientSecret: created.clientSecret ?? null,
      expiresAt: created.expiresAt ?? null,
      status: 'open',
      updatedAt: now(),
    })
    .where(and(eq(schema.checkouts.id, id), inArray(schema.checkouts.status, LIVE_STATUSES)));
  if (!alsoWhenOpened) return changed(await open);
  // In the same batch, a statement that applies only if this attempt was opened by the update before it.
  const opened = sql`EXISTS (SELECT 1 FROM checkouts WHERE id = ${id} AND stripe_id = ${created.stripeId} AND status = 'open')`;
  const [res] = await db.batch([open, alsoWhenOpened(opened)]);
  return changed(res);
}

function changed(res: unknown): boolean {
  return ((res as { meta?: { changes?: number } }).meta?.changes ?? 0) > 0;
}

/** Ends a live attempt by its row id (no Stripe object, or Stripe refused to create one). */
export async function endAttemptById(
  db: Db,
  id: string,
  status: Extract<CheckoutStatus, 'complete' | 'expired' | 'failed'>,
): Promise<void> {
  await db
    .update(schema.checkouts)
    .set({ status, updatedAt: now() })
    .where(and(eq(schema.checkouts.id, id), inArray(schema.checkouts.status, LIVE_STATUSES)));
}

/** Every live attempt of a cart (any version), to supersede when the cart moves on. */
export async function liveAttemptsOfCart(db: Db, cartId: string): Promise<CheckoutRow[]> {
  return db
    .select()
    .from(schema.checkouts)
    .where(and(eq(schema.checkouts.cartId, cartId), inArray(schema.checkouts.status, LIVE_STATUSES)));
}
