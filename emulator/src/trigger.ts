// POST /_emulator/trigger: like `stripe trigger <event>`, builds the objects that make Stripe emit
// an event (a payment, a refund, an onboarded account...) so the real events follow.
import type { Ctx } from './context';
import { invalidParam, invalidRequest } from './errors';
import type { Params } from './form';
import { createPaymentIntent, chargePaymentIntent, resolvePaymentMethod } from './payments';
import type { StripeObject } from './store';
import type { AccountObj, ChargeObj, PaymentIntentObj, SessionObj, SubscriptionObj } from './types';
import { cancelSubscription } from './api/billing';
import { createSession, expireSession, paySession } from './api/checkout';
import { completeOnboarding, createAccount, createReversal, createTransfer, getAccount } from './api/connect';
import { createCustomer } from './api/customers';
import { createRefund } from './api/payments';

export interface TriggerBody {
  type?: string;
  amount?: number;
  currency?: string;
  metadata?: Record<string, string>;
  transfer_group?: string;
  client_reference_id?: string;
  /** Connected account for Connect triggers (an onboarded one is created when absent). */
  account?: string;
  /** Emit this exact object as the event's `data.object` (any event type). */
  object?: StripeObject;
}

export const TRIGGERS = [
  'payment_intent.created',
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  'charge.succeeded',
  'charge.failed',
  'charge.refunded',
  'refund.created',
  'checkout.session.completed',
  'checkout.session.expired',
  'customer.created',
  'customer.subscription.created',
  'customer.subscription.deleted',
  'invoice.paid',
  'invoice.payment_succeeded',
  'account.updated',
  'transfer.created',
  'transfer.reversed',
] as const;

function paidIntent(ctx: Ctx, b: TriggerBody, card = 'pm_card_visa'): PaymentIntentObj {
  const pi = createPaymentIntent(ctx, {
    amount: b.amount ?? 2000,
    currency: b.currency ?? 'usd',
    metadata: b.metadata ?? {},
    transfer_group: b.transfer_group ?? null,
    description: '(created by the emulator trigger)',
  });
  chargePaymentIntent(ctx, pi, resolvePaymentMethod(ctx, card));
  return pi;
}

function sessionParams(b: TriggerBody, mode: 'payment' | 'subscription'): Params {
  const p: Params = {
    mode,
    success_url: 'http://localhost/success?session_id={CHECKOUT_SESSION_ID}',
    cancel_url: 'http://localhost/cancel',
    line_items: [
      {
        quantity: '1',
        price_data: {
          currency: b.currency ?? 'usd',
          unit_amount: String(b.amount ?? 2000),
          product_data: { name: 'Triggered item' },
          ...(mode === 'subscription' ? { recurring: { interval: 'month' } } : {}),
        },
      },
    ],
  };
  if (b.metadata) p.metadata = b.metadata;
  if (b.client_reference_id) p.client_reference_id = b.client_reference_id;
  if (mode === 'payment' && (b.transfer_group || b.metadata)) {
    p.payment_intent_data = {
      ...(b.transfer_group ? { transfer_group: b.transfer_group } : {}),
      ...(b.metadata ? { metadata: b.metadata } : {}),
    };
  }
  return p;
}

function onboardedAccount(ctx: Ctx, id?: string): AccountObj {
  if (id) return getAccount(ctx, id);
  const platform = ctx.as(null);
  const account = createAccount(platform, {
    type: 'express',
    business_profile: { name: 'Triggered Vendor' },
    capabilities: { transfers: { requested: 'true' }, card_payments: { requested: 'true' } },
  });
  return completeOnboarding(platform, account);
}

/** Runs a trigger; answers the objects it made. */
export function runTrigger(ctx: Ctx, b: TriggerBody): Record<string, unknown> {
  const type = b.type;
  if (!type) throw invalidParam('type', 'Missing required param: type.', 'parameter_missing');
  if (b.object) {
    if (typeof b.object !== 'object' || typeof b.object.object !== 'string') {
      throw invalidParam('object', '`object` must be a Stripe object with an `object` field.');
    }
    const event = ctx.emit(
      type,
      { ...b.object, id: b.object.id ?? 'obj_trigger' },
      { account: b.account ?? null },
    );
    return { event: event.id };
  }
  switch (type) {
    case 'payment_intent.created': {
      const pi = createPaymentIntent(ctx, {
        amount: b.amount ?? 2000,
        currency: b.currency ?? 'usd',
        metadata: b.metadata,
        transfer_group: b.transfer_group,
      });
      return { payment_intent: pi.id };
    }
    case 'payment_intent.succeeded':
    case 'charge.succeeded': {
      const pi = paidIntent(ctx, b);
      return { payment_intent: pi.id, charge: pi.latest_charge };
    }
    case 'payment_intent.payment_failed':
    case 'charge.failed': {
      const pi = paidIntent(ctx, b, 'pm_card_chargeDeclined');
      return { payment_intent: pi.id, charge: pi.latest_charge };
    }
    case 'payment_intent.canceled': {
      const pi = createPaymentIntent(ctx, {
        amount: b.amount ?? 2000,
        currency: b.currency ?? 'usd',
        metadata: b.metadata,
      });
      pi.status = 'canceled';
      pi.canceled_at = ctx.now();
      pi.cancellation_reason = 'requested_by_customer';
      ctx.store.put(pi, ctx.account);
      ctx.emit('payment_intent.canceled', pi);
      return { payment_intent: pi.id };
    }
    case 'charge.refunded':
    case 'refund.created': {
      const pi = paidIntent(ctx, b);
      const charge = ctx.store.get<ChargeObj>(pi.latest_charge!, ctx.account, 'charge')!;
      const refund = createRefund(ctx, charge, {});
      return { payment_intent: pi.id, charge: charge.id, refund: refund.id };
    }
    case 'checkout.session.completed': {
      const s = createSession(ctx, sessionParams(b, 'payment'));
      const { redirect } = paySession(ctx, s, { card: '4242424242424242' });
      return { checkout_session: s.id, payment_intent: s.payment_intent, redirect };
    }
    case 'checkout.session.expired': {
      const s = createSession(ctx, sessionParams(b, 'payment'));
      expireSession(ctx, s);
      return { checkout_session: s.id };
    }
    case 'customer.created': {
      const c = createCustomer(ctx, {
        email: 'triggered@example.com',
        name: 'Triggered Customer',
        metadata: b.metadata,
      });
      return { customer: c.id };
    }
    case 'customer.subscription.created':
    case 'invoice.paid':
    case 'invoice.payment_succeeded':
    case 'customer.subscription.deleted': {
      const s = createSession(ctx, sessionParams(b, 'subscription'));
      paySession(ctx, s, { card: '4242424242424242' });
      const fresh = ctx.store.get<SessionObj>(s.id, ctx.account)!;
      if (type === 'customer.subscription.deleted') {
        cancelSubscription(ctx, ctx.store.get<SubscriptionObj>(fresh.subscription!, ctx.account)!);
      }
      return { checkout_session: s.id, subscription: fresh.subscription, invoice: fresh.invoice };
    }
    case 'account.updated': {
      if (b.account) {
        const a = getAccount(ctx, b.account);
        if (!a.details_submitted) return { account: completeOnboarding(ctx.as(null), a).id };
        ctx.emit('account.updated', a, { account: a.id, previous_attributes: { metadata: a.metadata } });
        return { account: a.id };
      }
      return { account: onboardedAccount(ctx).id };
    }
    case 'transfer.created':
    case 'transfer.reversed': {
      const account = onboardedAccount(ctx, b.account);
      const pi = paidIntent(ctx.as(null), { ...b, amount: b.amount ?? 2000 });
      const transfer = createTransfer(ctx.as(null), {
        amount: Math.floor((b.amount ?? 2000) * 0.9),
        currency: b.currency ?? 'usd',
        destination: account.id,
        transfer_group: b.transfer_group ?? pi.transfer_group,
        source_transaction: pi.latest_charge,
        metadata: b.metadata ?? {},
      });
      if (type === 'transfer.reversed') createReversal(ctx.as(null), transfer, {});
      return { account: account.id, charge: pi.latest_charge, transfer: transfer.id };
    }
    default:
      throw invalidRequest(
        `The emulator cannot trigger '${type}'. Supported: ${TRIGGERS.join(', ')}; or pass \`object\` to emit any event type with that data.object.`,
      );
  }
}
