// What a shopper (or an operator) may do to a subscription, at Stripe first, then mirrored in D1 from
// Stripe's answer (the webhook that follows applies the same state again, harmlessly).
//
// Proration rule: cancelling never refunds by itself. "Cancel now" ends the subscription at once with no
// proration and no refund of the current period (the period's order is paid and its goods ship);
// "cancel at period end" keeps it active until the paid period ends. Refunds go through the admin,
// like any order, and reverse vendor transfers in proportion.
import { getDb } from '../db/client';
import { ConflictError, UpstreamError } from '../lib/errors';
import { getStripe, type Stripe } from '../stripe/client';
import { classifyStripeError } from '../stripe/errors';
import { applySubscriptionState } from './billing';
import type { SubscriptionRow } from './records';

/** Stripe refused or failed: a 409 for a state that forbids it, else a 502. */
function failure(err: unknown): Error {
  const f = classifyStripeError(err);
  if (f.invalidRequest) return new ConflictError('This subscription can no longer be changed that way.');
  console.error(JSON.stringify({ msg: 'subscription change failed', status: f.status, code: f.code }));
  return new UpstreamError('The payment provider did not answer. Please try again in a moment.');
}

async function mirror(env: Env, row: SubscriptionRow, sub: Stripe.Subscription): Promise<void> {
  // Applied as of the newest event already seen: the event this change causes still applies after it.
  await applySubscriptionState(getDb(env), sub, row.lastEventAt);
}

/** Cancel at the end of the paid period (`true`) or resume a scheduled cancellation (`false`). */
export async function setCancelAtPeriodEnd(env: Env, row: SubscriptionRow, cancel: boolean): Promise<void> {
  if (row.status === 'canceled') throw new ConflictError('This subscription has ended.');
  let sub: Stripe.Subscription;
  try {
    sub = await getStripe(env).subscriptions.update(row.id, { cancel_at_period_end: cancel });
  } catch (err) {
    throw failure(err);
  }
  await mirror(env, row, sub);
}

/** Ends the subscription now, without proration or refund (see the rule above). */
export async function cancelNow(env: Env, row: SubscriptionRow): Promise<void> {
  if (row.status === 'canceled') return;
  let sub: Stripe.Subscription;
  try {
    sub = await getStripe(env).subscriptions.cancel(row.id, { prorate: false, invoice_now: false });
  } catch (err) {
    throw failure(err);
  }
  await mirror(env, row, sub);
}
