// PaymentIntents, Charges, Refunds, PaymentMethods and the balance.
import { Hono } from 'hono';
import type { Ctx } from '../context';
import { previous } from '../context';
import { StripeError, invalidParam, invalidRequest, missingParam, noSuch } from '../errors';
import { arr, bool, expandPaths, int, mergeMetadata, obj, oneOf, str, type Params } from '../form';
import { newId } from '../ids';
import {
  balanceObject,
  balanceTransaction,
  chargePaymentIntent,
  createPaymentIntent,
  paymentMethodFromData,
  resolvePaymentMethod,
} from '../payments';
import { createdFilter, list, render } from '../render';
import { stripeRoute, type AppEnv } from '../http';
import type { StripeObject } from '../store';
import type { Address, ChargeObj, PaymentIntentObj, PaymentMethodObj, RefundObj } from '../types';

/** Reads an `address` hash param. */
export function addressParam(p: Params | undefined, prefix: string): Address | null {
  if (!p) return null;
  return {
    city: str(p, 'city', { prefix }) ?? null,
    country: str(p, 'country', { prefix }) ?? null,
    line1: str(p, 'line1', { prefix }) ?? null,
    line2: str(p, 'line2', { prefix }) ?? null,
    postal_code: str(p, 'postal_code', { prefix }) ?? null,
    state: str(p, 'state', { prefix }) ?? null,
  };
}

/** Reads a `shipping` hash param ({ name, address, phone }). */
export function shippingParam(p: Params, name = 'shipping'): Record<string, unknown> | undefined {
  const s = obj(p, name);
  if (!s) return undefined;
  return {
    address: addressParam(obj(s, 'address', { prefix: name }), `${name}[address]`),
    carrier: str(s, 'carrier') ?? null,
    name: str(s, 'name', { required: true, prefix: name }),
    phone: str(s, 'phone') ?? null,
    tracking_number: str(s, 'tracking_number') ?? null,
  };
}

/** A PaymentIntent in the request's scope, or Stripe's 404. */
export function getPaymentIntent(ctx: Ctx, id: string, param = 'intent'): PaymentIntentObj {
  const pi = ctx.store.get<PaymentIntentObj>(id, ctx.account, 'payment_intent');
  if (!pi) throw noSuch('payment_intent', id, param);
  return pi;
}

/** A Charge in the request's scope, or Stripe's 404. */
export function getCharge(ctx: Ctx, id: string, param = 'charge'): ChargeObj {
  const ch = ctx.store.get<ChargeObj>(id, ctx.account, 'charge');
  if (!ch) throw noSuch('charge', id, param);
  return ch;
}

/** Publishable-key calls (Stripe.js) must present the intent's client secret. */
function checkClientSecret(ctx: Ctx, pi: PaymentIntentObj, params: Params): void {
  if (!ctx.publishable) return;
  const secret = str(params, 'client_secret');
  if (secret !== pi.client_secret) {
    throw new StripeError(
      400,
      'invalid_request_error',
      `The client_secret provided does not match the client_secret associated with the PaymentIntent.`,
      'payment_intent_invalid_parameter',
      'client_secret',
    );
  }
}

function unexpectedState(pi: PaymentIntentObj, action: string, allowed: string[]): StripeError {
  return new StripeError(
    400,
    'invalid_request_error',
    `You cannot ${action} this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be ${action === 'confirm' ? 'confirmed' : `${action}ed`}: ${allowed.join(', ')}.`,
    'payment_intent_unexpected_state',
    undefined,
    { payment_intent: { ...pi } },
  );
}

/** Confirms a PaymentIntent with a payment method: charges the card. Throws the card error on decline. */
export function confirmPaymentIntent(ctx: Ctx, pi: PaymentIntentObj, pm: PaymentMethodObj): PaymentIntentObj {
  assertConfirmable(pi);
  const error = chargePaymentIntent(ctx, pi, pm);
  if (error) throw error;
  return pi;
}

/** Throws Stripe's `payment_intent_unexpected_state` unless the intent can still be confirmed. */
export function assertConfirmable(pi: PaymentIntentObj): void {
  const allowed = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
  if (!allowed.includes(pi.status)) {
    if (pi.status === 'succeeded') {
      throw new StripeError(
        400,
        'invalid_request_error',
        'You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.',
        'payment_intent_unexpected_state',
        undefined,
        { payment_intent: { ...pi } },
      );
    }
    throw unexpectedState(pi, 'confirm', allowed);
  }
}

function createIntent(ctx: Ctx, p: Params): unknown {
  const amount = int(p, 'amount', { required: true })!;
  const currency = str(p, 'currency', { required: true })!.toLowerCase();
  const apm = obj(p, 'automatic_payment_methods');
  const capture = oneOf(p, 'capture_method', ['automatic', 'automatic_async', 'manual'] as const);
  if (capture === 'manual') {
    throw invalidParam(
      'capture_method',
      'The emulator supports only automatic capture.',
      'parameter_invalid_string',
    );
  }
  const customer = str(p, 'customer');
  if (customer && !ctx.store.get(customer, ctx.account, 'customer'))
    throw noSuch('customer', customer, 'customer');
  const pi = createPaymentIntent(ctx, {
    amount,
    currency,
    metadata: mergeMetadata({}, p),
    transfer_group: str(p, 'transfer_group') ?? null,
    customer: customer ?? null,
    description: str(p, 'description') ?? null,
    receipt_email: str(p, 'receipt_email') ?? null,
    shipping: shippingParam(p) ?? null,
    automatic_payment_methods: apm
      ? { enabled: bool(apm, 'enabled') ?? false, allow_redirects: str(apm, 'allow_redirects') ?? 'always' }
      : null,
    payment_method_types: arr(p, 'payment_method_types').filter((x): x is string => typeof x === 'string'),
    statement_descriptor: str(p, 'statement_descriptor') ?? null,
    setup_future_usage: str(p, 'setup_future_usage') ?? null,
  });
  if (!(pi.payment_method_types as string[]).length) pi.payment_method_types = ['card'];
  const pmId = str(p, 'payment_method');
  if (pmId) {
    const pm = resolvePaymentMethod(ctx, pmId);
    pi.payment_method = pm.id;
    pi.status = 'requires_confirmation';
    ctx.store.put(pi, ctx.account);
    if (bool(p, 'confirm')) confirmPaymentIntent(ctx, pi, pm);
  } else if (bool(p, 'confirm')) {
    throw missingParam('payment_method');
  }
  return render(ctx, pi, expandPaths(p));
}

function updateIntent(ctx: Ctx, p: Params, id: string): unknown {
  const pi = getPaymentIntent(ctx, id);
  if (pi.status === 'succeeded' || pi.status === 'canceled') {
    const amount = str(p, 'amount');
    if (amount !== undefined)
      throw unexpectedState(pi, 'update', ['requires_payment_method', 'requires_confirmation']);
  }
  const amount = int(p, 'amount');
  if (amount !== undefined) pi.amount = amount;
  const currency = str(p, 'currency');
  if (currency) pi.currency = currency.toLowerCase();
  pi.metadata = mergeMetadata(pi.metadata, p);
  for (const k of ['description', 'receipt_email', 'transfer_group', 'statement_descriptor'] as const) {
    const v = p[k];
    if (typeof v === 'string') pi[k] = v === '' ? null : v;
  }
  const shipping = shippingParam(p);
  if (shipping) pi.shipping = shipping;
  const pmId = str(p, 'payment_method');
  if (pmId) {
    pi.payment_method = resolvePaymentMethod(ctx, pmId).id;
    if (pi.status === 'requires_payment_method') pi.status = 'requires_confirmation';
  }
  ctx.store.put(pi, ctx.account);
  return render(ctx, pi, expandPaths(p));
}

function confirmIntent(ctx: Ctx, p: Params, id: string): unknown {
  const pi = getPaymentIntent(ctx, id);
  checkClientSecret(ctx, pi, p);
  let pm = paymentMethodFromData(ctx, p);
  const pmId = str(p, 'payment_method');
  if (!pm && pmId) pm = resolvePaymentMethod(ctx, pmId);
  if (!pm && pi.payment_method)
    pm = ctx.store.get<PaymentMethodObj>(pi.payment_method, ctx.account, 'payment_method');
  if (!pm) {
    assertConfirmable(pi);
    throw new StripeError(
      400,
      'invalid_request_error',
      "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent with a payment method, pass `payment_method`.",
      'payment_intent_unexpected_state',
      'payment_method',
    );
  }
  const receipt = str(p, 'receipt_email');
  if (receipt) pi.receipt_email = receipt;
  confirmPaymentIntent(ctx, pi, pm);
  return render(ctx, pi, expandPaths(p));
}

function cancelIntent(ctx: Ctx, p: Params, id: string): unknown {
  const pi = getPaymentIntent(ctx, id);
  const allowed = [
    'requires_payment_method',
    'requires_capture',
    'requires_confirmation',
    'requires_action',
    'processing',
  ];
  if (!allowed.includes(pi.status)) throw unexpectedState(pi, 'cancel', allowed);
  if (pi._session) {
    const session = ctx.store.get<StripeObject & { status: string }>(pi._session, ctx.account);
    if (session?.status === 'open') {
      throw invalidRequest(
        'You cannot cancel this PaymentIntent because it was created by Checkout. Expire the Checkout Session instead.',
        'payment_intent_unexpected_state',
      );
    }
  }
  pi.status = 'canceled';
  pi.canceled_at = ctx.now();
  pi.cancellation_reason =
    oneOf(p, 'cancellation_reason', [
      'duplicate',
      'fraudulent',
      'requested_by_customer',
      'abandoned',
    ] as const) ?? null;
  ctx.store.put(pi, ctx.account);
  ctx.emit('payment_intent.canceled', pi);
  return render(ctx, pi, expandPaths(p));
}

/** Refunds part or all of a charge; never more than what remains. */
export function createRefund(
  ctx: Ctx,
  charge: ChargeObj,
  opts: { amount?: number; metadata?: Record<string, string>; reason?: string | null },
): RefundObj {
  if (charge.status !== 'succeeded') {
    throw invalidRequest(
      `Charge ${charge.id} has not succeeded and cannot be refunded.`,
      'charge_not_refundable',
    );
  }
  // A chargeback already took the money back: Stripe refuses to refund it too (unless the dispute was won).
  const chargeback = charge.disputed
    ? ctx.store
        .all<StripeObject & { charge: string; status: string }>('dispute', ctx.account)
        .find((d) => d.charge === charge.id && d.status !== 'won' && !d.status.startsWith('warning_'))
    : undefined;
  if (chargeback) {
    throw invalidRequest(
      `Charge ${charge.id} has been charged back; cannot issue a refund.`,
      'charge_disputed',
    );
  }
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining <= 0) {
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, 'charge_already_refunded');
  }
  const amount = opts.amount ?? remaining;
  if (amount <= 0)
    throw invalidParam('amount', 'Refund amount must be greater than zero.', 'parameter_invalid_integer');
  if (amount > remaining) {
    throw invalidRequest(
      `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`,
      'amount_too_large',
      'amount',
    );
  }
  const id = newId('re');
  const refund: RefundObj = {
    id,
    object: 'refund',
    amount,
    balance_transaction: balanceTransaction(ctx, ctx.account, {
      amount: -amount,
      currency: charge.currency,
      type: 'refund',
      source: id,
      description: 'REFUND FOR CHARGE',
      reporting_category: 'refund',
    }),
    charge: charge.id,
    created: ctx.now(),
    currency: charge.currency,
    customer: charge.customer,
    customer_account: null,
    destination_details: {
      card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' },
      type: 'card',
    },
    metadata: opts.metadata ?? {},
    payment_intent: charge.payment_intent,
    payment_method: charge.payment_method,
    reason: opts.reason ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
  ctx.store.put(refund, ctx.account);
  const prev = previous(charge, ['amount_refunded', 'refunded']);
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded >= charge.amount;
  ctx.store.put(charge, ctx.account);
  ctx.emit('refund.created', refund);
  ctx.emit('charge.refunded', charge, { previous_attributes: prev });
  return refund;
}

function refundCreate(ctx: Ctx, p: Params): unknown {
  const chargeId = str(p, 'charge');
  const piId = str(p, 'payment_intent');
  if (!chargeId && !piId) throw missingParam('charge');
  let charge: ChargeObj;
  if (chargeId) {
    charge = getCharge(ctx, chargeId);
    if (piId && charge.payment_intent !== piId) {
      throw invalidRequest(
        `Charge ${chargeId} does not belong to PaymentIntent ${piId}.`,
        undefined,
        'payment_intent',
      );
    }
  } else {
    const pi = getPaymentIntent(ctx, piId!, 'payment_intent');
    const latest = pi.latest_charge
      ? ctx.store.get<ChargeObj>(pi.latest_charge, ctx.account, 'charge')
      : undefined;
    if (!latest || latest.status !== 'succeeded') {
      throw invalidRequest(
        `This PaymentIntent (${pi.id}) does not have a successful charge to refund.`,
        'charge_not_refundable',
        'payment_intent',
      );
    }
    charge = latest;
  }
  const refund = createRefund(ctx, charge, {
    amount: int(p, 'amount', { min: 1 }),
    metadata: mergeMetadata({}, p),
    reason: oneOf(p, 'reason', ['duplicate', 'fraudulent', 'requested_by_customer'] as const) ?? null,
  });
  return render(ctx, refund, expandPaths(p));
}

function refundUpdate(ctx: Ctx, p: Params, id: string): unknown {
  const refund = ctx.store.get<RefundObj>(id, ctx.account, 'refund');
  if (!refund) throw noSuch('refund', id);
  refund.metadata = mergeMetadata(refund.metadata as Record<string, string>, p);
  ctx.store.put(refund, ctx.account);
  ctx.emit('refund.updated', refund);
  return render(ctx, refund, expandPaths(p));
}

function byField<T extends StripeObject>(p: Params, fields: string[]): (o: T) => boolean {
  return (o) => fields.every((f) => p[f] === undefined || o[f] === p[f]);
}

/** PaymentIntents, charges, refunds, payment methods, balance and balance transactions. */
export const paymentRoutes = new Hono<AppEnv>()
  .post(
    '/v1/payment_intents',
    stripeRoute((ctx, p) => createIntent(ctx, p)),
  )
  .get(
    '/v1/payment_intents',
    stripeRoute((ctx, p) =>
      list(
        ctx,
        ctx.store
          .all<PaymentIntentObj>('payment_intent', ctx.account)
          .filter(byField(p, ['customer']))
          .filter(createdFilter(p)),
        '/v1/payment_intents',
        p,
        expandPaths(p),
      ),
    ),
  )
  .get(
    '/v1/payment_intents/:id',
    stripeRoute((ctx, p, { id }) => {
      const pi = getPaymentIntent(ctx, id!);
      checkClientSecret(ctx, pi, p);
      return render(ctx, pi, expandPaths(p));
    }),
  )
  .post(
    '/v1/payment_intents/:id',
    stripeRoute((ctx, p, { id }) => updateIntent(ctx, p, id!)),
  )
  .post(
    '/v1/payment_intents/:id/confirm',
    stripeRoute((ctx, p, { id }) => confirmIntent(ctx, p, id!)),
  )
  .post(
    '/v1/payment_intents/:id/cancel',
    stripeRoute((ctx, p, { id }) => cancelIntent(ctx, p, id!)),
  )

  .get(
    '/v1/charges',
    stripeRoute((ctx, p) =>
      list(
        ctx,
        ctx.store
          .all<ChargeObj>('charge', ctx.account)
          .filter(byField(p, ['payment_intent', 'transfer_group', 'customer']))
          .filter(createdFilter(p)),
        '/v1/charges',
        p,
        expandPaths(p),
      ),
    ),
  )
  .get(
    '/v1/charges/:id',
    stripeRoute((ctx, p, { id }) => render(ctx, getCharge(ctx, id!, 'id'), expandPaths(p))),
  )
  .post(
    '/v1/charges/:id',
    stripeRoute((ctx, p, { id }) => {
      const ch = getCharge(ctx, id!, 'id');
      ch.metadata = mergeMetadata(ch.metadata, p);
      const desc = str(p, 'description');
      if (desc !== undefined) ch.description = desc;
      ctx.store.put(ch, ctx.account);
      ctx.emit('charge.updated', ch);
      return render(ctx, ch, expandPaths(p));
    }),
  )

  .post(
    '/v1/refunds',
    stripeRoute((ctx, p) => refundCreate(ctx, p)),
  )
  .get(
    '/v1/refunds',
    stripeRoute((ctx, p) =>
      list(
        ctx,
        ctx.store.all<RefundObj>('refund', ctx.account).filter(byField(p, ['charge', 'payment_intent'])),
        '/v1/refunds',
        p,
        expandPaths(p),
      ),
    ),
  )
  .get(
    '/v1/refunds/:id',
    stripeRoute((ctx, p, { id }) => {
      const r = ctx.store.get<RefundObj>(id!, ctx.account, 'refund');
      if (!r) throw noSuch('refund', id!);
      return render(ctx, r, expandPaths(p));
    }),
  )
  .post(
    '/v1/refunds/:id',
    stripeRoute((ctx, p, { id }) => refundUpdate(ctx, p, id!)),
  )

  .get(
    '/v1/payment_methods/:id',
    stripeRoute((ctx, p, { id }) => {
      const pm = ctx.store.get<PaymentMethodObj>(id!, ctx.account, 'payment_method');
      if (!pm) throw noSuch('PaymentMethod', id!);
      return render(ctx, pm, expandPaths(p));
    }),
  )
  .get(
    '/v1/balance',
    stripeRoute((ctx) => balanceObject(ctx, ctx.account)),
  )
  .get(
    '/v1/balance_transactions',
    stripeRoute((ctx, p) =>
      list(
        ctx,
        ctx.store
          .all<StripeObject>('balance_transaction', ctx.account)
          .filter(byField(p, ['type', 'source', 'currency'])),
        '/v1/balance_transactions',
        p,
        expandPaths(p),
      ),
    ),
  )
  .get(
    '/v1/balance_transactions/:id',
    stripeRoute((ctx, p, { id }) => {
      const t = ctx.store.get<StripeObject>(id!, ctx.account, 'balance_transaction');
      if (!t) throw noSuch('balance_transaction', id!);
      return render(ctx, t, expandPaths(p));
    }),
  );
