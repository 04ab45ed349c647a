// "Complete payment" for an order still pending because the shopper left Stripe's page (or a card was
// declined): the open attempt is expired at Stripe and a fresh Checkout Session opened for the same
// order from the same cart, re-priced under today's drift rules. And the cron's rule for pending orders
// nobody pays: after PENDING_ORDER_TTL_MINUTES they are ended at Stripe and canceled, their stock back once.
import { and, eq, inArray, lt } from 'drizzle-orm';
import { getDb, schema } from '../db/client';
import { ConflictError, NotFoundError } from '../lib/errors';
import { nowSeconds } from '../lib/time';
import { attemptsOfOrder, hasLiveAttempt } from '../orders/attempts';
import { getOrderWithLines } from '../orders/model';
import { cancelOrder } from '../orders/state';
import { beginCheckoutSession, endAtStripe, type SessionStarted } from './begin';
import { errorFields } from '../lib/log';

/**
 * Opens a fresh Checkout Session for a pending order and expires the old one. 409 when the order is
 * no longer payable (paid, canceled, under review, a payment on its way) or its cart has changed since.
 */
export async function resumePayment(env: Env, orderId: string): Promise<SessionStarted> {
  const db = getDb(env);
  const found = await getOrderWithLines(db, orderId);
  if (!found) throw new NotFoundError('There is no such order.');
  const { order } = found;
  if (order.status !== 'pending')
    throw new ConflictError(
      order.status === 'canceled'
        ? 'This order was canceled: add the items to your cart again to buy them.'
        : 'This order is already paid.',
    );
  if (order.paymentStatus === 'processing' || order.paymentStatus === 'review')
    throw new ConflictError('A payment for this order is already on its way.');
  const cart = await env.CART.getByName(order.cartId).getState();
  if (cart.version !== order.cartVersion)
    throw new ConflictError('Your cart has changed since this order was placed: check out from your cart.', {
      cartUrl: '/cart',
    });
  for (const attempt of await attemptsOfOrder(db, orderId)) {
    // A payment completed meanwhile: its webhook fulfils the order, nothing to resume.
    if ((await endAtStripe(env, db, attempt)) === 'complete')
      throw new ConflictError('This order is already paid.');
  }
  return beginCheckoutSession(env, order.cartId, order.email ? { email: order.email } : {});
}

/** PENDING_ORDER_TTL_MINUTES (default 24 h): how long an order may stay unpaid. */
function pendingOrderTtlSeconds(env: Partial<Env>): number {
  const n = Number(env.PENDING_ORDER_TTL_MINUTES ?? '1440');
  return (Number.isSafeInteger(n) && n > 0 ? n : 1440) * 60;
}

/**
 * The cron: pending orders older than the TTL are ended at Stripe (sessions expired, intents canceled)
 * and canceled; `cancelOrder` releases their stock in the same batch, only if this call canceled them.
 */
export async function cancelUnpaidOrders(env: Env, now = nowSeconds()): Promise<number> {
  const db = getDb(env);
  const stale = await db
    .select({ id: schema.orders.id })
    .from(schema.orders)
    .where(
      and(
        eq(schema.orders.status, 'pending'),
        inArray(schema.orders.paymentStatus, ['awaiting', 'failed']),
        lt(schema.orders.createdAt, now - pendingOrderTtlSeconds(env)),
      ),
    )
    .limit(50);
  let canceled = 0;
  for (const { id } of stale) {
    try {
      let paid = false;
      for (const attempt of await attemptsOfOrder(db, id))
        if ((await endAtStripe(env, db, attempt)) === 'complete') paid = true;
      if (!paid && !(await hasLiveAttempt(db, id)) && (await cancelOrder(db, id))) canceled++;
    } catch (err) {
      console.warn(JSON.stringify({ msg: 'unpaid order sweep failed', order: id, ...errorFields(err) }));
    }
  }
  return canceled;
}
