// Stripe events that keep subscriptions current: subscription-mode Checkout, customer.subscription.*,
// invoice.paid / payment_succeeded / payment_failed. Unknown subscriptions are ignored (recorded).
import { getDb } from '../db/client';
import { normalizeEmail } from '../lib/email';
import { endAttempt } from '../orders/attempts';
import { linkOrderCustomer } from '../orders/customers';
import { getOrder } from '../orders/model';
import { recordPaymentDetails } from '../orders/state';
import { getStripe, type Stripe } from '../stripe/client';
import type { HandlerMap, WebhookHandler } from '../stripe/handlers';
import {
  applySubscriptionState,
  ensureSubscription,
  provisionIfActive,
  recordFailedInvoice,
  settleInvoice,
} from './billing';
import { classifyStripeError } from '../stripe/errors';
import { applyCardUpdate } from './card';

const idOf = (ref: string | { id: string } | null | undefined): string | null =>
  ref == null ? null : typeof ref === 'string' ? ref : ref.id;

/** Platform events only: a connected account's own subscriptions are not ours. */
function platformOnly(handler: WebhookHandler): WebhookHandler {
  return async (event, env) => (event.account ? 'ignored' : handler(event, env));
}

/** A completed subscription-mode Checkout: the order's details, the subscription, its first invoice. */
const sessionCompleted: WebhookHandler = async (event, env) => {
  const session = event.data.object as Stripe.Checkout.Session;
  if (session.mode === 'setup') return applyCardUpdate(env, session);
  if (session.mode !== 'subscription' || session.payment_status === 'unpaid') return 'ignored';
  const db = getDb(env);
  const orderId = session.metadata?.order_id ?? session.client_reference_id;
  const order = orderId ? await getOrder(db, orderId) : null;
  const subscriptionId = idOf(session.subscription);
  if (!order || !subscriptionId) return 'ignored';
  await endAttempt(db, session.id, 'complete');
  const shipping = session.collected_information?.shipping_details ?? null;
  const email = session.customer_details?.email ?? session.customer_email ?? null;
  await recordPaymentDetails(db, order.id, {
    checkoutSessionId: session.id,
    email: email ? normalizeEmail(email) : null,
    customerId: idOf(session.customer),
    shipping: shipping ? { name: shipping.name, address: shipping.address } : null,
  });
  const sub = await ensureSubscription(env, db, subscriptionId);
  if (!sub) return 'ignored';
  const invoiceId = idOf(session.invoice);
  if (invoiceId) await settleInvoice(env, await getStripe(env).invoices.retrieve(invoiceId));
  await linkOrderCustomer(env, {
    orderId: order.id,
    customerId: idOf(session.customer),
    collected: {
      email,
      name: session.customer_details?.name ?? null,
      phone: session.customer_details?.phone ?? null,
      address: session.customer_details?.address ?? null,
      shipping: shipping ? { name: shipping.name, address: shipping.address } : null,
    },
    at: event.created,
  });
  return 'processed';
};

/**
 * created / updated: the subscription as Stripe holds it now (retrieved: events arrive out of order
 * and a stale payload must not win), applied if the event is not older than the last one applied.
 */
const subscriptionChanged: WebhookHandler = async (event, env) => {
  const payload = event.data.object as Stripe.Subscription;
  const db = getDb(env);
  const row = await ensureSubscription(env, db, payload.id, payload);
  if (!row) return 'ignored';
  let current: Stripe.Subscription;
  try {
    current = await getStripe(env).subscriptions.retrieve(payload.id);
  } catch (err) {
    if (classifyStripeError(err).status !== 404) throw err;
    current = payload;
  }
  await applySubscriptionState(db, current, event.created);
  await provisionIfActive(env, db, row.id);
  return 'processed';
};

/** deleted: the subscription ended (final; nothing moves it back). */
const subscriptionDeleted: WebhookHandler = async (event, env) => {
  const sub = event.data.object as Stripe.Subscription;
  const db = getDb(env);
  const row = await ensureSubscription(env, db, sub.id, sub);
  if (!row) return 'ignored';
  await applySubscriptionState(db, sub, event.created);
  return 'processed';
};

const invoicePaid: WebhookHandler = (event, env) => settleInvoice(env, event.data.object as Stripe.Invoice);

const invoiceFailed: WebhookHandler = (event, env) =>
  recordFailedInvoice(env, event.data.object as Stripe.Invoice);

/** Handlers for the events that move subscriptions, keyed by event type. */
export const subscriptionEventHandlers: HandlerMap = Object.fromEntries(
  Object.entries({
    'checkout.session.completed': sessionCompleted,
    'checkout.session.async_payment_succeeded': sessionCompleted,
    'customer.subscription.created': subscriptionChanged,
    'customer.subscription.updated': subscriptionChanged,
    'customer.subscription.deleted': subscriptionDeleted,
    'invoice.paid': invoicePaid,
    'invoice.payment_succeeded': invoicePaid,
    'invoice.payment_failed': invoiceFailed,
  } satisfies HandlerMap).map(([type, handler]) => [type, platformOnly(handler)]),
);
