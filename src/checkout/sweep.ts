// The cron's checkout sweep: attempts nobody finished are closed at Stripe and their orders canceled,
// so reserved stock comes back even when a webhook was lost.
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import { getDb, schema } from '../db/client';
import { cancelOrder } from '../orders/state';
import { hasLiveAttempt } from '../orders/attempts';
import { endAtStripe } from './begin';
import * as time from '../lib/time';
import { errorFields } from '../lib/log';

/** A PaymentIntent left unpaid this long is canceled (Checkout Sessions expire on their own at 24 h). */
const PAYMENT_INTENT_TTL_SECONDS = 24 * 60 * 60;
/** Grace after a session's own expiry before we close it ourselves (its webhook may be on its way). */
const SESSION_GRACE_SECONDS = 15 * 60;
/** An attempt still `creating` after this never reached Stripe. */
const CREATING_TTL_SECONDS = 15 * 60;

/**
 * Closes stale attempts and cancels orders left with nothing payable. Returns how many orders it
 * canceled. Bounded per run; the next run continues.
 */
export async function sweepStaleCheckouts(env: Env, nowSeconds = time.nowSeconds()): Promise<number> {
  const db = getDb(env);
  const c = schema.checkouts;
  const stale = await db
    .select()
    .from(c)
    .where(
      sql`(${c.status} = 'creating' AND ${c.createdAt} < ${nowSeconds - CREATING_TTL_SECONDS})
        OR (${c.status} = 'open' AND ${c.kind} = 'checkout_session' AND ${c.expiresAt} < ${nowSeconds - SESSION_GRACE_SECONDS})
        OR (${c.status} = 'open' AND ${c.kind} = 'payment_intent' AND ${c.createdAt} < ${nowSeconds - PAYMENT_INTENT_TTL_SECONDS})`,
    )
    .limit(50);
  let canceled = 0;
  for (const attempt of stale) {
    try {
      const ended = await endAtStripe(env, db, attempt);
      if (ended !== 'complete' && !(await hasLiveAttempt(db, attempt.orderId))) {
        if (await cancelOrder(db, attempt.orderId)) canceled++;
      }
    } catch (err) {
      console.warn(
        JSON.stringify({ msg: 'checkout sweep failed', checkout: attempt.id, ...errorFields(err) }),
      );
    }
  }
  // Pending orders whose every attempt ended without payment (e.g. Stripe refused to create one).
  const orphans = await db
    .select({ id: schema.orders.id })
    .from(schema.orders)
    .where(
      and(
        eq(schema.orders.status, 'pending'),
        inArray(schema.orders.paymentStatus, ['awaiting', 'failed']),
        lt(schema.orders.createdAt, nowSeconds - CREATING_TTL_SECONDS),
        sql`NOT EXISTS (SELECT 1 FROM checkouts k WHERE k.order_id = ${schema.orders.id}
          AND k.status IN ('creating', 'open', 'complete'))`,
      ),
    )
    .limit(50);
  for (const order of orphans) if (await cancelOrder(db, order.id)) canceled++;
  return canceled;
}
