// Checkout Sessions: create (payment and subscription mode), retrieve, list, expire, line items,
// and paying one (what the hosted page and the pay control endpoint do).
import { Hono } from 'hono';
import type { Ctx } from '../context';
import { StripeError, invalidParam, invalidRequest, missingParam, noSuch } from '../errors';
import {
  arr,
  bool,
  expandPaths,
  int,
  mergeMetadata,
  obj,
  oneOf,
  str,
  type Param,
  type Params,
} from '../form';
import { newId } from '../ids';
import {
  cardOutcome,
  createPaymentIntent,
  createPaymentMethod,
  chargePaymentIntent,
  normaliseCardNumber,
} from '../payments';
import { createdFilter, embeddedList, list, registerVirtual, render } from '../render';
import { stripeRoute, type AppEnv } from '../http';
import type {
  Address,
  CustomerObj,
  LineItemObj,
  PaymentIntentObj,
  PriceObj,
  SessionObj,
  ShippingRateObj,
} from '../types';
import { createPrice, startSubscription } from './billing';
import { createCustomer } from './customers';
import { getPaymentIntent } from './payments';

const LOCALES = [
  'auto',
  'bg',
  'cs',
  'da',
  'de',
  'el',
  'en',
  'en-GB',
  'es',
  'es-419',
  'et',
  'fi',
  'fil',
  'fr',
  'fr-CA',
  'hr',
  'hu',
  'id',
  'it',
  'ja',
  'ko',
  'lt',
  'lv',
  'ms',
  'mt',
  'nb',
  'nl',
  'pl',
  'pt',
  'pt-BR',
  'ro',
  'ru',
  'sk',
  'sl',
  'sv',
  'th',
  'tr',
  'vi',
  'zh',
  'zh-HK',
  'zh-TW',
] as const;

function lineItem(ctx: Ctx, raw: Param, i: number): LineItemObj {
  const prefix = `line_items[${i}]`;
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw invalidParam(prefix, 'Invalid line item', 'parameter_invalid_object');
  const quantity = int(raw, 'quantity', { required: true, prefix, min: 1 })!;
  let price: PriceObj;
  const priceId = str(raw, 'price');
  const priceData = obj(raw, 'price_data', { prefix });
  if (priceId) {
    const found = ctx.store.get<PriceObj>(priceId, ctx.account, 'price');
    if (!found) throw noSuch('price', priceId, `${prefix}[price]`);
    price = found;
  } else if (priceData) {
    price = createPrice(ctx, priceData, `${prefix}[price_data]`);
  } else {
    throw missingParam(`${prefix}[price]`);
  }
  const product = ctx.store.get<{ id: string; object: string; name: string }>(price.product, ctx.account);
  const amount = price.unit_amount * quantity;
  return {
    id: newId('li', 24),
    object: 'item',
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: amount,
    amount_tax: 0,
    amount_total: amount,
    currency: price.currency,
    description: product?.name ?? null,
    metadata: mergeMetadata({}, raw),
    price,
    quantity,
  };
}

function shippingRate(ctx: Ctx, raw: Param, i: number, currency: string): ShippingRateObj {
  const prefix = `shipping_options[${i}]`;
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw invalidParam(prefix, 'Invalid shipping option', 'parameter_invalid_object');
  const existing = str(raw, 'shipping_rate');
  if (existing) {
    const found = ctx.store.get<ShippingRateObj>(existing, ctx.account, 'shipping_rate');
    if (!found) throw noSuch('shipping_rate', existing, `${prefix}[shipping_rate]`);
    return found;
  }
  const data = obj(raw, 'shipping_rate_data', { prefix });
  if (!data) throw missingParam(`${prefix}[shipping_rate_data]`);
  const dp = `${prefix}[shipping_rate_data]`;
  const fixed = obj(data, 'fixed_amount', { prefix: dp });
  if (!fixed) throw missingParam(`${dp}[fixed_amount]`);
  const rate: ShippingRateObj = {
    id: newId('shr', 24),
    object: 'shipping_rate',
    active: true,
    created: ctx.now(),
    delivery_estimate: obj(data, 'delivery_estimate') ?? null,
    display_name: str(data, 'display_name', { required: true, prefix: dp })!,
    fixed_amount: {
      amount: int(fixed, 'amount', { required: true, prefix: `${dp}[fixed_amount]` })!,
      currency: (
        str(fixed, 'currency', { required: true, prefix: `${dp}[fixed_amount]` }) ?? currency
      ).toLowerCase(),
    },
    livemode: false,
    metadata: mergeMetadata({}, data),
    tax_behavior: str(data, 'tax_behavior') ?? 'unspecified',
    tax_code: null,
    type: 'fixed_amount',
  };
  return ctx.store.put(rate, ctx.account);
}

/** Creates a Checkout Session from API params (also used by the trigger control). */
export function createSession(ctx: Ctx, p: Params): SessionObj {
  const mode = oneOf(p, 'mode', ['payment', 'subscription', 'setup'] as const, { required: true })!;
  const rawItems = arr(p, 'line_items');
  if (mode === 'setup' && rawItems.length > 0)
    throw invalidParam('line_items', 'You can not pass `line_items` in `setup` mode.');
  // Setup mode saves a card for later (no line items); it needs a currency for the payment methods.
  const setupCurrency = mode === 'setup' ? str(p, 'currency', { required: true })!.toLowerCase() : null;
  if (rawItems.length === 0 && mode !== 'setup') throw missingParam('line_items');
  if (rawItems.length > 100)
    throw invalidParam('line_items', 'You may only specify up to 100 line items.', 'parameter_invalid_array');
  const items = rawItems.map((raw, i) => lineItem(ctx, raw, i));
  const currency = setupCurrency ?? items[0]!.currency;
  if (items.some((i) => i.currency !== currency)) {
    throw invalidParam(
      'line_items',
      'All line items must use the same currency.',
      'parameter_invalid_string',
    );
  }
  const hasRecurring = items.some((i) => i.price.recurring);
  if (mode === 'payment' && hasRecurring) {
    throw invalidParam(
      'line_items',
      'You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.',
    );
  }
  if (mode === 'subscription' && !hasRecurring) {
    throw invalidParam(
      'line_items',
      'You must provide at least one recurring price in `subscription` mode when using prices.',
    );
  }
  const piData = obj(p, 'payment_intent_data');
  if (piData && mode !== 'payment') {
    throw invalidParam(
      'payment_intent_data',
      'You can not pass `payment_intent_data` in `subscription` mode.',
    );
  }
  // https://docs.stripe.com/payments/checkout/shipping: "Only Checkout Sessions in payment mode support
  // shipping options" (a subscription's first invoice takes shipping as a one-time line item).
  if (mode !== 'payment' && p.shipping_options !== undefined) {
    throw invalidParam('shipping_options', 'Shipping options are only supported in `payment` mode.');
  }
  const subData = obj(p, 'subscription_data');
  if (subData && mode !== 'subscription') {
    throw invalidParam('subscription_data', 'You can only pass `subscription_data` in `subscription` mode.');
  }
  const uiMode = oneOf(p, 'ui_mode', ['hosted', 'embedded', 'custom'] as const) ?? 'hosted';
  const successUrl = str(p, 'success_url') ?? null;
  const returnUrl = str(p, 'return_url');
  if (uiMode !== 'hosted' && !returnUrl && bool(p, 'redirect_on_completion') !== false)
    throw missingParam('return_url');
  if (uiMode !== 'hosted' && successUrl) {
    throw invalidParam(
      'success_url',
      '`success_url` is not supported in `embedded` or `custom` ui_mode; use `return_url`.',
    );
  }
  for (const [name, value] of [
    ['success_url', successUrl],
    ['cancel_url', str(p, 'cancel_url')],
  ] as const) {
    if (value && !/^https?:\/\//.test(value)) throw invalidParam(name, `Not a valid URL`, 'url_invalid');
  }
  const customerId = str(p, 'customer');
  const customerEmail = str(p, 'customer_email');
  if (customerId && customerEmail) {
    throw invalidParam(
      'customer_email',
      'You may only specify one of these parameters: customer, customer_email.',
    );
  }
  let customer: CustomerObj | undefined;
  if (customerId) {
    customer = ctx.store.get<CustomerObj>(customerId, ctx.account, 'customer');
    if (!customer) throw noSuch('customer', customerId, 'customer');
  }
  const now = ctx.now();
  const expiresAt = int(p, 'expires_at') ?? now + 24 * 3600;
  if (expiresAt < now + 30 * 60 || expiresAt > now + 24 * 3600) {
    throw invalidParam(
      'expires_at',
      'The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.',
      'parameter_invalid_integer',
    );
  }
  const clientRef = str(p, 'client_reference_id');
  if (clientRef && clientRef.length > 200) {
    throw invalidParam('client_reference_id', 'client_reference_id must be at most 200 characters.');
  }
  const locale = oneOf(p, 'locale', LOCALES);
  const sac = obj(p, 'shipping_address_collection');
  const allowedCountries = sac
    ? arr(sac, 'allowed_countries').filter((c): c is string => typeof c === 'string')
    : [];
  if (sac && allowedCountries.length === 0)
    throw missingParam('shipping_address_collection[allowed_countries]');
  const rates = arr(p, 'shipping_options').map((raw, i) => shippingRate(ctx, raw, i, currency));
  const automaticTax = bool(obj(p, 'automatic_tax'), 'enabled') ?? false;
  const subtotal = items.reduce((s, i) => s + i.amount_subtotal, 0);
  const shippingAmount = rates[0]?.fixed_amount.amount ?? 0;
  const id = `cs_test_${newId('x', 58).slice(2)}`;
  const session: SessionObj = {
    id,
    object: 'checkout.session',
    adaptive_pricing: { enabled: false },
    after_expiration: null,
    allowed_payment_method_types: null,
    allow_promotion_codes: bool(p, 'allow_promotion_codes') ?? null,
    amount_subtotal: subtotal,
    amount_total: subtotal + shippingAmount,
    automatic_tax: {
      enabled: automaticTax,
      liability: automaticTax ? { type: 'self' } : null,
      provider: automaticTax ? 'stripe' : null,
      status: automaticTax ? 'requires_location_inputs' : null,
    },
    billing_address_collection: oneOf(p, 'billing_address_collection', ['auto', 'required'] as const) ?? null,
    cancel_url: str(p, 'cancel_url') ?? null,
    client_reference_id: clientRef ?? null,
    client_secret: uiMode === 'hosted' ? null : `${id}_secret_${newId('x', 24).slice(2)}`,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: now,
    currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: {
      after_submit: null,
      shipping_address: null,
      submit: null,
      terms_of_service_acceptance: null,
    },
    customer: customer?.id ?? null,
    customer_account: null,
    customer_creation:
      mode === 'payment' && !customer
        ? (oneOf(p, 'customer_creation', ['always', 'if_required'] as const) ?? 'if_required')
        : null,
    customer_details: customer
      ? {
          address: null,
          business_name: null,
          email: customer.email,
          individual_name: null,
          name: customer.name,
          phone: null,
          tax_exempt: 'none',
          tax_ids: null,
        }
      : customerEmail
        ? {
            address: null,
            business_name: null,
            email: customerEmail,
            individual_name: null,
            name: null,
            phone: null,
            tax_exempt: 'none',
            tax_ids: null,
          }
        : null,
    customer_email: customerEmail ?? null,
    discounts: [],
    expires_at: expiresAt,
    integration_identifier: null,
    invoice: null,
    invoice_creation:
      mode === 'payment'
        ? {
            enabled: bool(obj(p, 'invoice_creation'), 'enabled') ?? false,
            invoice_data: {
              account_tax_ids: null,
              custom_fields: null,
              description: null,
              footer: null,
              issuer: null,
              metadata: {},
              rendering_options: null,
            },
          }
        : null,
    livemode: false,
    locale: locale ?? null,
    managed_payments: null,
    metadata: mergeMetadata({}, p),
    mode,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: mode === 'subscription' ? 'always' : null,
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: arr(p, 'payment_method_types').filter((x): x is string => typeof x === 'string')
      .length
      ? arr(p, 'payment_method_types').filter((x): x is string => typeof x === 'string')
      : ['card'],
    payment_status: 'unpaid',
    permissions: null,
    phone_number_collection: { enabled: bool(obj(p, 'phone_number_collection'), 'enabled') ?? false },
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: sac ? { allowed_countries: allowedCountries } : null,
    shipping_cost: rates[0]
      ? {
          amount_subtotal: shippingAmount,
          amount_tax: 0,
          amount_total: shippingAmount,
          shipping_rate: rates[0].id,
        }
      : null,
    shipping_options: rates.map((r) => ({ shipping_amount: r.fixed_amount.amount, shipping_rate: r.id })),
    status: 'open',
    submit_type: oneOf(p, 'submit_type', ['auto', 'book', 'donate', 'pay', 'subscribe'] as const) ?? null,
    subscription: null,
    success_url: successUrl,
    total_details: { amount_discount: 0, amount_shipping: shippingAmount, amount_tax: 0 },
    ui_mode: uiMode,
    url: uiMode === 'hosted' ? `${ctx.publicUrl}/c/pay/${id}` : null,
    wallet_options: null,
    ...(returnUrl ? { return_url: returnUrl } : {}),
    _line_items: items,
    _payment_intent_data: piData
      ? {
          metadata: mergeMetadata({}, piData),
          transfer_group: str(piData, 'transfer_group') ?? null,
          description: str(piData, 'description') ?? null,
          receipt_email: str(piData, 'receipt_email') ?? null,
          statement_descriptor: str(piData, 'statement_descriptor') ?? null,
          setup_future_usage: str(piData, 'setup_future_usage') ?? null,
        }
      : null,
    _setup_intent_data:
      mode === 'setup' ? { metadata: mergeMetadata({}, obj(p, 'setup_intent_data') ?? {}) } : null,
    _subscription_data: subData
      ? {
          metadata: mergeMetadata({}, subData),
          description: str(subData, 'description') ?? null,
          trial_period_days: int(subData, 'trial_period_days', { min: 1 }) ?? null,
        }
      : null,
  };
  return ctx.store.put(session, ctx.account, expiresAt);
}

/** A session in the request's scope; an open one past `expires_at` is expired first (and emits). */
export function getSession(ctx: Ctx, id: string, param = 'session'): SessionObj {
  const s = ctx.store.get<SessionObj>(id, ctx.account, 'checkout.session');
  if (!s) throw noSuch('checkout.session', id, param);
  if (s.status === 'open' && s.expires_at <= ctx.now()) return expireSession(ctx, s);
  return s;
}

/** Expires an open session (its PaymentIntent, if any, is canceled) and emits `checkout.session.expired`. */
export function expireSession(ctx: Ctx, s: SessionObj): SessionObj {
  s.status = 'expired';
  s.url = null;
  if (s.payment_intent) {
    const pi = ctx.store.get<PaymentIntentObj>(s.payment_intent, ctx.account, 'payment_intent');
    if (pi && pi.status !== 'succeeded' && pi.status !== 'canceled') {
      pi.status = 'canceled';
      pi.canceled_at = ctx.now();
      pi.cancellation_reason = 'abandoned';
      ctx.store.put(pi, ctx.account);
      ctx.emit('payment_intent.canceled', pi);
    }
  }
  ctx.store.put(s, ctx.account, null);
  ctx.emit('checkout.session.expired', s);
  return s;
}

/** Expires every open session whose `expires_at` has passed (run by the alarm and on each request). */
export function sweepExpiredSessions(ctx: Ctx): void {
  for (const id of ctx.store.expiredIds(ctx.now())) {
    const found = ctx.store.getAny<SessionObj>(id, 'checkout.session');
    if (!found) continue;
    if (found.obj.status === 'open') expireSession(ctx.as(found.account), found.obj);
    else ctx.store.put(found.obj, found.account, null);
  }
}

/** What the shopper enters on the hosted checkout page. */
export interface PayInput {
  card: string;
  email?: string;
  name?: string;
  /** Asked when the session has `phone_number_collection.enabled`. */
  phone?: string;
  exp_month?: number;
  exp_year?: number;
  shipping?: { name?: string; address?: Partial<Address> };
  /** Which of the session's shipping rates the shopper picked (default: the first). */
  shipping_rate?: string;
}

/** Stripe's "session no longer payable" answer for expired and completed sessions. */
function notOpen(s: SessionObj): StripeError {
  return invalidRequest(
    s.status === 'expired'
      ? `This Checkout Session (${s.id}) has expired and can no longer be paid.`
      : `This Checkout Session (${s.id}) is already complete and can no longer be paid.`,
    s.status === 'expired' ? 'checkout_session_expired' : 'checkout_session_complete',
  );
}

/** The URL the shopper is sent to after paying: `success_url` with `{CHECKOUT_SESSION_ID}` filled in. */
export function successRedirect(ctx: Ctx, s: SessionObj): string {
  const target = s.success_url ?? s.return_url ?? `${ctx.publicUrl}/c/pay/${s.id}`;
  return target.replaceAll('{CHECKOUT_SESSION_ID}', s.id);
}

/**
 * Pays an open session with a card: exactly what submitting the hosted page does. On success the
 * session is complete and paid; on a decline it stays open and the card error is thrown.
 */
export function paySession(
  ctx: Ctx,
  s: SessionObj,
  input: PayInput,
): { redirect: string; session: SessionObj } {
  if (s.status !== 'open') throw notOpen(s);
  const number = normaliseCardNumber(input.card ?? '');
  if (!number) throw missingParam('card');
  // Stripe shows a Customer's e-mail without letting the shopper change it.
  const customerEmail = s.customer ? ctx.store.get<CustomerObj>(s.customer, ctx.account)?.email : null;
  const email = customerEmail || input.email?.trim() || s.customer_email || 'shopper@example.com';
  const phone = (s.phone_number_collection as { enabled?: boolean } | null)?.enabled
    ? input.phone?.trim() || '+15555550100'
    : null;
  const name = input.name?.trim() || input.shipping?.name?.trim() || 'Test Shopper';
  let shippingDetails: { name: string; address: Address } | null = null;
  if (s.shipping_address_collection) {
    const allowed = s.shipping_address_collection.allowed_countries;
    const a = input.shipping?.address ?? {};
    const address: Address = {
      line1: a.line1 ?? '1 Test Street',
      line2: a.line2 ?? null,
      city: a.city ?? 'San Francisco',
      state: a.state ?? 'CA',
      postal_code: a.postal_code ?? '94103',
      country: a.country ?? allowed[0] ?? 'US',
    };
    if (!allowed.includes(address.country!)) {
      throw invalidParam(
        'shipping[address][country]',
        `Shipping to ${address.country} is not available for this session.`,
      );
    }
    shippingDetails = { name: input.shipping?.name?.trim() || name, address };
  }
  if (input.shipping_rate && s.shipping_options.length) {
    const option = s.shipping_options.find((o) => o.shipping_rate === input.shipping_rate);
    if (!option)
      throw invalidParam('shipping_rate', `No such shipping rate on this session: ${input.shipping_rate}`);
    s.shipping_cost = {
      amount_subtotal: option.shipping_amount,
      amount_tax: 0,
      amount_total: option.shipping_amount,
      shipping_rate: option.shipping_rate,
    };
    s.total_details = { ...s.total_details, amount_shipping: option.shipping_amount };
    s.amount_total = s.amount_subtotal + option.shipping_amount;
  }
  const billingAddress: Address = {
    city: null,
    country: shippingDetails?.address.country ?? 'US',
    line1: null,
    line2: null,
    postal_code: shippingDetails?.address.postal_code ?? '94103',
    state: null,
  };
  const pm = createPaymentMethod(
    ctx,
    number,
    { email, name, address: billingAddress },
    { month: input.exp_month, year: input.exp_year },
  );
  const shippingOnIntent = shippingDetails
    ? {
        address: shippingDetails.address,
        carrier: null,
        name: shippingDetails.name,
        phone: null,
        tracking_number: null,
      }
    : null;

  const complete = (customerId: string | null) => {
    s.status = 'complete';
    s.customer = customerId;
    s.customer_details = {
      address: billingAddress,
      business_name: null,
      email,
      individual_name: null,
      name,
      phone,
      tax_exempt: 'none',
      tax_ids: [],
    };
    s.collected_information = {
      business_name: null,
      individual_name: null,
      shipping_details: shippingDetails,
    };
    if ((s.automatic_tax as { enabled: boolean }).enabled)
      (s.automatic_tax as Record<string, unknown>).status = 'complete';
    ctx.store.put(s, ctx.account, null);
    ctx.emit('checkout.session.completed', s);
  };

  if (s.mode === 'setup') {
    // A card saved for later: a SetupIntent with the PaymentMethod attached to the customer.
    const outcome = cardOutcome(number);
    if (!outcome.ok) {
      throw new StripeError(402, 'card_error', outcome.message, outcome.code, undefined, {
        ...(outcome.decline_code ? { decline_code: outcome.decline_code } : {}),
      });
    }
    let customer = s.customer ? ctx.store.get<CustomerObj>(s.customer, ctx.account, 'customer') : undefined;
    customer ??= createCustomer(ctx, { email, name, shipping: null });
    pm.customer = customer.id;
    ctx.store.put(pm, ctx.account);
    const seti = ctx.store.put(
      {
        id: newId('seti'),
        object: 'setup_intent',
        allowed_payment_method_types: null,
        application: null,
        automatic_payment_methods: null,
        cancellation_reason: null,
        client_secret: null,
        created: ctx.now(),
        customer: customer.id,
        description: null,
        excluded_payment_method_types: null,
        flow_directions: null,
        last_setup_error: null,
        latest_attempt: null,
        livemode: false,
        mandate: null,
        metadata: { ...((s._setup_intent_data?.metadata as Record<string, string> | undefined) ?? {}) },
        next_action: null,
        on_behalf_of: null,
        payment_method: pm.id,
        payment_method_configuration_details: null,
        payment_method_options: {},
        payment_method_types: ['card'],
        single_use_mandate: null,
        status: 'succeeded',
        usage: 'off_session',
      },
      ctx.account,
    );
    ctx.emit('setup_intent.created', seti);
    ctx.emit('setup_intent.succeeded', seti);
    s.setup_intent = seti.id;
    s.payment_status = 'no_payment_required';
    complete(customer.id);
    return { redirect: successRedirect(ctx, s), session: s };
  }

  if (s.mode === 'subscription') {
    // Decide the card first: a declined card leaves no subscription behind.
    const outcome = cardOutcome(number);
    if (!outcome.ok) {
      throw new StripeError(402, 'card_error', outcome.message, outcome.code, undefined, {
        ...(outcome.decline_code ? { decline_code: outcome.decline_code } : {}),
      });
    }
    let customer = s.customer ? ctx.store.get<CustomerObj>(s.customer, ctx.account, 'customer') : undefined;
    customer ??= createCustomer(ctx, { email, name, shipping: shippingOnIntent ?? null });
    pm.customer = customer.id;
    ctx.store.put(pm, ctx.account);
    const data = s._subscription_data ?? {};
    const { subscription, invoice } = startSubscription(ctx, {
      customer,
      pm,
      items: s._line_items.map((i) => ({ price: i.price, quantity: i.quantity })),
      metadata: (data.metadata as Record<string, string>) ?? {},
      description: (data.description as string | null) ?? null,
      trial_days: (data.trial_period_days as number | null) ?? null,
      shipping: s.total_details.amount_shipping,
    });
    s.subscription = subscription.id;
    s.invoice = invoice.id;
    s.payment_status = invoice.total > 0 ? 'paid' : 'no_payment_required';
    complete(customer.id);
    return { redirect: successRedirect(ctx, s), session: s };
  }

  let customerId = s.customer;
  if (!customerId && s.customer_creation === 'always') {
    customerId = createCustomer(ctx, { email, name, shipping: shippingOnIntent ?? null }).id;
  }
  const data = s._payment_intent_data ?? {};
  let pi = s.payment_intent ? getPaymentIntent(ctx, s.payment_intent) : undefined;
  if (!pi) {
    pi = createPaymentIntent(ctx, {
      amount: s.amount_total,
      currency: s.currency,
      metadata: (data.metadata as Record<string, string>) ?? {},
      transfer_group: (data.transfer_group as string | null) ?? null,
      customer: customerId,
      description: (data.description as string | null) ?? null,
      receipt_email: (data.receipt_email as string | null) ?? null,
      statement_descriptor: (data.statement_descriptor as string | null) ?? null,
      setup_future_usage: (data.setup_future_usage as string | null) ?? null,
      shipping: shippingOnIntent,
      _session: s.id,
    });
    s.payment_intent = pi.id;
    ctx.store.put(s, ctx.account, s.expires_at);
  } else {
    pi.amount = s.amount_total;
    pi.customer = customerId;
    pi.shipping = shippingOnIntent;
  }
  if (customerId) {
    pm.customer = customerId;
    ctx.store.put(pm, ctx.account);
  }
  const error = chargePaymentIntent(ctx, pi, pm);
  if (error) throw error;
  s.payment_status = 'paid';
  complete(customerId);
  return { redirect: successRedirect(ctx, s), session: s };
}

/** The session's line items as a list object (its `line_items` field when expanded). */
function lineItemList(ctx: Ctx, session: { id: string }): unknown {
  const found = ctx.store.getAny<SessionObj>(session.id, 'checkout.session');
  const items = found?.obj._line_items ?? [];
  return embeddedList(
    items.map((i) => ({ ...i })),
    `/v1/checkout/sessions/${session.id}/line_items`,
  );
}
registerVirtual('checkout.session', 'line_items', lineItemList);

/** Checkout Sessions: create, list, retrieve, update, expire, line items. */
export const checkoutRoutes = new Hono<AppEnv>()
  .post(
    '/v1/checkout/sessions',
    stripeRoute((ctx, p) => render(ctx, createSession(ctx, p), expandPaths(p))),
  )
  .get(
    '/v1/checkout/sessions',
    stripeRoute((ctx, p) =>
      list(
        ctx,
        ctx.store
          .all<SessionObj>('checkout.session', ctx.account)
          .filter((s) => p.payment_intent === undefined || s.payment_intent === p.payment_intent)
          .filter((s) => p.customer === undefined || s.customer === p.customer)
          .filter((s) => p.status === undefined || s.status === p.status)
          .filter((s) => p.subscription === undefined || s.subscription === p.subscription)
          .filter(createdFilter(p)),
        '/v1/checkout/sessions',
        p,
        expandPaths(p),
      ),
    ),
  )
  .get(
    '/v1/checkout/sessions/:id',
    stripeRoute((ctx, p, { id }) => render(ctx, getSession(ctx, id!), expandPaths(p))),
  )
  .post(
    '/v1/checkout/sessions/:id',
    stripeRoute((ctx, p, { id }) => {
      const s = getSession(ctx, id!);
      s.metadata = mergeMetadata(s.metadata, p);
      ctx.store.put(s, ctx.account, s.status === 'open' ? s.expires_at : null);
      return render(ctx, s, expandPaths(p));
    }),
  )
  .post(
    '/v1/checkout/sessions/:id/expire',
    stripeRoute((ctx, p, { id }) => {
      const s = getSession(ctx, id!);
      if (s.status !== 'open') {
        throw invalidRequest(
          `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${s.status}".`,
        );
      }
      return render(ctx, expireSession(ctx, s), expandPaths(p));
    }),
  )
  .get(
    '/v1/checkout/sessions/:id/line_items',
    stripeRoute((ctx, p, { id }) => {
      const s = getSession(ctx, id!);
      return list(ctx, s._line_items, `/v1/checkout/sessions/${s.id}/line_items`, p, expandPaths(p));
    }),
  );
