// The order page's own check with Stripe: when the buyer comes back from paying, the session or intent
// named in the return URL is retrieved and applied (as its webhook would), so "paid" shows at once.
import { attemptsOfOrder } from './attempts';
import { getDb } from '../db/client';
import { getStripe } from '../stripe/client';
import { applySucceededIntent, fulfilSession } from './events';
import type { OrderRow } from './model';
import { markPaymentFailed, markPaymentProcessing } from './state';
import type { Stripe } from '../stripe/client';
import { errorFields } from '../lib/log';

/**
 * Retrieves the Checkout Session or PaymentIntent the return URL names, if it is one of this order's
 * attempts, and applies its state. Best effort: on any Stripe error the page shows what D1 knows.
 */
export async function confirmFromStripe(
  env: Env,
  order: OrderRow,
  ref: { sessionId?: string; paymentIntentId?: string },
): Promise<void> {
  if (order.status !== 'pending') return;
  const db = getDb(env);
  const ours = new Set(
    (await attemptsOfOrder(db, order.id)).map((a) => a.stripeId).filter((id): id is string => Boolean(id)),
  );
  if (order.checkoutSessionId) ours.add(order.checkoutSessionId);
  if (order.paymentIntentId) ours.add(order.paymentIntentId);
  const stripe = getStripe(env);
  try {
    if (ref.sessionId && ours.has(ref.sessionId)) {
      const session: Stripe.Checkout.Session = await stripe.checkout.sessions.retrieve(ref.sessionId);
      const named = session.metadata?.order_id ?? session.client_reference_id;
      if (named === order.id && session.status === 'complete') await fulfilSession(env, session);
    } else if (ref.paymentIntentId && ours.has(ref.paymentIntentId)) {
      const pi: Stripe.PaymentIntent = await stripe.paymentIntents.retrieve(ref.paymentIntentId);
      if (pi.metadata?.order_id !== order.id) return;
      if (pi.status === 'succeeded') await applySucceededIntent(env, pi);
      else if (pi.status === 'processing')
        await markPaymentProcessing(db, order.id, { paymentIntentId: pi.id });
      else if (pi.status === 'requires_payment_method' && pi.last_payment_error)
        await markPaymentFailed(env, order.id, pi.id);
    }
  } catch (err) {
    console.warn(JSON.stringify({ msg: 'order page confirm failed', order: order.id, ...errorFields(err) }));
  }
}
