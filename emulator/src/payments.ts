// Money movement shared by Checkout, PaymentIntents, refunds and transfers: Stripe's test cards and
// their outcomes, payment methods, charges, balance transactions and account balances.
import type { Ctx } from './context';
import { StripeError, invalidParam, noSuch } from './errors';
import { str, obj, type Params } from './form';
import { newId, randomBase62 } from './ids';
import type { Address, CardDetails, ChargeObj, PaymentIntentObj, PaymentMethodObj } from './types';
import type { StripeObject } from './store';

/** What charging a card does: succeed, or fail with Stripe's card error. */
export type CardOutcome = { ok: true } | { ok: false; code: string; decline_code?: string; message: string };

const DECLINED = 'Your card was declined.';

/** Stripe's documented test card numbers (docs.stripe.com/testing) and what each one does. */
const TEST_CARDS: Record<string, { brand: string; funding?: string; outcome: CardOutcome }> = {
  '4242424242424242': { brand: 'visa', outcome: { ok: true } },
  '4000056655665556': { brand: 'visa', funding: 'debit', outcome: { ok: true } },
  '5555555555554444': { brand: 'mastercard', outcome: { ok: true } },
  '2223003122003222': { brand: 'mastercard', outcome: { ok: true } },
  '378282246310005': { brand: 'amex', outcome: { ok: true } },
  '6011111111111117': { brand: 'discover', outcome: { ok: true } },
  '4000000000000077': { brand: 'visa', outcome: { ok: true } },
  '4000002500003155': { brand: 'visa', outcome: { ok: true } },
  '4000000000003220': { brand: 'visa', outcome: { ok: true } },
  // Pays, then the cardholder disputes it as fraudulent (src/api/disputes.ts).
  '4000000000000259': { brand: 'visa', outcome: { ok: true } },
  '4000000000000002': {
    brand: 'visa',
    outcome: { ok: false, code: 'card_declined', decline_code: 'generic_decline', message: DECLINED },
  },
  '4000000000009995': {
    brand: 'visa',
    outcome: {
      ok: false,
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    },
  },
  '4000000000009987': {
    brand: 'visa',
    outcome: { ok: false, code: 'card_declined', decline_code: 'lost_card', message: DECLINED },
  },
  '4000000000009979': {
    brand: 'visa',
    outcome: { ok: false, code: 'card_declined', decline_code: 'stolen_card', message: DECLINED },
  },
  '4000000000000341': {
    brand: 'visa',
    outcome: { ok: false, code: 'card_declined', decline_code: 'generic_decline', message: DECLINED },
  },
  '4000000000000069': {
    brand: 'visa',
    outcome: {
      ok: false,
      code: 'expired_card',
      decline_code: 'expired_card',
      message: 'Your card has expired.',
    },
  },
  '4000000000000127': {
    brand: 'visa',
    outcome: {
      ok: false,
      code: 'incorrect_cvc',
      decline_code: 'incorrect_cvc',
      message: "Your card's security code is incorrect.",
    },
  },
  '4000000000000119': {
    brand: 'visa',
    outcome: {
      ok: false,
      code: 'processing_error',
      decline_code: 'processing_error',
      message: 'An error occurred while processing your card. Try again in a little bit.',
    },
  },
};

/** Stripe's test PaymentMethod and token ids (`pm_card_visa`, `tok_chargeDeclined`, ...) → card number. */
const TEST_PAYMENT_METHODS: Record<string, string> = {
  card_visa: '4242424242424242',
  card_visa_debit: '4000056655665556',
  card_mastercard: '5555555555554444',
  card_amex: '378282246310005',
  card_discover: '6011111111111117',
  card_bypassPending: '4000000000000077',
  card_chargeDeclined: '4000000000000002',
  card_chargeDeclinedInsufficientFunds: '4000000000009995',
  card_chargeDeclinedLostCard: '4000000000009987',
  card_chargeDeclinedStolenCard: '4000000000009979',
  card_chargeDeclinedExpiredCard: '4000000000000069',
  card_chargeDeclinedIncorrectCvc: '4000000000000127',
  card_chargeDeclinedProcessingError: '4000000000000119',
  card_chargeCustomerFail: '4000000000000341',
  card_createDispute: '4000000000000259',
};

/** Luhn check: Stripe rejects numbers that fail it as `incorrect_number`. */
function luhn(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The outcome of charging this card number. */
export function cardOutcome(number: string): CardOutcome {
  const known = TEST_CARDS[number];
  if (known) return known.outcome;
  if (!/^\d{12,19}$/.test(number) || !luhn(number)) {
    return { ok: false, code: 'incorrect_number', message: 'Your card number is incorrect.' };
  }
  // A real card number in test mode: Stripe declines it.
  return {
    ok: false,
    code: 'card_declined',
    decline_code: 'test_mode_live_card',
    message: 'Your card was declined. Your request was in test mode, but used a non test card.',
  };
}

/** The card number the form or API gave, normalised (spaces and dashes removed). */
export function normaliseCardNumber(raw: string): string {
  return raw.replace(/[\s-]/g, '');
}

function cardDetails(number: string, expMonth?: number, expYear?: number): CardDetails {
  const brand =
    TEST_CARDS[number]?.brand ??
    (number.startsWith('4')
      ? 'visa'
      : /^(5[1-5]|2[2-7])/.test(number)
        ? 'mastercard'
        : number.startsWith('3')
          ? 'amex'
          : 'unknown');
  return {
    brand,
    last4: number.slice(-4),
    exp_month: expMonth ?? 12,
    exp_year: expYear ?? new Date().getUTCFullYear() + 3,
    funding: TEST_CARDS[number]?.funding ?? 'credit',
    country: 'US',
    fingerprint: `fp${number.slice(-8)}${number.length}`,
  };
}

/** Creates a card PaymentMethod for a card number (hosted page, Stripe.js stand-in, test ids). */
export function createPaymentMethod(
  ctx: Ctx,
  number: string,
  billing: { email?: string | null; name?: string | null; address?: Address | null } = {},
  exp?: { month?: number; year?: number },
): PaymentMethodObj {
  const pm: PaymentMethodObj = {
    id: newId('pm'),
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: {
      address: billing.address ?? null,
      email: billing.email ?? null,
      name: billing.name ?? null,
      phone: null,
    },
    card: cardDetails(number, exp?.month, exp?.year),
    created: ctx.now(),
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: 'card',
    _number: number,
  };
  return ctx.store.put(pm, ctx.account);
}

/**
 * Resolves a `payment_method` param: an existing `pm_...`, or one of Stripe's test ids
 * (`pm_card_visa`, `tok_visa`, `pm_card_chargeDeclined`, ...), which makes a new PaymentMethod.
 */
export function resolvePaymentMethod(ctx: Ctx, id: string, param = 'payment_method'): PaymentMethodObj {
  const testName = id.replace(/^(pm_|tok_)/, '');
  const number = TEST_PAYMENT_METHODS[testName] ?? TEST_PAYMENT_METHODS[`card_${testName}`];
  if (number) return createPaymentMethod(ctx, number);
  const pm = ctx.store.get<PaymentMethodObj>(id, ctx.account, 'payment_method');
  if (!pm) throw noSuch('PaymentMethod', id, param);
  return pm;
}

/** Reads `payment_method_data[card][number]` (the Stripe.js stand-in) into a PaymentMethod. */
export function paymentMethodFromData(ctx: Ctx, params: Params): PaymentMethodObj | undefined {
  const data = obj(params, 'payment_method_data');
  if (!data) return undefined;
  const card = obj(data, 'card', { prefix: 'payment_method_data' });
  const number = str(card, 'number', { required: true, prefix: 'payment_method_data[card]' })!;
  const billing = obj(data, 'billing_details');
  return createPaymentMethod(ctx, normaliseCardNumber(number), {
    email: str(billing, 'email') ?? null,
    name: str(billing, 'name') ?? null,
  });
}

/** Stripe's test card that opens a fraudulent dispute after a successful payment (`pm_card_createDispute`). */
export const DISPUTE_CARD = '4000000000000259';

/** Dispute work Stripe does moments after a request: open a dispute on a charge, or rule on evidence. */
export interface DueDispute extends StripeObject {
  object: 'emulator.dispute_due' | 'emulator.dispute_done';
  action: 'open' | 'rule';
  /** The charge to dispute (open) or the dispute to rule on (rule). */
  target: string;
  account: string | null;
  outcome?: 'won' | 'lost';
}

/** Schedules dispute work to run after the current request (see `runDueDisputes`). */
export function scheduleDispute(
  ctx: Ctx,
  due: { action: DueDispute['action']; target: string; outcome?: DueDispute['outcome'] },
): void {
  ctx.store.put<DueDispute>(
    { id: newId('emu_due'), object: 'emulator.dispute_due', account: ctx.account, ...due },
    null,
  );
}

/** Stripe's fee on a card charge in test mode: 2.9% + 30 minor units. */
export function stripeFee(amount: number): number {
  return Math.round(amount * 0.029) + 30;
}

/** Writes a balance transaction in the given account scope. */
export function balanceTransaction(
  ctx: Ctx,
  account: string | null,
  t: {
    amount: number;
    currency: string;
    fee?: number;
    type: string;
    source: string;
    description?: string | null;
    reporting_category: string;
    /** What the fee is, when it is not Stripe's processing fee (e.g. 'Dispute fee'). */
    fee_description?: string;
  },
): string {
  const fee = t.fee ?? 0;
  const txn: StripeObject = {
    id: newId('txn'),
    object: 'balance_transaction',
    amount: t.amount,
    available_on: ctx.now(),
    balance_type: 'payments',
    created: ctx.now(),
    currency: t.currency,
    description: t.description ?? null,
    exchange_rate: null,
    fee,
    fee_details: fee
      ? [
          {
            amount: fee,
            application: null,
            currency: t.currency,
            description: t.fee_description ?? 'Stripe processing fees',
            type: 'stripe_fee',
          },
        ]
      : [],
    net: t.amount - fee,
    reporting_category: t.reporting_category,
    source: t.source,
    status: 'available',
    type: t.type,
  };
  ctx.store.put(txn, account);
  return txn.id;
}

/** Available balance of an account scope (null = platform) in a currency: the sum of its balance transactions' net. */
export function availableBalance(ctx: Ctx, account: string | null, currency: string): number {
  return ctx.store
    .all<StripeObject & { net: number; currency: string }>('balance_transaction', account)
    .filter((t) => t.currency === currency)
    .reduce((sum, t) => sum + t.net, 0);
}

/** The `balance` object of an account scope. */
export function balanceObject(ctx: Ctx, account: string | null): StripeObject & Record<string, unknown> {
  const txns = ctx.store.all<StripeObject & { net: number; currency: string }>(
    'balance_transaction',
    account,
  );
  const currencies = [...new Set(txns.map((t) => t.currency))];
  if (currencies.length === 0) currencies.push('usd');
  return {
    id: 'balance',
    object: 'balance',
    available: currencies.map((c) => ({
      amount: txns.filter((t) => t.currency === c).reduce((s, t) => s + t.net, 0),
      currency: c,
      source_types: { card: txns.filter((t) => t.currency === c).reduce((s, t) => s + t.net, 0) },
    })),
    livemode: false,
    pending: currencies.map((c) => ({ amount: 0, currency: c, source_types: { card: 0 } })),
    refund_and_dispute_prefunding: { available: [], pending: [] },
  };
}

/**
 * Charges the PaymentIntent's amount to a payment method: writes the charge (and its balance
 * transaction when it succeeds) and updates the PaymentIntent. Emits the charge and intent events.
 * Returns the card error to answer with when the card is declined.
 */
export function chargePaymentIntent(
  ctx: Ctx,
  pi: PaymentIntentObj,
  pm: PaymentMethodObj,
): StripeError | null {
  const outcome = cardOutcome(pm._number);
  const now = ctx.now();
  const chargeId = newId('ch');
  const charge: ChargeObj = {
    id: chargeId,
    object: 'charge',
    amount: pi.amount,
    amount_captured: outcome.ok ? pi.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: null,
    billing_details: pm.billing_details,
    calculated_statement_descriptor: 'HARBOR MARKET',
    captured: outcome.ok,
    created: now,
    currency: pi.currency,
    customer: pi.customer,
    description: pi.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: outcome.ok ? null : outcome.code,
    failure_message: outcome.ok ? null : outcome.message,
    fraud_details: {},
    livemode: false,
    metadata: { ...pi.metadata },
    on_behalf_of: null,
    outcome: outcome.ok
      ? {
          advice_code: null,
          network_advice_code: null,
          network_decline_code: null,
          network_status: 'approved_by_network',
          reason: null,
          risk_level: 'normal',
          risk_score: 32,
          seller_message: 'Payment complete.',
          type: 'authorized',
        }
      : {
          advice_code: null,
          network_advice_code: null,
          network_decline_code: null,
          network_status: 'declined_by_network',
          reason: outcome.decline_code ?? outcome.code,
          risk_level: 'normal',
          risk_score: 32,
          seller_message: 'The bank did not return any further details with this decline.',
          type: 'issuer_declined',
        },
    paid: outcome.ok,
    payment_intent: pi.id,
    payment_method: pm.id,
    payment_method_details: {
      card: {
        amount_authorized: outcome.ok ? pi.amount : null,
        brand: pm.card.brand,
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
        country: pm.card.country,
        exp_month: pm.card.exp_month,
        exp_year: pm.card.exp_year,
        fingerprint: pm.card.fingerprint,
        funding: pm.card.funding,
        last4: pm.card.last4,
        network: pm.card.brand,
        three_d_secure: null,
        wallet: null,
      },
      type: 'card',
    },
    receipt_email: pi.receipt_email,
    receipt_number: null,
    receipt_url: outcome.ok ? `${ctx.publicUrl}/receipts/${chargeId}` : null,
    refunded: false,
    review: null,
    shipping: pi.shipping ?? null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: outcome.ok ? 'succeeded' : 'failed',
    transfer_data: null,
    transfer_group: pi.transfer_group,
  };
  if (outcome.ok) {
    charge.balance_transaction = balanceTransaction(ctx, ctx.account, {
      amount: pi.amount,
      currency: pi.currency,
      fee: stripeFee(pi.amount),
      type: 'charge',
      source: chargeId,
      description: pi.description,
      reporting_category: 'charge',
    });
  }
  ctx.store.put(charge, ctx.account);
  pi.latest_charge = chargeId;
  pi.payment_method = pm.id;
  if (outcome.ok) {
    pi.status = 'succeeded';
    pi.amount_received = pi.amount;
    pi.last_payment_error = null;
    ctx.store.put(pi, ctx.account);
    ctx.emit('charge.succeeded', charge);
    ctx.emit('payment_intent.succeeded', pi);
    // The bank's dispute comes moments later, after this request's own events (src/api/disputes.ts).
    if (pm._number === DISPUTE_CARD) scheduleDispute(ctx, { action: 'open', target: chargeId });
    return null;
  }
  const { _number: _, ...pmView } = pm;
  const error = {
    type: 'card_error',
    code: outcome.code,
    ...(outcome.decline_code ? { decline_code: outcome.decline_code } : {}),
    message: outcome.message,
    charge: chargeId,
    doc_url: `https://docs.stripe.com/error-codes/${outcome.code.replace(/_/g, '-')}`,
    payment_method: pmView,
  };
  pi.status = 'requires_payment_method';
  pi.last_payment_error = error;
  ctx.store.put(pi, ctx.account);
  ctx.emit('charge.failed', charge);
  ctx.emit('payment_intent.payment_failed', pi);
  const { type: _t, message: _m, code: _c, ...extra } = error;
  return new StripeError(402, 'card_error', outcome.message, outcome.code, undefined, {
    ...extra,
    payment_intent: { ...pi },
  });
}

/** A new PaymentIntent (status `requires_payment_method`); emits `payment_intent.created`. */
export function createPaymentIntent(
  ctx: Ctx,
  fields: {
    amount: number;
    currency: string;
    metadata?: Record<string, string>;
    transfer_group?: string | null;
    customer?: string | null;
    description?: string | null;
    receipt_email?: string | null;
    shipping?: unknown;
    automatic_payment_methods?: { enabled: boolean; allow_redirects?: string } | null;
    payment_method_types?: string[];
    statement_descriptor?: string | null;
    setup_future_usage?: string | null;
    _session?: string;
    _invoice?: string;
  },
): PaymentIntentObj {
  if (fields.amount < 50 && !['jpy', 'krw'].includes(fields.currency)) {
    throw invalidParam('amount', `Amount must be at least $0.50 ${fields.currency}`, 'amount_too_small');
  }
  const id = newId('pi');
  const pi: PaymentIntentObj = {
    id,
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount: fields.amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: fields.automatic_payment_methods ?? null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic_async',
    client_secret: `${id}_secret_${randomBase62(25)}`,
    confirmation_method: 'automatic',
    created: ctx.now(),
    currency: fields.currency,
    customer: fields.customer ?? null,
    customer_account: null,
    description: fields.description ?? null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: fields.metadata ?? {},
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: {
      card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' },
    },
    payment_method_types: fields.payment_method_types ?? ['card'],
    payment_record: null,
    processing: null,
    receipt_email: fields.receipt_email ?? null,
    review: null,
    setup_future_usage: fields.setup_future_usage ?? null,
    shipping: fields.shipping ?? null,
    source: null,
    statement_descriptor: fields.statement_descriptor ?? null,
    statement_descriptor_suffix: null,
    status: 'requires_payment_method',
    transfer_data: null,
    transfer_group: fields.transfer_group ?? null,
    ...(fields._session ? { _session: fields._session } : {}),
    ...(fields._invoice ? { _invoice: fields._invoice } : {}),
  };
  ctx.store.put(pi, ctx.account);
  ctx.emit('payment_intent.created', pi);
  return pi;
}
