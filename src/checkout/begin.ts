// Starting a payment for the visitor's cart: a Checkout Session (hosted page) or a PaymentIntent (Payment
// Element). Both write the pending order and its attempt first, reserve stock, supersede stale attempts
// of the same cart, then ask Stripe with a deterministic idempotency key.
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { getDb, schema } from '../db/client';
import { AppError, ConflictError, UpstreamError, ValidationError } from '../lib/errors';
import { runBatch } from '../db/batch';
import { publicOrigin } from '../lib/config';
import { checkoutIdFor, getOrderWithLines, isPaidStatus, orderSlotFor } from '../orders/model';
import { ensureCustomer } from '../orders/customers';
import { cancelOrder, paymentDetailsUpdate } from '../orders/state';
import { heldProducts, reserveStatements } from '../orders/stock';
import { getStripe, type Stripe } from '../stripe/client';
import { classifyStripeError } from '../stripe/errors';
import {
  attemptsOfOrder,
  endAttempt,
  endAttemptById,
  getAttempt,
  hasLiveAttempt,
  liveAttemptsOfCart,
  openAttempt,
  type CheckoutKind,
  type CheckoutRow,
} from '../orders/attempts';
import { idempotencyKey } from './idempotency';
import { CheckoutRefusedError, insufficientStock, planCheckout, type CheckoutPlan } from './plan';
import { discountSnapshot, discountedLineItem } from './discount-lines';
import { nowSeconds as now } from '../lib/time';
import { assertCanSubscribe } from '../subscriptions/guard';
import { errorFields } from '../lib/log';

/** Where the hosted checkout may ship to (Stripe requires an explicit list). */
const SHIPPING_COUNTRIES = [
  'US',
  'CA',
  'GB',
  'IE',
  'FR',
  'DE',
  'NL',
  'BE',
  'ES',
  'IT',
  'PT',
  'AT',
  'SE',
  'DK',
  'FI',
  'NO',
  'CH',
  'AU',
  'NZ',
] as const;

/** What the shopper may choose at checkout; everything else comes from the server. */
export interface CheckoutInput {
  /** The buyer's e-mail (normalised): checkout uses that shopper's one Stripe Customer. */
  email?: string;
  locale?: Stripe.Checkout.SessionCreateParams.Locale;
  /** The subtotal the cart page showed and the shopper accepted (see plan.ts). */
  acceptedSubtotal?: number;
}

export interface SessionStarted {
  url: string;
  orderId: string;
  sessionId: string;
}

export interface IntentStarted {
  clientSecret: string;
  orderId: string;
  paymentIntentId: string;
  amount: number;
  currency: string;
}

/** 409: this cart (at this version) is paid already, or its payment is on its way. */
export class AlreadyPaidError extends ConflictError {
  constructor(readonly orderId: string) {
    super('This cart has already been paid.', {
      code: 'already_paid',
      orderId,
      orderUrl: `/orders/${orderId}`,
    });
  }
}

/** True when the pending order's snapshot is exactly what the plan would write. */
function sameOrder(
  plan: CheckoutPlan,
  order: { subtotal: number; shippingAmount: number; currency: string },
  lines: readonly { productId: string; unitAmount: number; quantity: number; note: string; amount: number }[],
): boolean {
  if (order.subtotal !== plan.subtotal || order.shippingAmount !== plan.shippingAmount) return false;
  if (order.currency !== plan.currency || lines.length !== plan.lines.length) return false;
  const byProduct = new Map(lines.map((l) => [l.productId, l]));
  return plan.lines.every((p) => {
    const l = byProduct.get(p.productId);
    return (
      l !== undefined &&
      l.unitAmount === p.unitAmount &&
      l.quantity === p.qty &&
      l.note === p.note &&
      l.amount === p.amount
    );
  });
}

/**
 * The order this checkout uses: the pending order of (cart, version) when it still matches the cart
 * as priced now, else a new attempt (a pending order whose prices moved is canceled, its session
 * expired). A paid one refuses: the cart was bought already.
 */
async function orderFor(env: Env, db: Db, plan: CheckoutPlan): Promise<string> {
  for (let round = 0; round < 3; round++) {
    const slot = await orderSlotFor(db, plan.cartId, plan.cartVersion);
    if (!slot.existing) return slot.orderId;
    const found = await getOrderWithLines(db, slot.orderId);
    if (!found) return slot.orderId;
    const { order, lines } = found;
    if (isPaidStatus(order.status) || order.paymentStatus === 'review') throw new AlreadyPaidError(order.id);
    const attempts = await attemptsOfOrder(db, order.id);
    if (attempts.some((a) => a.status === 'complete')) throw new AlreadyPaidError(order.id);
    if (sameOrder(plan, order, lines)) return order.id;
    // Prices moved since this order was written (a price drop is passed on): start afresh.
    for (const attempt of attempts) {
      // Paid while we looked: the webhook fulfils it; this cart version is bought.
      if ((await endAtStripe(env, db, attempt)) === 'complete') throw new AlreadyPaidError(order.id);
    }
    if (!(await hasLiveAttempt(db, order.id))) await cancelOrder(db, order.id);
  }
  throw new ConflictError('Your cart is changing too fast to check out. Please try again.');
}

/**
 * Ends one attempt at Stripe so it can no longer take money: expires an open Checkout Session or
 * cancels a PaymentIntent. If Stripe says it already finished, records how (a completed payment is
 * left for its webhook to fulfil). Returns the attempt's final status.
 */
export async function endAtStripe(env: Env, db: Db, attempt: CheckoutRow): Promise<CheckoutRow['status']> {
  if (attempt.status !== 'open' && attempt.status !== 'creating') return attempt.status;
  if (!attempt.stripeId) {
    // Never reached Stripe (or still creating in another request, whose openAttempt will now fail).
    await endAttemptById(db, attempt.id, 'failed');
    return 'failed';
  }
  const stripe = getStripe(env);
  try {
    if (attempt.kind === 'checkout_session') await stripe.checkout.sessions.expire(attempt.stripeId);
    else await stripe.paymentIntents.cancel(attempt.stripeId);
    await endAttempt(db, attempt.stripeId, 'expired');
    return 'expired';
  } catch (err) {
    if (!classifyStripeError(err).invalidRequest) throw upstream(err);
  }
  // Stripe refused: the attempt is over already. Ask how it ended.
  let ended: 'complete' | 'expired';
  if (attempt.kind === 'checkout_session') {
    const session = await stripe.checkout.sessions.retrieve(attempt.stripeId).catch((e: unknown) => {
      throw upstream(e);
    });
    if (session.status === 'open') throw new UpstreamError('Stripe could not close the previous checkout.');
    ended = session.status === 'complete' ? 'complete' : 'expired';
  } else {
    const pi = await stripe.paymentIntents.retrieve(attempt.stripeId).catch((e: unknown) => {
      throw upstream(e);
    });
    ended = pi.status === 'canceled' ? 'expired' : 'complete';
  }
  await endAttempt(db, attempt.stripeId, ended);
  return ended;
}

/**
 * Ends every other live attempt of the cart (older versions, or other parameters): a stale cart must
 * not stay payable. An older order left with nothing payable is canceled and its stock released; one
 * that turns out to be paid is left to its webhook. If the order being checked out was paid through
 * another attempt meanwhile, refuses: it must not be paid twice.
 */
async function supersede(env: Env, db: Db, cartId: string, keep: { orderId: string; key: string }) {
  for (const attempt of await liveAttemptsOfCart(db, cartId)) {
    if (attempt.orderId === keep.orderId && attempt.idempotencyKey === keep.key) continue;
    const ended = await endAtStripe(env, db, attempt);
    if (ended === 'complete') {
      if (attempt.orderId === keep.orderId) throw new AlreadyPaidError(keep.orderId);
      continue;
    }
    if (attempt.orderId !== keep.orderId && !(await hasLiveAttempt(db, attempt.orderId)))
      await cancelOrder(db, attempt.orderId);
  }
}

/**
 * The idempotency key of this attempt. An attempt with the same parameters that ended (expired,
 * failed) must not be replayed by Stripe, so each ended one moves the key on (`:r<n>`).
 */
async function attemptKey(db: Db, orderId: string, base: string): Promise<string> {
  const ended = (await attemptsOfOrder(db, orderId)).filter(
    (a) =>
      (a.idempotencyKey === base || a.idempotencyKey.startsWith(`${base}:r`)) &&
      (a.status === 'expired' || a.status === 'failed'),
  ).length;
  return ended === 0 ? base : `${base}:r${ended}`;
}

/**
 * Writes the pending order, its line snapshot, the attempt row and the stock reservations in one D1
 * batch; every statement is conditional, so a second click writes nothing new. Then checks that each
 * limited line got its units: if one did not, the order is canceled (its other units released) and
 * the checkout refused naming the line. Returns false if the order was canceled meanwhile.
 */
async function writeOrder(
  db: Db,
  plan: CheckoutPlan,
  orderId: string,
  attempt: { id: string; kind: CheckoutKind; key: string; amount: number },
): Promise<boolean> {
  const items = [
    db
      .insert(schema.orders)
      .values({
        id: orderId,
        cartId: plan.cartId,
        cartVersion: plan.cartVersion,
        status: 'pending',
        paymentStatus: 'awaiting',
        currency: plan.currency,
        subtotal: plan.subtotal,
        shippingAmount: plan.shippingAmount,
        taxAmount: 0,
        total: plan.total,
      })
      .onConflictDoNothing(),
    // One statement per line: D1 allows 100 bound parameters per statement.
    ...plan.lines.map((l) =>
      db
        .insert(schema.orderLines)
        .values({
          orderId,
          productId: l.productId,
          storeId: l.storeId,
          storeName: l.storeName,
          name: l.name,
          unitAmount: l.unitAmount,
          quantity: l.qty,
          note: l.note,
          amount: l.amount,
          discountAmount: l.discountAmount,
          discountFundedBy: l.discountFundedBy,
        })
        .onConflictDoNothing(),
    ),
    ...discountSnapshot(db, orderId, plan),
    db
      .insert(schema.checkouts)
      .values({
        id: attempt.id,
        orderId,
        cartId: plan.cartId,
        cartVersion: plan.cartVersion,
        kind: attempt.kind,
        status: 'creating',
        amount: attempt.amount,
        currency: plan.currency,
        idempotencyKey: attempt.key,
      })
      .onConflictDoNothing(),
    ...plan.lines
      .filter((l) => l.stock !== null)
      .flatMap((l) => reserveStatements(db, orderId, l.productId, l.qty)),
  ];
  await runBatch(db, items);

  const order = await db
    .select({ status: schema.orders.status })
    .from(schema.orders)
    .where(eq(schema.orders.id, orderId))
    .get();
  if (!order || order.status === 'canceled') return false;
  const held = await heldProducts(db, orderId);
  const short = plan.lines.filter((l) => l.stock !== null && held.get(l.productId) !== l.qty);
  if (short.length === 0) return true;

  await endAttemptById(db, attempt.id, 'failed');
  await cancelOrder(db, orderId);
  const stock = await db
    .select({ id: schema.products.id, stock: schema.products.stock })
    .from(schema.products)
    .where(
      inArray(
        schema.products.id,
        short.map((l) => l.productId),
      ),
    );
  const left = new Map(stock.map((p) => [p.id, p.stock]));
  throw new CheckoutRefusedError(
    short.map((l) => insufficientStock({ ...l, stock: left.get(l.productId) ?? 0 })),
  );
}

/** Stripe failed or refused: a 502 that says so without leaking Stripe's internals. */
function upstream(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const failure = classifyStripeError(err);
  console.error(
    JSON.stringify({
      msg: 'stripe request failed',
      status: failure.status,
      code: failure.code,
      ...errorFields(err),
    }),
  );
  return new UpstreamError('The payment provider did not answer. Please try again in a moment.');
}

/** The Checkout Session for this plan: every parameter that decides what is charged comes from here. */
function sessionParams(
  plan: CheckoutPlan,
  orderId: string,
  origin: string,
  input: CheckoutInput,
  customer: string | null,
): Stripe.Checkout.SessionCreateParams {
  const { currency } = plan;
  const subscription = plan.mode === 'subscription';
  const lineItems: Stripe.Checkout.SessionCreateParams.LineItem[] = plan.lines.map((l) =>
    // Recurring lines bill every interval (never discounted: see plan.ts); one-off lines go on the first invoice.
    l.recurringInterval
      ? {
          quantity: l.qty,
          price_data: {
            currency,
            unit_amount: l.unitAmount,
            recurring: { interval: l.recurringInterval },
            product_data: {
              name: l.name,
              ...(l.note ? { description: `Note: ${l.note}`.slice(0, 500) } : {}),
              metadata: { product_id: l.productId, store_id: l.storeId },
            },
          },
        }
      : discountedLineItem(l, currency),
  );
  // Shipping options are for payment mode only (https://docs.stripe.com/payments/checkout/shipping);
  // a subscription's first invoice carries shipping as a one-time line.
  if (subscription && plan.shippingAmount > 0)
    lineItems.push({
      quantity: 1,
      price_data: { currency, unit_amount: plan.shippingAmount, product_data: { name: 'Shipping' } },
    });
  return {
    mode: plan.mode,
    line_items: lineItems,
    client_reference_id: orderId,
    metadata: { order_id: orderId, cart_version: String(plan.cartVersion) },
    ...(subscription
      ? {
          subscription_data: {
            metadata: {
              order_id: orderId,
              product_ids: plan.lines
                .filter((l) => l.recurringInterval)
                .map((l) => l.productId)
                .join(','),
            },
          },
        }
      : {
          payment_intent_data: {
            transfer_group: orderId,
            metadata: { order_id: orderId, flow: 'checkout_session' },
          },
          shipping_options: [
            {
              shipping_rate_data: {
                type: 'fixed_amount' as const,
                display_name: plan.shippingAmount > 0 ? 'Standard shipping' : 'Free shipping',
                fixed_amount: { amount: plan.shippingAmount, currency },
              },
            },
          ],
        }),
    shipping_address_collection: { allowed_countries: [...SHIPPING_COUNTRIES] },
    ...(plan.config.automaticTax ? { automatic_tax: { enabled: true } } : {}),
    // The shopper's Customer (its e-mail is then shown, not asked); Stripe refuses customer_email beside it.
    ...(customer ? { customer } : input.email ? { customer_email: input.email } : {}),
    // Collected for delivery; saved on the Customer after payment (orders/customers.ts).
    phone_number_collection: { enabled: true },
    ...(input.locale ? { locale: input.locale } : {}),
    success_url: `${origin}/orders/${orderId}?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${origin}/cart`,
  };
}

/** The PaymentIntent for this plan: amount and currency from the server, never from the browser. */
function intentParams(
  plan: CheckoutPlan,
  orderId: string,
  input: CheckoutInput,
  customer: string | null,
): Stripe.PaymentIntentCreateParams {
  return {
    ...(customer ? { customer } : {}),
    amount: plan.total,
    currency: plan.currency,
    automatic_payment_methods: { enabled: true },
    transfer_group: orderId,
    metadata: { order_id: orderId, flow: 'payment_intent' },
    ...(input.email ? { receipt_email: input.email } : {}),
  };
}

/**
 * The shopper's Stripe Customer when checkout knows their e-mail (asked on the cart page, or the
 * signed-in account's). Without one, the webhook finds or makes it from what the payment collected.
 */
async function customerOf(env: Env, input: CheckoutInput): Promise<string | null> {
  if (!input.email) return null;
  try {
    return await ensureCustomer(env, input.email);
  } catch (err) {
    throw upstream(err);
  }
}

/** The shared steps of both paths up to the Stripe call. */
async function prepare(
  env: Env,
  db: Db,
  cartId: string,
  kind: CheckoutKind,
  input: CheckoutInput,
  build: (plan: CheckoutPlan, orderId: string) => object,
): Promise<{
  plan: CheckoutPlan;
  orderId: string;
  params: object;
  key: string;
  attempt: CheckoutRow | null;
  id: string;
}> {
  const state = await env.CART.getByName(cartId).getState();
  const plan = await planCheckout(env, db, cartId, state, input.acceptedSubtotal, input.email);
  if (plan.mode === 'subscription') {
    if (kind !== 'checkout_session')
      throw new ValidationError('Subscriptions are paid through the hosted checkout.', {
        code: 'subscription_needs_checkout',
      });
    // One subscription per shopper and product (subscriptions/guard.ts).
    const recurring = plan.lines.filter((l) => l.recurringInterval).map((l) => l.productId);
    await assertCanSubscribe(db, input.email, recurring);
  }
  for (let round = 0; round < 3; round++) {
    const orderId = await orderFor(env, db, plan);
    const params = build(plan, orderId);
    const endpoint = kind === 'checkout_session' ? 'checkout.sessions.create' : 'payment_intents.create';
    const key = await attemptKey(db, orderId, await idempotencyKey(endpoint, plan.cartVersion, params));
    const id = await checkoutIdFor(orderId, key);
    const existing = await getAttempt(db, id);
    if (existing?.status === 'open' && existing.stripeId)
      return { plan, orderId, params, key, attempt: existing, id };
    await supersede(env, db, cartId, { orderId, key });
    // The session's amount is the order total before Stripe adds tax (if automatic tax is on).
    if (await writeOrder(db, plan, orderId, { id, kind, key, amount: plan.total }))
      return { plan, orderId, params, key, attempt: null, id };
  }
  throw new ConflictError('Your cart is changing too fast to check out. Please try again.');
}

/**
 * Starts a hosted Checkout for the visitor's cart. Idempotent: the same cart version and input give
 * the same order and the same session (a double click, a retry, a second tab).
 */
export async function beginCheckoutSession(
  env: Env,
  cartId: string,
  input: CheckoutInput = {},
): Promise<SessionStarted> {
  const db = getDb(env);
  // Stripe sends the shopper back to the configured origin, never to the Host this request named.
  const origin = publicOrigin(env);
  const customer = await customerOf(env, input);
  const prepared = await prepare(env, db, cartId, 'checkout_session', input, (plan, orderId) =>
    sessionParams(plan, orderId, origin, input, customer),
  );
  const { orderId, key, id } = prepared;
  if (prepared.attempt?.url && (prepared.attempt.expiresAt ?? Infinity) > now() + 60) {
    return { url: prepared.attempt.url, orderId, sessionId: prepared.attempt.stripeId! };
  }
  const stripe = getStripe(env);
  let session: Stripe.Checkout.Session;
  try {
    session = await stripe.checkout.sessions.create(prepared.params, {
      idempotencyKey: key,
    });
  } catch (err) {
    // The key is spent (Stripe replays its first answer): the next click moves it on (attemptKey).
    await endAttemptById(db, id, 'failed');
    throw upstream(err);
  }
  if (!session.url) throw new UpstreamError('The payment provider returned no checkout page.');
  // The attempt opens and the order learns its session in one batch (the order only if the attempt opened).
  const opened = await openAttempt(
    db,
    id,
    { stripeId: session.id, url: session.url, expiresAt: session.expires_at },
    (onlyIf) => paymentDetailsUpdate(db, orderId, { checkoutSessionId: session.id }, onlyIf),
  );
  if (!opened) {
    // A newer checkout of this cart superseded this one while Stripe answered.
    await stripe.checkout.sessions.expire(session.id).catch(() => undefined);
    throw new ConflictError('Your cart changed during checkout. Please check out again.', {
      code: 'superseded',
    });
  }
  return { url: session.url, orderId, sessionId: session.id };
}

/**
 * Starts a Payment Element payment for the visitor's cart: a PaymentIntent for the order total, in
 * the store's currency, with an idempotency key from the cart version. Returns its client secret.
 */
export async function beginPaymentIntent(
  env: Env,
  cartId: string,
  input: CheckoutInput = {},
): Promise<IntentStarted> {
  const db = getDb(env);
  const customer = await customerOf(env, input);
  const prepared = await prepare(env, db, cartId, 'payment_intent', input, (plan, orderId) =>
    intentParams(plan, orderId, input, customer),
  );
  const { plan, orderId, key, id } = prepared;
  if (prepared.attempt?.clientSecret) {
    return {
      clientSecret: prepared.attempt.clientSecret,
      orderId,
      paymentIntentId: prepared.attempt.stripeId!,
      amount: prepared.attempt.amount,
      currency: prepared.attempt.currency,
    };
  }
  const stripe = getStripe(env);
  let intent: Stripe.PaymentIntent;
  try {
    intent = await stripe.paymentIntents.create(prepared.params as Stripe.PaymentIntentCreateParams, {
      idempotencyKey: key,
    });
  } catch (err) {
    await endAttemptById(db, id, 'failed');
    throw upstream(err);
  }
  if (!intent.client_secret) throw new UpstreamError('The payment provider returned no client secret.');
  const opened = await openAttempt(
    db,
    id,
    { stripeId: intent.id, clientSecret: intent.client_secret },
    (onlyIf) => paymentDetailsUpdate(db, orderId, { paymentIntentId: intent.id }, onlyIf),
  );
  if (!opened) {
    await stripe.paymentIntents.cancel(intent.id).catch(() => undefined);
    throw new ConflictError('Your cart changed during checkout. Please check out again.', {
      code: 'superseded',
    });
  }
  return {
    clientSecret: intent.client_secret,
    orderId,
    paymentIntentId: intent.id,
    amount: plan.total,
    currency: plan.currency,
  };
}
