// Updating a subscription's card: a Checkout Session in `setup` mode for the subscription's customer;
// when it completes, the saved card becomes the subscription's default payment method, and an invoice
// left unpaid by a failed renewal is paid with it at once.
import { and, eq, inArray } from 'drizzle-orm';
import { getDb, schema } from '../db/client';
import { ConflictError, UpstreamError } from '../lib/errors';
import { getStripe, type Stripe } from '../stripe/client';
import { classifyStripeError } from '../stripe/errors';
import type { HandlerOutcome } from '../stripe/handlers';
import { getSubscription, type SubscriptionRow } from './records';

const idOf = (ref: string | { id: string } | null | undefined): string | null =>
  ref == null ? null : typeof ref === 'string' ? ref : ref.id;

/** Opens the hosted page where the shopper enters a new card; returns its URL. `back` is where it returns. */
export async function startCardUpdate(env: Env, row: SubscriptionRow, back: string): Promise<string> {
  if (row.status === 'canceled' || !row.customerId) throw new ConflictError('This subscription has ended.');
  let session: Stripe.Checkout.Session;
  try {
    session = await getStripe(env).checkout.sessions.create({
      mode: 'setup',
      currency: row.currency,
      customer: row.customerId,
      setup_intent_data: { metadata: { subscription_id: row.id } },
      metadata: { subscription_id: row.id, purpose: 'update_card' },
      success_url: back,
      cancel_url: back,
    });
  } catch (err) {
    const f = classifyStripeError(err);
    console.error(JSON.stringify({ msg: 'card update session failed', status: f.status, code: f.code }));
    throw new UpstreamError('The payment provider did not answer. Please try again in a moment.');
  }
  if (!session.url) throw new UpstreamError('The payment provider returned no page.');
  return session.url;
}

/**
 * A completed setup-mode session of ours: the card becomes the subscription's default, and the
 * invoices its failed renewals left open are paid with it (a decline leaves them for Stripe's retries).
 */
export async function applyCardUpdate(env: Env, session: Stripe.Checkout.Session): Promise<HandlerOutcome> {
  const subscriptionId = session.metadata?.subscription_id;
  const setupIntentId = idOf(session.setup_intent);
  if (session.metadata?.purpose !== 'update_card' || !subscriptionId || !setupIntentId) return 'ignored';
  const db = getDb(env);
  const row = await getSubscription(db, subscriptionId);
  if (!row || row.status === 'canceled') return 'ignored';
  const stripe = getStripe(env);
  const setupIntent = await stripe.setupIntents.retrieve(setupIntentId);
  const paymentMethod = idOf(setupIntent.payment_method);
  if (!paymentMethod) return 'ignored';
  await stripe.subscriptions.update(row.id, { default_payment_method: paymentMethod });
  const unpaid = await db
    .select({ id: schema.subscriptionInvoices.id })
    .from(schema.subscriptionInvoices)
    .where(
      and(
        eq(schema.subscriptionInvoices.subscriptionId, row.id),
        inArray(schema.subscriptionInvoices.status, ['failed', 'open']),
      ),
    );
  for (const invoice of unpaid) {
    try {
      await stripe.invoices.pay(invoice.id, { payment_method: paymentMethod });
    } catch (err) {
      // Declined, or paid meanwhile: the invoice's own events say what happened.
      if (!classifyStripeError(err).fromStripe || classifyStripeError(err).retryable) throw err;
    }
  }
  return 'processed';
}
