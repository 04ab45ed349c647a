// Stripe events that move orders: Checkout Sessions, PaymentIntents (Payment Element path), charges,
// and refunds (disputes: src/disputes). Each handler is idempotent and safe out of order (see state.ts).
import { endAttempt, hasLiveAttempt } from './attempts';
import type { Db } from '../db/client';
import { getDb } from '../db/client';
import { normalizeEmail } from '../lib/email';
import { getStripe } from '../stripe/client';
import type { HandlerMap, HandlerOutcome, WebhookHandler } from '../stripe/handlers';
import { linkOrderCustomer, type CollectedCustomer } from './customers';
import { findOrderByPayment, getOrder, type OrderRow } from './model';
import {
  applyRefunds,
  cancelOrder,
  confirmPayment,
  markPaymentFailed,
  markPaymentProcessing,
  recordPaymentDetails,
} from './state';
import { reshapeRefund, type RefundInfo } from '../stripe/reshape';
import type { Stripe } from '../stripe/client';
import { errorFields } from '../lib/log';

/** The flow that created a PaymentIntent, written in its metadata at creation. */
type PaymentFlow = 'checkout_session' | 'payment_intent';

const idOf = (ref: string | { id: string } | null | undefined): string | null =>
  ref == null ? null : typeof ref === 'string' ? ref : ref.id;

/** The order a Checkout Session names (metadata first, then client_reference_id). */
async function orderOfSession(db: Db, session: Stripe.Checkout.Session): Promise<OrderRow | null> {
  const id = session.metadata?.order_id ?? session.client_reference_id;
  if (id) {
    const order = await getOrder(db, id);
    if (order) return order;
  }
  return findOrderByPayment(db, { sessionId: session.id });
}

const normalized = (email: string | null | undefined) => (email ? normalizeEmail(email) : null);

/** What a completed Checkout Session tells us about the buyer and the payment. */
function sessionDetails(session: Stripe.Checkout.Session) {
  // Since API version 2025-03-31.basil shipping lives in collected_information (the SDK pins 2026-10-28).
  const shipping = session.collected_information?.shipping_details ?? null;
  return {
    checkoutSessionId: session.id,
    paymentIntentId: idOf(session.payment_intent),
    email: normalized(session.customer_details?.email ?? session.customer_email),
    customerId: idOf(session.customer),
    shipping: shipping ? { name: shipping.name, address: shipping.address } : null,
  };
}

/**
 * The charge behind a PaymentIntent (its id is the transfers' `source_transaction`; its receipt is
 * shown to the buyer). Best effort: charge.succeeded brings the same, so a failure here only waits.
 */
async function chargeOfIntent(
  env: Env,
  intent: Stripe.PaymentIntent | string | null,
): Promise<{ chargeId: string | null; receiptUrl: string | null }> {
  let pi = intent;
  if (typeof pi === 'string') {
    try {
      pi = await getStripe(env).paymentIntents.retrieve(pi, { expand: ['latest_charge'] });
    } catch (err) {
      console.warn(
        JSON.stringify({ msg: 'payment intent retrieve failed', id: intent, ...errorFields(err) }),
      );
      return { chargeId: null, receiptUrl: null };
    }
  }
  const charge = pi?.latest_charge ?? null;
  if (charge && typeof charge === 'object') return { chargeId: charge.id, receiptUrl: charge.receipt_url };
  return { chargeId: typeof charge === 'string' ? charge : null, receiptUrl: null };
}

/**
 * Applies what a Checkout Session says about its order: paid → fulfilled, unpaid (async method) →
 * processing. Used by the webhook and by the order page's retrieve.
 */
export async function fulfilSession(env: Env, session: Stripe.Checkout.Session): Promise<HandlerOutcome> {
  const db = getDb(env);
  // A subscription's first invoice is its payment: src/subscriptions settles it.
  if (session.mode === 'subscription') return 'ignored';
  const order = await orderOfSession(db, session);
  if (!order) return 'ignored';
  await endAttempt(db, session.id, 'complete');
  const details = sessionDetails(session);
  if (session.payment_status === 'unpaid') {
    // An asynchronous method (bank debit): the money comes later, with async_payment_succeeded.
    await markPaymentProcessing(db, order.id, details);
    return 'processed';
  }
  const charge = await chargeOfIntent(env, session.payment_intent);
  await confirmPayment(env, {
    orderId: order.id,
    amountReceived: session.amount_total ?? 0,
    currency: session.currency ?? order.currency,
    taxAmount: session.total_details?.amount_tax ?? 0,
    ...details,
    ...charge,
  });
  return 'processed';
}

/** Platform events only: a connected account's own charges and sessions are not our orders. */
function platformOnly(handler: WebhookHandler): WebhookHandler {
  return async (event, env) => (event.account ? 'ignored' : handler(event, env));
}

/** The buyer as a completed Checkout Session reports them (customer_details, collected_information). */
function collectedBySession(session: Stripe.Checkout.Session): CollectedCustomer {
  const details = session.customer_details;
  const shipping = session.collected_information?.shipping_details ?? null;
  return {
    email: details?.email ?? session.customer_email ?? null,
    name: details?.name ?? null,
    phone: details?.phone ?? null,
    address: details?.address ?? null,
    shipping: shipping ? { name: shipping.name, address: shipping.address } : null,
  };
}

const sessionCompleted: WebhookHandler = async (event, env) => {
  const session = event.data.object as Stripe.Checkout.Session;
  const outcome = await fulfilSession(env, session);
  if (outcome === 'processed' && session.mode === 'payment') {
    // After the payment is recorded: a Stripe hiccup here retries the event, never delays the order.
    const order = await orderOfSession(getDb(env), session);
    if (order) {
      await linkOrderCustomer(env, {
        orderId: order.id,
        customerId: idOf(session.customer),
        collected: collectedBySession(session),
        at: event.created,
      });
    }
  }
  return outcome;
};

const sessionAsyncFailed: WebhookHandler = async (event, env) => {
  const session = event.data.object as Stripe.Checkout.Session;
  const db = getDb(env);
  const order = await orderOfSession(db, session);
  if (!order) return 'ignored';
  await endAttempt(db, session.id, 'failed');
  await recordPaymentDetails(db, order.id, sessionDetails(session));
  // The shopper left believing it paid (a bank debit was processing): tell them it failed.
  await markPaymentFailed(env, order.id, session.id);
  // The session is over and its payment failed for good: the order can't be paid any more.
  if (!(await hasLiveAttempt(db, order.id))) await cancelOrder(db, order.id, 'failed');
  return 'processed';
};

const sessionExpired: WebhookHandler = async (event, env) => {
  const session = event.data.object as Stripe.Checkout.Session;
  const db = getDb(env);
  const order = await orderOfSession(db, session);
  if (!order) return 'ignored';
  await endAttempt(db, session.id, 'expired');
  // A newer session of the same order (the shopper changed e-mail or locale) keeps the order alive.
  if (!(await hasLiveAttempt(db, order.id))) await cancelOrder(db, order.id);
  return 'processed';
};

/** The order a PaymentIntent names, and which flow created it. */
async function orderOfIntent(
  db: Db,
  pi: Stripe.PaymentIntent,
): Promise<{ order: OrderRow; flow: PaymentFlow } | null> {
  const id = pi.metadata?.order_id;
  const order =
    (id ? await getOrder(db, id) : null) ?? (await findOrderByPayment(db, { paymentIntentId: pi.id }));
  if (!order) return null;
  const flow: PaymentFlow = pi.metadata?.flow === 'checkout_session' ? 'checkout_session' : 'payment_intent';
  return { order, flow };
}

/** The buyer as a Payment Element payment reports them: the e-mail given, the card's billing details, shipping. */
async function collectedByIntent(env: Env, pi: Stripe.PaymentIntent): Promise<CollectedCustomer> {
  const ref = pi.latest_charge;
  const charge = typeof ref === 'string' ? await getStripe(env).charges.retrieve(ref) : (ref ?? null);
  const billing = charge?.billing_details;
  return {
    email: pi.receipt_email ?? billing?.email ?? null,
    name: billing?.name ?? pi.shipping?.name ?? null,
    phone: billing?.phone ?? pi.shipping?.phone ?? null,
    address: billing?.address ?? null,
    shipping: pi.shipping
      ? { name: pi.shipping.name ?? null, phone: pi.shipping.phone, address: pi.shipping.address ?? null }
      : null,
  };
}

const intentSucceeded: WebhookHandler = async (event, env) => {
  const pi = event.data.object as Stripe.PaymentIntent;
  const { outcome, order } = await applyIntent(env, pi);
  if (outcome === 'processed' && order && pi.metadata?.flow === 'payment_intent') {
    await linkOrderCustomer(env, {
      orderId: order.id,
      customerId: idOf(pi.customer),
      collected: await collectedByIntent(env, pi),
      at: event.created,
    });
  }
  return outcome;
};

/**
 * Applies a succeeded PaymentIntent: fulfils a Payment Element order; for an intent made by Checkout,
 * only records its ids (Checkout's own events fulfil). Used by the webhook and the order page.
 */
export async function applySucceededIntent(env: Env, pi: Stripe.PaymentIntent): Promise<HandlerOutcome> {
  return (await applyIntent(env, pi)).outcome;
}

/** applySucceededIntent, with the order it applied to (so the webhook does not read it again). */
async function applyIntent(
  env: Env,
  pi: Stripe.PaymentIntent,
): Promise<{ outcome: HandlerOutcome; order?: OrderRow }> {
  const db = getDb(env);
  const found = await orderOfIntent(db, pi);
  if (!found) return { outcome: 'ignored' };
  const charge = await chargeOfIntent(env, pi);
  if (found.flow === 'checkout_session') {
    // Checkout's own events fulfil (they carry tax and shipping); here only the ids are recorded.
    await recordPaymentDetails(db, found.order.id, { paymentIntentId: pi.id, ...charge });
    return { outcome: 'processed', order: found.order };
  }
  await endAttempt(db, pi.id, 'complete');
  await confirmPayment(env, {
    orderId: found.order.id,
    amountReceived: pi.amount_received,
    currency: pi.currency,
    paymentIntentId: pi.id,
    email: normalized(pi.receipt_email),
    customerId: idOf(pi.customer),
    ...charge,
  });
  return { outcome: 'processed', order: found.order };
}

const intentFailed: WebhookHandler = async (event, env) => {
  const pi = event.data.object as Stripe.PaymentIntent;
  const db = getDb(env);
  const found = await orderOfIntent(db, pi);
  if (!found) return 'ignored';
  await markPaymentFailed(env, found.order.id, pi.id);
  return 'processed';
};

const intentCanceled: WebhookHandler = async (event, env) => {
  const pi = event.data.object as Stripe.PaymentIntent;
  const db = getDb(env);
  const found = await orderOfIntent(db, pi);
  if (!found || found.flow === 'checkout_session') return 'ignored';
  await endAttempt(db, pi.id, 'expired');
  if (!(await hasLiveAttempt(db, found.order.id))) await cancelOrder(db, found.order.id);
  return 'processed';
};

/**
 * The order a charge belongs to: its transfer_group (the order id, set at checkout), the ids
 * recorded on the order, and as a last resort the metadata of its PaymentIntent at Stripe.
 */
async function orderOfCharge(env: Env, db: Db, charge: Stripe.Charge): Promise<OrderRow | null> {
  for (const id of [charge.transfer_group, charge.metadata?.order_id]) {
    if (id) {
      const order = await getOrder(db, id);
      if (order) return order;
    }
  }
  const paymentIntentId = idOf(charge.payment_intent);
  const order = await findOrderByPayment(db, { paymentIntentId, chargeId: charge.id });
  if (order || !paymentIntentId) return order;
  const pi =
    typeof charge.payment_intent === 'object' && charge.payment_intent
      ? charge.payment_intent
      : await getStripe(env).paymentIntents.retrieve(paymentIntentId);
  return pi.metadata?.order_id ? getOrder(db, pi.metadata.order_id) : null;
}

const chargeSucceeded: WebhookHandler = async (event, env) => {
  const charge = event.data.object as Stripe.Charge;
  const db = getDb(env);
  const order = await orderOfCharge(env, db, charge);
  if (!order) return 'ignored';
  await recordPaymentDetails(db, order.id, { chargeId: charge.id, receiptUrl: charge.receipt_url });
  return 'processed';
};

const chargeFailed: WebhookHandler = async (event, env) => {
  const charge = event.data.object as Stripe.Charge;
  const db = getDb(env);
  const order = await orderOfCharge(env, db, charge);
  if (!order) return 'ignored';
  await markPaymentFailed(env, order.id, idOf(charge.payment_intent) ?? charge.id);
  return 'processed';
};

/** Every refund of a charge: from the event when it lists them all, else from Stripe. */
async function refundsOf(env: Env, charge: Stripe.Charge): Promise<RefundInfo[]> {
  const list =
    charge.refunds && !charge.refunds.has_more
      ? charge.refunds.data
      : (await getStripe(env).refunds.list({ charge: charge.id, limit: 100 })).data;
  return list.map(reshapeRefund);
}

const chargeRefunded: WebhookHandler = async (event, env) => {
  const charge = event.data.object as Stripe.Charge;
  const db = getDb(env);
  const order = await orderOfCharge(env, db, charge);
  if (!order) return 'ignored';
  const refunds = await refundsOf(env, charge);
  await applyRefunds(env, order.id, { id: charge.id, amountRefunded: charge.amount_refunded }, refunds);
  return 'processed';
};

/** Handlers for the events that move orders, keyed by event type. */
export const orderEventHandlers: HandlerMap = Object.fromEntries(
  Object.entries({
    'checkout.session.completed': sessionCompleted,
    'checkout.session.async_payment_succeeded': sessionCompleted,
    'checkout.session.async_payment_failed': sessionAsyncFailed,
    'checkout.session.expired': sessionExpired,
    'payment_intent.succeeded': intentSucceeded,
    'payment_intent.payment_failed': intentFailed,
    'payment_intent.canceled': intentCanceled,
    'charge.succeeded': chargeSucceeded,
    'charge.failed': chargeFailed,
    'charge.refunded': chargeRefunded,
  } satisfies HandlerMap).map(([type, handler]) => [type, platformOnly(handler)]),
);
