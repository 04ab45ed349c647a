// A subscription's life in D1, from Stripe's objects: the row (status only as Stripe's lifecycle
// allows, newest event wins), one order per paid invoice (idempotent by invoice id) paid out to vendors
// like any order, failed renewals with the shopper told, and provisioning with the welcome mail.
import { and, eq, isNull, lte, sql } from 'drizzle-orm';
import { runBatch, type Statement } from '../db/batch';
import type { Db } from '../db/client';
import { getDb, schema } from '../db/client';
import { normalizeEmail } from '../lib/email';
import { sum } from '../lib/money';
import { signedSubscriptionPath } from '../lib/subscription-link';
import { nowSeconds } from '../lib/time';
import { dispatchMessages, queueSubscriptionRenewalFailed, queueSubscriptionWelcome } from '../notifications';
import { getOrderWithLines, orderIdForInvoice, SUBSCRIPTION_CART_PREFIX } from '../orders/model';
import { confirmPayment } from '../orders/state';
import { reserveStatements } from '../orders/stock';
import { getStripe, type Stripe } from '../stripe/client';
import { classifyStripeError } from '../stripe/errors';
import type { HandlerOutcome } from '../stripe/handlers';
import { canMoveSubscription, getSubscription, type SubscriptionRow } from './records';

const idOf = (ref: string | { id: string } | null | undefined): string | null =>
  ref == null ? null : typeof ref === 'string' ? ref : ref.id;

const INTERVALS = ['day', 'week', 'month', 'year'] as const;
type Interval = (typeof INTERVALS)[number];
const asInterval = (v: string | undefined): Interval =>
  (INTERVALS as readonly string[]).includes(v ?? '') ? (v as Interval) : 'month';

/** The subscription an invoice bills (since API 2025-03-31.basil: `parent.subscription_details`). */
function subscriptionOfInvoice(invoice: Stripe.Invoice): string | null {
  return idOf(invoice.parent?.subscription_details?.subscription);
}

/** Null for Stripe's "no such object": the event names something that is gone, not worth a retry. */
async function unlessMissing<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (err) {
    if (classifyStripeError(err).status === 404) return null;
    throw err;
  }
}

/** The current period of a subscription: on its items since API 2025-03-31.basil. */
function periodOf(sub: Stripe.Subscription): { start: number | null; end: number | null } {
  const item = sub.items.data[0];
  return { start: item?.current_period_start ?? null, end: item?.current_period_end ?? null };
}

/**
 * The D1 row of a Stripe subscription, made from the checkout's order on first sight (by whichever
 * event comes first). Null when the subscription is not one of ours (no order of ours in its
 * metadata, or none of its products): such events are recorded and ignored.
 */
export async function ensureSubscription(
  env: Env,
  db: Db,
  subscriptionId: string,
  known?: Stripe.Subscription,
): Promise<SubscriptionRow | null> {
  const existing = await getSubscription(db, subscriptionId);
  if (existing) return existing;
  const sub = known ?? (await unlessMissing(getStripe(env).subscriptions.retrieve(subscriptionId)));
  if (!sub) return null;
  const orderId = sub.metadata?.order_id;
  const found = orderId ? await getOrderWithLines(db, orderId) : null;
  if (!found) return null;
  const productIds = new Set((sub.metadata?.product_ids ?? '').split(',').filter(Boolean));
  const items = found.lines.filter((l) => productIds.has(l.productId));
  if (items.length === 0) return null;
  const period = periodOf(sub);
  await runBatch(db, [
    db
      .insert(schema.subscriptions)
      .values({
        id: sub.id,
        customerId: idOf(sub.customer) ?? '',
        status: sub.status,
        productId: items[0]!.productId,
        orderId: found.order.id,
        email: found.order.email,
        currency: sub.currency,
        interval: asInterval(sub.items.data[0]?.price.recurring?.interval),
        amount: sum(items.map((l) => l.amount)),
        currentPeriodStart: period.start,
        currentPeriodEnd: period.end,
        cancelAtPeriodEnd: sub.cancel_at_period_end,
        canceledAt: sub.canceled_at,
        lastEventAt: 0,
      })
      .onConflictDoNothing(),
    ...items.map((l) =>
      db
        .insert(schema.subscriptionItems)
        .values({
          subscriptionId: sub.id,
          productId: l.productId,
          storeId: l.storeId,
          storeName: l.storeName,
          name: l.name,
          unitAmount: l.unitAmount,
          quantity: l.quantity,
        })
        .onConflictDoNothing(),
    ),
  ]);
  return getSubscription(db, sub.id);
}

/**
 * Writes what Stripe says of a subscription, if `at` (the event's `created`) is not older than what
 * the row holds and the status move is one Stripe's lifecycle allows. Returns true when it applied.
 */
export async function applySubscriptionState(db: Db, sub: Stripe.Subscription, at: number): Promise<boolean> {
  const row = await getSubscription(db, sub.id);
  if (!row || !canMoveSubscription(row.status, sub.status)) return false;
  const period = periodOf(sub);
  const res = await db
    .update(schema.subscriptions)
    .set({
      status: sub.status,
      cancelAtPeriodEnd: sub.cancel_at_period_end,
      currentPeriodStart: period.start,
      currentPeriodEnd: period.end,
      canceledAt: sub.canceled_at,
      customerId: idOf(sub.customer) ?? row.customerId,
      lastEventAt: at,
      updatedAt: nowSeconds(),
    })
    .where(
      and(
        eq(schema.subscriptions.id, sub.id),
        lte(schema.subscriptions.lastEventAt, at),
        // Re-checked in SQL: a concurrent event may have ended it since we read.
        sql`(${schema.subscriptions.status} NOT IN ('canceled', 'incomplete_expired') OR ${schema.subscriptions.status} = ${sub.status})`,
      ),
    )
    .run();
  return res.meta.changes > 0;
}

/** Records the buyer's e-mail on the subscription when it had none. */
async function recordEmail(db: Db, id: string, email: string | null | undefined): Promise<void> {
  if (!email) return;
  await db
    .update(schema.subscriptions)
    .set({ email: normalizeEmail(email) })
    .where(and(eq(schema.subscriptions.id, id), isNull(schema.subscriptions.email)));
}

/** A name for the subscription in mail and pages: its products. */
async function planName(db: Db, id: string): Promise<string> {
  const items = await db
    .select({ name: schema.subscriptionItems.name })
    .from(schema.subscriptionItems)
    .where(eq(schema.subscriptionItems.subscriptionId, id));
  return items.map((i) => i.name).join(', ') || 'your subscription';
}

/**
 * The first time a subscription is active (or trialing) with a known e-mail: the customer is
 * provisioned (stamped) and the welcome mail queued, in one batch; never twice.
 */
export async function provisionIfActive(env: Env, db: Db, id: string): Promise<boolean> {
  const row = await getSubscription(db, id);
  if (!row || row.provisionedAt !== null || !row.email) return false;
  if (row.status !== 'active' && row.status !== 'trialing') return false;
  const statements: Statement[] = [
    db
      .update(schema.subscriptions)
      .set({ provisionedAt: nowSeconds() })
      .where(and(eq(schema.subscriptions.id, id), isNull(schema.subscriptions.provisionedAt))),
    queueSubscriptionWelcome(db, {
      subscriptionId: id,
      to: row.email,
      planName: await planName(db, id),
      currency: row.currency,
      amount: row.amount,
      interval: asInterval(row.interval),
      managePath: await signedSubscriptionPath(env, id),
    }),
  ];
  await runBatch(db, statements);
  await dispatchMessages(env);
  return true;
}

/**
 * The charge that paid an invoice: `invoice.payments` (expanded when the event did not include it)
 * → the paid InvoicePayment's PaymentIntent → its latest charge. Invoices no longer carry `charge`
 * or `payment_intent` (API 2025-03-31.basil).
 */
async function paymentOf(
  env: Env,
  invoice: Stripe.Invoice,
): Promise<{ paymentIntentId: string | null; chargeId: string | null }> {
  const stripe = getStripe(env);
  let payments = invoice.payments?.data;
  if (!payments)
    payments = (await stripe.invoices.retrieve(invoice.id, { expand: ['payments'] })).payments?.data;
  const paid = (payments ?? []).find((p) => p.status === 'paid');
  if (!paid) return { paymentIntentId: null, chargeId: null };
  const ref = paid.payment.payment_intent;
  if (!ref) return { paymentIntentId: null, chargeId: idOf(paid.payment.charge) };
  const pi = typeof ref === 'string' ? await stripe.paymentIntents.retrieve(ref) : ref;
  return { paymentIntentId: pi.id, chargeId: idOf(pi.latest_charge) };
}

/** The service period of an invoice: its first subscription line's (the invoice's own is the previous one). */
function servicePeriod(invoice: Stripe.Invoice): { start: number; end: number } {
  const line = invoice.lines.data.find((l) => l.parent?.type === 'subscription_item_details');
  return line ? line.period : { start: invoice.period_start, end: invoice.period_end };
}

/** The INSERT (or update) of a period's row: its state only moves open/failed → paid, never back. */
function periodStatement(
  db: Db,
  invoice: Stripe.Invoice,
  subscriptionId: string,
  status: 'paid' | 'failed' | 'open',
  orderId: string | null,
): Statement {
  const period = servicePeriod(invoice);
  return db
    .insert(schema.subscriptionInvoices)
    .values({
      id: invoice.id,
      subscriptionId,
      orderId,
      status,
      billingReason: invoice.billing_reason,
      amount: invoice.amount_due,
      currency: invoice.currency,
      periodStart: period.start,
      periodEnd: period.end,
      hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
      attemptCount: invoice.attempt_count,
      nextPaymentAttempt: invoice.next_payment_attempt,
    })
    .onConflictDoUpdate({
      target: schema.subscriptionInvoices.id,
      set: {
        status: sql`CASE WHEN ${schema.subscriptionInvoices.status} = 'paid' THEN 'paid' ELSE ${status} END`,
        orderId: sql`COALESCE(${schema.subscriptionInvoices.orderId}, ${orderId})`,
        attemptCount: sql`MAX(${schema.subscriptionInvoices.attemptCount}, ${invoice.attempt_count})`,
        nextPaymentAttempt: sql`CASE WHEN ${schema.subscriptionInvoices.status} = 'paid' THEN NULL ELSE ${invoice.next_payment_attempt} END`,
        hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
        updatedAt: nowSeconds(),
      },
    });
}

/**
 * A paid invoice of one of our subscriptions becomes its period's order: the checkout's order for
 * the first invoice, else a new order (id derived from the invoice) with the subscription's products,
 * their stock reserved and committed. Then paid like any order (transfers per vendor, receipt), with
 * the invoice's charge as the transfers' `source_transaction`. Safe to run again, concurrently.
 */
export async function settleInvoice(env: Env, invoice: Stripe.Invoice): Promise<HandlerOutcome> {
  if (invoice.status !== 'paid') return 'ignored';
  const subscriptionId = subscriptionOfInvoice(invoice);
  if (!subscriptionId) return 'ignored';
  const db = getDb(env);
  const sub = await ensureSubscription(env, db, subscriptionId);
  if (!sub) return 'ignored';
  await recordEmail(db, sub.id, invoice.customer_email);
  let orderId: string;
  const statements: Statement[] = [];
  if (invoice.billing_reason === 'subscription_create' && sub.orderId) {
    orderId = sub.orderId;
  } else {
    orderId = await orderIdForInvoice(invoice.id);
    const items = await db
      .select()
      .from(schema.subscriptionItems)
      .where(eq(schema.subscriptionItems.subscriptionId, sub.id));
    const subtotal = sum(items.map((i) => i.unitAmount * i.quantity));
    statements.push(
      db
        .insert(schema.orders)
        .values({
          id: orderId,
          cartId: `${SUBSCRIPTION_CART_PREFIX}${sub.id}`,
          cartVersion: servicePeriod(invoice).start,
          status: 'pending',
          paymentStatus: 'awaiting',
          currency: invoice.currency,
          subtotal,
          // Shipping is charged on the first invoice only (a one-time line at checkout).
          shippingAmount: 0,
          taxAmount: 0,
          total: subtotal,
        })
        .onConflictDoNothing(),
      ...items.map((i) =>
        db
          .insert(schema.orderLines)
          .values({
            orderId,
            productId: i.productId,
            storeId: i.storeId,
            storeName: i.storeName,
            name: i.name,
            unitAmount: i.unitAmount,
            quantity: i.quantity,
            note: '',
            amount: i.unitAmount * i.quantity,
          })
          .onConflictDoNothing(),
      ),
      // Physical goods shipped every period take their units now (a limited product with too few
      // left simply takes none: the period is paid for already).
      ...items.flatMap((i) => reserveStatements(db, orderId, i.productId, i.quantity)),
    );
  }
  statements.push(periodStatement(db, invoice, sub.id, 'paid', orderId));
  await runBatch(db, statements);
  const payment = await paymentOf(env, invoice);
  await confirmPayment(env, {
    orderId,
    amountReceived: invoice.amount_paid,
    currency: invoice.currency,
    taxAmount: (invoice.total_taxes ?? []).reduce((s, t) => s + t.amount, 0),
    paymentIntentId: payment.paymentIntentId,
    chargeId: payment.chargeId,
    // The renewal's receipt goes to the invoice's address, else the one the shopper subscribed with.
    email: invoice.customer_email ? normalizeEmail(invoice.customer_email) : sub.email,
    customerId: idOf(invoice.customer),
  });
  await provisionIfActive(env, db, sub.id);
  return 'processed';
}

/**
 * A renewal whose payment failed: the period is marked failed and the shopper told once per invoice,
 * with the hosted invoice page to pay it (the past_due status itself comes with the subscription's event).
 */
export async function recordFailedInvoice(env: Env, invoice: Stripe.Invoice): Promise<HandlerOutcome> {
  const subscriptionId = subscriptionOfInvoice(invoice);
  if (!subscriptionId) return 'ignored';
  const db = getDb(env);
  const sub = await ensureSubscription(env, db, subscriptionId);
  if (!sub) return 'ignored';
  await recordEmail(db, sub.id, invoice.customer_email);
  const to = invoice.customer_email ? normalizeEmail(invoice.customer_email) : sub.email;
  const statements: Statement[] = [periodStatement(db, invoice, sub.id, 'failed', null)];
  if (to)
    statements.push(
      queueSubscriptionRenewalFailed(db, {
        invoiceId: invoice.id,
        to,
        name: invoice.customer_name,
        planName: await planName(db, sub.id),
        currency: invoice.currency,
        amount: invoice.amount_remaining,
        payUrl: invoice.hosted_invoice_url ?? null,
        managePath: await signedSubscriptionPath(env, sub.id),
      }),
    );
  await runBatch(db, statements);
  await dispatchMessages(env);
  return 'processed';
}
