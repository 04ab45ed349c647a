// Products, prices, subscriptions and invoices: as much as a subscription-mode Checkout needs
// (first invoice paid at checkout, renewals through a control endpoint, cancel and update).
import { Hono } from 'hono';
import type { Ctx } from '../context';
import { previous } from '../context';
import { invalidParam, invalidRequest, noSuch, type StripeError } from '../errors';
import { bool, expandPaths, int, mergeMetadata, obj, oneOf, str, type Params } from '../form';
import { newId } from '../ids';
import { chargePaymentIntent, createPaymentIntent, resolvePaymentMethod } from '../payments';
import { createdFilter, embeddedList, list, registerVirtual, render } from '../render';
import { stripeRoute, type AppEnv } from '../http';
import type { StripeObject } from '../store';
import type { CustomerObj, InvoiceObj, PaymentMethodObj, PriceObj, SubscriptionObj } from '../types';

const INTERVALS = ['day', 'week', 'month', 'year'] as const;

/** Creates a product (prod_...). */
export function createProduct(ctx: Ctx, p: Params, prefix = ''): StripeObject {
  const name = str(p, 'name', { required: true, prefix })!;
  const product: StripeObject = {
    id: newId('prod', 14),
    object: 'product',
    active: true,
    created: ctx.now(),
    default_price: null,
    description: str(p, 'description') ?? null,
    images: Array.isArray(p.images) ? p.images.filter((x) => typeof x === 'string') : [],
    livemode: false,
    marketing_features: [],
    metadata: mergeMetadata({}, p),
    name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: str(p, 'tax_code') ?? null,
    tax_details: null,
    type: 'service',
    unit_label: null,
    updated: ctx.now(),
    url: null,
  };
  return ctx.store.put(product, ctx.account);
}

/** Creates a price from `price_data`-style params (with `product_data` or `product`). */
export function createPrice(ctx: Ctx, p: Params, prefix: string): PriceObj {
  const currency = str(p, 'currency', { required: true, prefix })!.toLowerCase();
  let unit = int(p, 'unit_amount', { prefix });
  if (unit === undefined) {
    const dec = str(p, 'unit_amount_decimal', { prefix });
    if (dec === undefined)
      throw invalidParam(
        `${prefix}[unit_amount]`,
        `Missing required param: ${prefix}[unit_amount].`,
        'parameter_missing',
      );
    unit = Math.round(Number(dec));
    if (!Number.isFinite(unit) || unit < 0)
      throw invalidParam(`${prefix}[unit_amount_decimal]`, `Invalid decimal: ${dec}`);
  }
  let productId = str(p, 'product');
  const productData = obj(p, 'product_data', { prefix });
  if (productId) {
    if (!ctx.store.get(productId, ctx.account, 'product'))
      throw noSuch('product', productId, `${prefix}[product]`);
  } else if (productData) {
    productId = createProduct(ctx, productData, `${prefix}[product_data]`).id;
  } else {
    throw invalidParam(
      `${prefix}[product_data]`,
      `Missing required param: ${prefix}[product_data].`,
      'parameter_missing',
    );
  }
  const rec = obj(p, 'recurring', { prefix });
  const recurring = rec
    ? {
        interval: oneOf(rec, 'interval', INTERVALS, { required: true, prefix: `${prefix}[recurring]` })!,
        interval_count: int(rec, 'interval_count', { min: 1 }) ?? 1,
        meter: null,
        trial_period_days: null,
        usage_type: 'licensed',
      }
    : null;
  const price: PriceObj = {
    id: newId('price', 24),
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    created: ctx.now(),
    currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: mergeMetadata({}, p),
    nickname: null,
    product: productId,
    recurring,
    tax_behavior: str(p, 'tax_behavior') ?? 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: recurring ? 'recurring' : 'one_time',
    unit_amount: unit,
    unit_amount_decimal: String(unit),
  };
  return ctx.store.put(price, ctx.account);
}

/** Adds `count` intervals to a timestamp (calendar months/years like Stripe's billing). */
export function addInterval(t: number, interval: string, count: number): number {
  const d = new Date(t * 1000);
  if (interval === 'day') d.setUTCDate(d.getUTCDate() + count);
  else if (interval === 'week') d.setUTCDate(d.getUTCDate() + 7 * count);
  else if (interval === 'month') d.setUTCMonth(d.getUTCMonth() + count);
  else d.setUTCFullYear(d.getUTCFullYear() + count);
  return Math.floor(d.getTime() / 1000);
}

function plan(price: PriceObj): Record<string, unknown> {
  return {
    id: price.id,
    object: 'plan',
    active: true,
    amount: price.unit_amount,
    amount_decimal: String(price.unit_amount),
    billing_scheme: 'per_unit',
    created: price.created,
    currency: price.currency,
    interval: price.recurring?.interval ?? 'month',
    interval_count: price.recurring?.interval_count ?? 1,
    livemode: false,
    metadata: {},
    meter: null,
    nickname: null,
    product: price.product,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: 'licensed',
  };
}

interface InvoiceLineInput {
  price: PriceObj;
  quantity: number;
  description: string;
  subscription_item?: string;
}

/**
 * Creates a finalized invoice for a subscription and pays it with the payment method. Emits
 * `invoice.created`, `invoice.finalized`, the payment's events, `invoice.paid` and
 * `invoice.payment_succeeded`. Amount 0 (a trial) is paid without a charge.
 */
export function createPaidInvoice(
  ctx: Ctx,
  sub: SubscriptionObj,
  customer: CustomerObj,
  pm: PaymentMethodObj | null,
  lines: InvoiceLineInput[],
  f: { billing_reason: string; period_start: number; period_end: number; shipping?: number },
): InvoiceObj {
  const id = newId('in');
  const now = ctx.now();
  const lineObjects = lines.map((l) => ({
    id: newId('il'),
    object: 'line_item',
    amount: l.price.unit_amount * l.quantity,
    currency: l.price.currency,
    description: l.description,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: id,
    livemode: false,
    metadata: {},
    parent: l.subscription_item
      ? {
          invoice_item_details: null,
          subscription_item_details: {
            invoice_item: null,
            proration: false,
            proration_details: { credited_items: null },
            subscription: sub.id,
            subscription_item: l.subscription_item,
          },
          type: 'subscription_item_details',
        }
      : {
          invoice_item_details: {
            invoice_item: newId('ii'),
            proration: false,
            proration_details: { credited_items: null },
            subscription: sub.id,
          },
          subscription_item_details: null,
          type: 'invoice_item_details',
        },
    period: { end: f.period_end, start: f.period_start },
    pretax_credit_amounts: [],
    pricing: {
      price_details: { price: l.price.id, product: l.price.product },
      type: 'price_details',
      unit_amount_decimal: String(l.price.unit_amount),
    },
    quantity: l.quantity,
    taxes: [],
  }));
  const subtotal = lineObjects.reduce((s, l) => s + l.amount, 0);
  const total = subtotal + (f.shipping ?? 0);
  const invoice: InvoiceObj = {
    id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Harbor Market',
    account_tax_ids: null,
    amount_due: total,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: total,
    amount_shipping: f.shipping ?? 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: false,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: f.billing_reason,
    collection_method: 'charge_automatically',
    created: now,
    currency: sub.currency,
    custom_fields: null,
    customer: customer.id,
    customer_account: null,
    customer_address: null,
    customer_email: customer.email,
    customer_name: customer.name,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: now,
    ending_balance: 0,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: `${ctx.publicUrl}/invoices/${id}`,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: embeddedList(lineObjects, `/v1/invoices/${id}/lines`),
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: `${String(customer.invoice_prefix ?? 'EMU')}-${String(Number(customer.next_invoice_sequence ?? 1)).padStart(4, '0')}`,
    on_behalf_of: null,
    parent: {
      quote_details: null,
      subscription_details: { metadata: { ...sub.metadata }, subscription: sub.id },
      type: 'subscription_details',
    },
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    // Includable, not sent by default: only `expand[]=payments` shows it (registered below).
    _payments: embeddedList([], `/v1/invoice_payments?invoice=${id}`),
    period_end: f.period_end,
    period_start: f.period_start,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal,
    subtotal_excluding_tax: subtotal,
    test_clock: null,
    total,
    total_discount_amounts: [],
    total_excluding_tax: total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: now,
  };
  customer.next_invoice_sequence = Number(customer.next_invoice_sequence ?? 1) + 1;
  ctx.store.put(customer, ctx.account);
  ctx.store.put(invoice, ctx.account);
  ctx.emit('invoice.created', invoice);
  invoice.status = 'open';
  (invoice.status_transitions as Record<string, unknown>).finalized_at = now;
  ctx.store.put(invoice, ctx.account);
  ctx.emit('invoice.finalized', invoice);
  if (total > 0 && !pm)
    throw invalidRequest('This customer has no attached payment source or default payment method.');
  const error = attemptInvoicePayment(ctx, invoice, pm);
  if (error && f.billing_reason === 'subscription_create') throw error;
  return invoice;
}

/**
 * Retry schedule of a failed renewal (Stripe's Smart Retries stand-in, fixed and documented): the
 * next attempts come 3, 5 and 7 days after the previous one; after the fourth failed attempt the
 * subscription is canceled (Stripe's "cancel the subscription" setting for failed payments).
 */
export const RETRY_DAYS = [3, 5, 7] as const;

/**
 * Charges an open invoice with the payment method: paid → `invoice.paid` + `invoice.payment_succeeded`
 * (an InvoicePayment in `invoice.payments`, includable with `expand[]=payments`, names the PaymentIntent); declined → `attempt_count` up,
 * `next_payment_attempt` per RETRY_DAYS and `invoice.payment_failed`. Returns the decline, or null.
 */
export function attemptInvoicePayment(
  ctx: Ctx,
  invoice: InvoiceObj,
  pm: PaymentMethodObj | null,
): StripeError | null {
  const now = ctx.now();
  const total = Number(invoice.amount_due);
  const id = invoice.id;
  if (total > 0) {
    if (!pm) throw invalidRequest('This customer has no attached payment source or default payment method.');
    const pi = createPaymentIntent(ctx, {
      amount: total,
      currency: String(invoice.currency),
      customer: String(invoice.customer),
      description:
        invoice.billing_reason === 'subscription_create' ? 'Subscription creation' : 'Subscription update',
      _invoice: id,
    });
    const error = chargePaymentIntent(ctx, pi, pm);
    const payments = (invoice._payments as { data: Record<string, unknown>[] }).data;
    invoice._payments = embeddedList(
      [
        ...payments,
        {
          id: newId('inpay'),
          object: 'invoice_payment',
          amount_paid: error ? null : total,
          amount_requested: total,
          created: now,
          currency: invoice.currency,
          invoice: id,
          is_default: !error,
          livemode: false,
          payment: { payment_intent: pi.id, type: 'payment_intent' },
          status: error ? 'canceled' : 'paid',
          status_transitions: { canceled_at: error ? now : null, paid_at: error ? null : now },
        },
      ],
      `/v1/invoice_payments?invoice=${id}`,
    );
    invoice.attempt_count = Number(invoice.attempt_count) + 1;
    invoice.attempted = true;
    if (error) {
      const wait = RETRY_DAYS[Number(invoice.attempt_count) - 1];
      invoice.next_payment_attempt = wait === undefined ? null : now + wait * 86400;
      invoice.last_finalization_error = null;
      ctx.store.put(invoice, ctx.account);
      ctx.emit('invoice.payment_failed', invoice);
      return error;
    }
  }
  invoice.status = 'paid';
  invoice.amount_paid = total;
  invoice.amount_remaining = 0;
  invoice.next_payment_attempt = null;
  (invoice.status_transitions as Record<string, unknown>).paid_at = now;
  ctx.store.put(invoice, ctx.account);
  ctx.emit('invoice.paid', invoice);
  ctx.emit('invoice.payment_succeeded', invoice);
  return null;
}

/** An invoice's InvoicePayments (what `expand[]=payments` and `GET /v1/invoice_payments?invoice=` show). */
function paymentsOf(ctx: Ctx, invoiceId: string): { data: StripeObject[] } & StripeObject {
  const found = ctx.store.getAny<InvoiceObj>(invoiceId, 'invoice');
  return (found?.obj._payments ?? embeddedList([], `/v1/invoice_payments?invoice=${invoiceId}`)) as {
    data: StripeObject[];
  } & StripeObject;
}

// https://docs.stripe.com/api/invoices/object: `payments` is includable (expand it to see it).
registerVirtual('invoice', 'payments', (ctx, obj) => paymentsOf(ctx, obj.id));

function lineDescription(price: PriceObj, quantity: number, ctx: Ctx): string {
  const product = ctx.store.get<StripeObject & { name: string }>(price.product, ctx.account);
  const name = product?.name ?? 'Item';
  const every = price.recurring ? ` / ${price.recurring.interval}` : '';
  return `${quantity} × ${name} (at ${(price.unit_amount / 100).toFixed(2)} ${price.currency.toUpperCase()}${every})`;
}

/**
 * Starts a subscription for a paid subscription-mode Checkout Session: the subscription, its first
 * invoice (recurring and one-time items) and its payment. Emits `customer.subscription.created`.
 */
export function startSubscription(
  ctx: Ctx,
  f: {
    customer: CustomerObj;
    pm: PaymentMethodObj;
    items: Array<{ price: PriceObj; quantity: number }>;
    metadata: Record<string, string>;
    description: string | null;
    trial_days: number | null;
    shipping: number;
  },
): { subscription: SubscriptionObj; invoice: InvoiceObj } {
  const now = ctx.now();
  const recurring = f.items.filter((i) => i.price.recurring);
  const first = recurring[0]!.price.recurring!;
  const trialEnd = f.trial_days ? now + f.trial_days * 86400 : null;
  const periodEnd = trialEnd ?? addInterval(now, first.interval, first.interval_count);
  const subId = newId('sub');
  const items = recurring.map((i) => ({
    id: newId('si', 14),
    object: 'subscription_item',
    billing_thresholds: null,
    created: now,
    current_period_end: periodEnd,
    current_period_start: now,
    discounts: [],
    metadata: {},
    plan: plan(i.price),
    price: i.price,
    quantity: i.quantity,
    subscription: subId,
    tax_rates: [],
  }));
  const sub: SubscriptionObj = {
    id: subId,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: periodEnd,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: 'classic' },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, reason: null },
    collection_method: 'charge_automatically',
    created: now,
    currency: first ? recurring[0]!.price.currency : 'usd',
    customer: f.customer.id,
    customer_account: null,
    days_until_due: null,
    default_payment_method: f.pm.id,
    default_source: null,
    default_tax_rates: [],
    description: f.description,
    discounts: [],
    ended_at: null,
    invoice_settings: { account_tax_ids: null, issuer: { type: 'self' } },
    items: embeddedList(items, `/v1/subscription_items?subscription=${subId}`),
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: f.metadata,
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: {
      payment_method_options: null,
      payment_method_types: null,
      save_default_payment_method: 'off',
    },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: now,
    status: trialEnd ? 'trialing' : 'active',
    test_clock: null,
    transfer_data: null,
    trial_end: trialEnd,
    trial_settings: { end_behavior: { missing_payment_method: 'create_invoice' } },
    trial_start: trialEnd ? now : null,
  };
  ctx.store.put(sub, ctx.account);
  ctx.emit('customer.subscription.created', sub);
  const lines: InvoiceLineInput[] = f.items.map((i) => ({
    price: i.price,
    quantity: trialEnd && i.price.recurring ? 0 : i.quantity,
    description: lineDescription(i.price, i.quantity, ctx),
    subscription_item: items.find((it) => it.price.id === i.price.id)?.id,
  }));
  const invoice = createPaidInvoice(ctx, sub, f.customer, f.pm, lines, {
    billing_reason: 'subscription_create',
    period_start: now,
    period_end: now,
    shipping: f.shipping,
  });
  sub.latest_invoice = invoice.id;
  ctx.store.put(sub, ctx.account);
  return { subscription: sub, invoice };
}

/** Bills the next period of a subscription (what Stripe does at the period end). */
export function renewSubscription(
  ctx: Ctx,
  sub: SubscriptionObj,
): { subscription: SubscriptionObj; invoice: InvoiceObj } {
  if (sub.status === 'canceled') throw invalidRequest(`Subscription ${sub.id} is canceled.`);
  const customer = ctx.store.get<CustomerObj>(sub.customer, ctx.account, 'customer');
  if (!customer) throw noSuch('customer', sub.customer);
  const pmId = sub.default_payment_method as string | null;
  const pm = pmId ? (ctx.store.get<PaymentMethodObj>(pmId, ctx.account, 'payment_method') ?? null) : null;
  const prev = previous(sub, ['items', 'latest_invoice', 'status']);
  const start = Number(sub.items.data[0]?.current_period_end ?? ctx.now());
  const rec = sub.items.data[0]!.price.recurring!;
  const end = addInterval(start, rec.interval, rec.interval_count);
  const invoice = createPaidInvoice(
    ctx,
    sub,
    customer,
    pm,
    sub.items.data.map((i) => ({
      price: i.price,
      quantity: i.quantity,
      description: lineDescription(i.price, i.quantity, ctx),
      subscription_item: String(i.id),
    })),
    { billing_reason: 'subscription_cycle', period_start: start, period_end: end },
  );
  for (const item of sub.items.data) {
    item.current_period_start = start;
    item.current_period_end = end;
  }
  sub.latest_invoice = invoice.id;
  // Stripe moves to the next period whether or not its invoice was paid; a failed one makes it past_due.
  sub.status = invoice.status === 'paid' ? 'active' : 'past_due';
  ctx.store.put(sub, ctx.account);
  ctx.emit('customer.subscription.updated', sub, { previous_attributes: prev });
  return { subscription: sub, invoice };
}

/** The subscription an invoice belongs to (`parent.subscription_details.subscription`). */
function subscriptionOfInvoice(ctx: Ctx, invoice: InvoiceObj): SubscriptionObj | undefined {
  const id = (invoice.parent as { subscription_details?: { subscription?: string } } | null)
    ?.subscription_details?.subscription;
  return id ? ctx.store.get<SubscriptionObj>(id, ctx.account, 'subscription') : undefined;
}

/**
 * Pays an open invoice (`POST /v1/invoices/:id/pay`, the hosted invoice page, a retry). With a new
 * payment method, it becomes the subscription's default. A paid invoice of a past_due subscription
 * makes it active again (`customer.subscription.updated`).
 */
export function payOpenInvoice(ctx: Ctx, invoice: InvoiceObj, pmParam?: string): InvoiceObj {
  if (invoice.status !== 'open')
    throw invalidRequest('Invoice is already paid or not open.', 'invoice_not_open');
  const sub = subscriptionOfInvoice(ctx, invoice);
  const pmId = pmParam ?? (sub?.default_payment_method as string | null | undefined) ?? null;
  const pm = pmId ? resolvePaymentMethod(ctx, pmId) : null;
  if (pm && sub && pmParam) {
    pm.customer = sub.customer;
    ctx.store.put(pm, ctx.account);
  }
  const error = attemptInvoicePayment(ctx, invoice, pm);
  if (error) throw error;
  if (sub && pmParam) sub.default_payment_method = pm!.id;
  if (sub && (sub.status === 'past_due' || sub.status === 'unpaid')) {
    const prev = previous(sub, ['status']);
    sub.status = 'active';
    ctx.store.put(sub, ctx.account);
    ctx.emit('customer.subscription.updated', sub, { previous_attributes: prev });
  } else if (sub) ctx.store.put(sub, ctx.account);
  return invoice;
}

/**
 * What Stripe's billing does when time passes (the test clock moved): each subscription whose period
 * ended is renewed (one invoice per period passed) or, with `cancel_at_period_end`, canceled at the
 * end; open renewal invoices are retried per RETRY_DAYS, and a fourth failure cancels the subscription.
 */
export function billDue(ctx: Ctx): void {
  const now = ctx.now();
  for (const sub of ctx.store.all<SubscriptionObj>('subscription', ctx.account)) {
    for (let guard = 0; guard < 60 && sub.status !== 'canceled'; guard++) {
      const end = Number(sub.items.data[0]?.current_period_end ?? Infinity);
      if (end > now) break;
      if (sub.cancel_at_period_end) {
        cancelSubscription(ctx, sub, 'cancellation_requested', end);
        break;
      }
      renewSubscription(ctx, sub);
    }
  }
  for (const invoice of ctx.store.all<InvoiceObj>('invoice', ctx.account)) {
    const due = invoice.next_payment_attempt as number | null;
    if (invoice.status !== 'open' || due === null || due > now) continue;
    const sub = subscriptionOfInvoice(ctx, invoice);
    if (!sub || sub.status === 'canceled') continue;
    const pmId = sub.default_payment_method as string | null;
    const pm = pmId ? (ctx.store.get<PaymentMethodObj>(pmId, ctx.account, 'payment_method') ?? null) : null;
    const error = attemptInvoicePayment(ctx, invoice, pm);
    if (!error && sub.status === 'past_due') {
      const prev = previous(sub, ['status']);
      sub.status = 'active';
      ctx.store.put(sub, ctx.account);
      ctx.emit('customer.subscription.updated', sub, { previous_attributes: prev });
    } else if (error && invoice.next_payment_attempt === null) {
      cancelSubscription(ctx, sub, 'payment_failed');
    }
  }
}

function getSubscription(ctx: Ctx, id: string): SubscriptionObj {
  const s = ctx.store.get<SubscriptionObj>(id, ctx.account, 'subscription');
  if (!s) throw noSuch('subscription', id);
  return s;
}

/** Cancels a subscription now and emits `customer.subscription.deleted`. */
export function cancelSubscription(
  ctx: Ctx,
  sub: SubscriptionObj,
  reason = 'cancellation_requested',
  at = ctx.now(),
): SubscriptionObj {
  if (sub.status === 'canceled') {
    throw invalidRequest(
      `A canceled subscription can only update its cancellation_details and metadata.`,
      'resource_missing',
    );
  }
  sub.status = 'canceled';
  sub.canceled_at = at;
  sub.ended_at = at;
  sub.cancellation_details = { comment: null, feedback: null, reason };
  ctx.store.put(sub, ctx.account);
  ctx.emit('customer.subscription.deleted', sub);
  return sub;
}

/** Products, prices, shipping rates, subscriptions and invoices. */
export const billingRoutes = new Hono<AppEnv>()
  .post(
    '/v1/products',
    stripeRoute((ctx, p) => createProduct(ctx, p)),
  )
  .get(
    '/v1/products/:id',
    stripeRoute((ctx, p, { id }) => {
      const o = ctx.store.get<StripeObject>(id!, ctx.account, 'product');
      if (!o) throw noSuch('product', id!);
      return render(ctx, o, expandPaths(p));
    }),
  )
  .post(
    '/v1/prices',
    stripeRoute((ctx, p) => render(ctx, createPrice(ctx, p, ''), expandPaths(p))),
  )
  .get(
    '/v1/prices/:id',
    stripeRoute((ctx, p, { id }) => {
      const o = ctx.store.get<PriceObj>(id!, ctx.account, 'price');
      if (!o) throw noSuch('price', id!);
      return render(ctx, o, expandPaths(p));
    }),
  )
  .get(
    '/v1/shipping_rates/:id',
    stripeRoute((ctx, p, { id }) => {
      const o = ctx.store.get<StripeObject>(id!, ctx.account, 'shipping_rate');
      if (!o) throw noSuch('shipping_rate', id!);
      return render(ctx, o, expandPaths(p));
    }),
  )

  .get(
    '/v1/subscriptions',
    stripeRoute((ctx, p) => {
      const status = str(p, 'status');
      return list(
        ctx,
        ctx.store
          .all<SubscriptionObj>('subscription', ctx.account)
          .filter((s) => p.customer === undefined || s.customer === p.customer)
          .filter((s) => (status === 'all' ? true : status ? s.status === status : s.status !== 'canceled'))
          .filter(createdFilter(p)),
        '/v1/subscriptions',
        p,
        expandPaths(p),
      );
    }),
  )
  .get(
    '/v1/subscriptions/:id',
    stripeRoute((ctx, p, { id }) => render(ctx, getSubscription(ctx, id!), expandPaths(p))),
  )
  .post(
    '/v1/subscriptions/:id',
    stripeRoute((ctx, p, { id }) => {
      const sub = getSubscription(ctx, id!);
      const keys = ['cancel_at_period_end', 'metadata', 'description', 'default_payment_method'].filter(
        (k) => p[k] !== undefined,
      );
      const pmId = str(p, 'default_payment_method');
      if (pmId !== undefined) {
        const pm = ctx.store.get<PaymentMethodObj>(pmId, ctx.account, 'payment_method');
        if (!pm) throw noSuch('payment_method', pmId, 'default_payment_method');
        if (pm.customer !== sub.customer)
          throw invalidParam(
            'default_payment_method',
            'The payment method must be attached to the customer before it can be the default.',
          );
        sub.default_payment_method = pm.id;
      }
      const prev = previous(sub, keys);
      const cape = bool(p, 'cancel_at_period_end');
      if (cape !== undefined) {
        if (sub.status === 'canceled') throw invalidRequest('A canceled subscription cannot be updated.');
        sub.cancel_at_period_end = cape;
        sub.cancel_at = cape ? Number(sub.items.data[0]?.current_period_end ?? null) : null;
      }
      sub.metadata = mergeMetadata(sub.metadata, p);
      const d = str(p, 'description');
      if (d !== undefined) sub.description = d;
      ctx.store.put(sub, ctx.account);
      if (keys.length) ctx.emit('customer.subscription.updated', sub, { previous_attributes: prev });
      return render(ctx, sub, expandPaths(p));
    }),
  )
  .delete(
    '/v1/subscriptions/:id',
    stripeRoute((ctx, p, { id }) =>
      render(ctx, cancelSubscription(ctx, getSubscription(ctx, id!)), expandPaths(p)),
    ),
  )

  .get(
    '/v1/setup_intents/:id',
    stripeRoute((ctx, p, { id }) => {
      const o = ctx.store.get<StripeObject>(id!, ctx.account, 'setup_intent');
      if (!o) throw noSuch('setup_intent', id!);
      return render(ctx, o, expandPaths(p));
    }),
  )
  .get(
    '/v1/invoices',
    stripeRoute((ctx, p) =>
      list(
        ctx,
        ctx.store
          .all<InvoiceObj>('invoice', ctx.account)
          .filter((i) => p.customer === undefined || i.customer === p.customer)
          .filter(
            (i) =>
              p.subscription === undefined ||
              (i.parent as { subscription_details?: { subscription?: string } } | null)?.subscription_details
                ?.subscription === p.subscription,
          )
          .filter((i) => p.status === undefined || i.status === p.status),
        '/v1/invoices',
        p,
        expandPaths(p),
      ),
    ),
  )
  .get(
    '/v1/invoices/:id',
    stripeRoute((ctx, p, { id }) => {
      const inv = ctx.store.get<InvoiceObj>(id!, ctx.account, 'invoice');
      if (!inv) throw noSuch('invoice', id!);
      return render(ctx, inv, expandPaths(p));
    }),
  )
  .post(
    '/v1/invoices/:id/pay',
    stripeRoute((ctx, p, { id }) => {
      const inv = ctx.store.get<InvoiceObj>(id!, ctx.account, 'invoice');
      if (!inv) throw noSuch('invoice', id!);
      return render(ctx, payOpenInvoice(ctx, inv, str(p, 'payment_method')), expandPaths(p));
    }),
  )
  .get(
    '/v1/invoice_payments',
    stripeRoute((ctx, p) => {
      const invoice = str(p, 'invoice', { required: true })!;
      if (!ctx.store.get<InvoiceObj>(invoice, ctx.account, 'invoice'))
        throw noSuch('invoice', invoice, 'invoice');
      return list(ctx, paymentsOf(ctx, invoice).data, '/v1/invoice_payments', p, expandPaths(p));
    }),
  )
  .get(
    '/v1/invoices/:id/lines',
    stripeRoute((ctx, p, { id }) => {
      const inv = ctx.store.get<InvoiceObj>(id!, ctx.account, 'invoice');
      if (!inv) throw noSuch('invoice', id!);
      const lines = (inv.lines as { data: StripeObject[] }).data;
      return list(ctx, lines, `/v1/invoices/${inv.id}/lines`, p, expandPaths(p));
    }),
  );
