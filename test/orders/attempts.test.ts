// Opening a payment attempt and telling the order its Stripe id happen in one D1 batch, and the order
// learns the id only if the attempt opened (a newer checkout of the cart may have ended it meanwhile).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../src/db/client';
import { openAttempt } from '../../src/orders/attempts';
import { paymentDetailsUpdate } from '../../src/orders/state';
import { startCounting, takeCounts } from '../helpers/statement-counter';
import { seedOrder } from '../helpers/checkout-fixtures';

/** A fresh order with one attempt in `status` (creating: Stripe not yet answered); the attempt's row id. */
async function orderWithAttempt(status: 'creating' | 'expired') {
  const { orderId, cartId, total } = await seedOrder();
  const attemptId = `chk_attempt_${orderId}`;
  await env.DB.prepare(
    `INSERT INTO checkouts (id, order_id, cart_id, cart_version, kind, status, amount, currency, idempotency_key)
     VALUES (?, ?, ?, 1, 'checkout_session', ?, ?, 'usd', ?)`,
  )
    .bind(attemptId, orderId, cartId, status, total, `key:${orderId}`)
    .run();
  return { orderId, attemptId };
}

async function sessionIdOf(orderId: string) {
  const row = await env.DB.prepare('SELECT checkout_session_id AS s FROM orders WHERE id = ?')
    .bind(orderId)
    .first<{ s: string | null }>();
  return row?.s ?? null;
}

describe('openAttempt with the order’s payment details', () => {
  it('opens the attempt and records the session on the order, in one round trip', async () => {
    const { orderId, attemptId } = await orderWithAttempt('creating');
    const db = getDb(env);
    const sessionId = `cs_test_${attemptId}`;
    const stop = startCounting(env);
    try {
      takeCounts();
      const opened = await openAttempt(
        db,
        attemptId,
        { stripeId: sessionId, url: 'https://pay.example/x' },
        (onlyIf) => paymentDetailsUpdate(db, orderId, { checkoutSessionId: sessionId }, onlyIf),
      );
      expect(opened).toBe(true);
      expect(takeCounts()).toMatchObject({ d1RoundTrips: 1, d1Writes: 2 });
    } finally {
      stop();
    }
    expect(await sessionIdOf(orderId)).toBe(sessionId);
  });

  it('an attempt that ended meanwhile stays ended, and the order does not learn the session', async () => {
    const { orderId, attemptId } = await orderWithAttempt('expired');
    const db = getDb(env);
    const sessionId = `cs_test_${attemptId}`;
    const opened = await openAttempt(db, attemptId, { stripeId: sessionId }, (onlyIf) =>
      paymentDetailsUpdate(db, orderId, { checkoutSessionId: sessionId }, onlyIf),
    );
    expect(opened).toBe(false);
    expect(await sessionIdOf(orderId)).toBeNull();
    const attempt = await env.DB.prepare('SELECT status, stripe_id FROM checkouts WHERE id = ?')
      .bind(attemptId)
      .first();
    expect(attempt).toEqual({ status: 'expired', stripe_id: null });
  });
});
