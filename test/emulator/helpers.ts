// Shared setup for the emulator's tests: the app's own Stripe client (real SDK, emulator binding),
// the control client, and builders for common states (a paid session, an onboarded vendor).
import { env } from 'cloudflare:workers';
import type Stripe from 'stripe';
import { getStripe } from '../../src/stripe/client';
import { emulatorControl } from '../../emulator/control-client';

export const stripe = getStripe(env);
export const emu = emulatorControl(env.STRIPE_EMULATOR!);

/** Raw request to the emulator (to see headers the SDK hides). */
export function emulatorFetch(path: string, init: RequestInit = {}): Promise<Response> {
  return env.STRIPE_EMULATOR!.fetch(`http://stripe-emulator.local${path}`, init);
}

/** Form-encodes a flat record for raw API calls. */
export function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export const SECRET_AUTH = { authorization: 'Bearer sk_test_emulator' } as const;

/** A payment-mode session for one line item. */
export function createSession(
  extra: Partial<Stripe.Checkout.SessionCreateParams> = {},
  amount = 2500,
): Promise<Stripe.Checkout.Session> {
  return stripe.checkout.sessions.create({
    mode: 'payment',
    success_url: 'http://localhost/orders/ord_1?session_id={CHECKOUT_SESSION_ID}',
    cancel_url: 'http://localhost/cart',
    line_items: [
      {
        quantity: 1,
        price_data: { currency: 'usd', unit_amount: amount, product_data: { name: 'Canvas tote' } },
      },
    ],
    ...extra,
  });
}

/** A session paid with the 4242 card; returns the session with its PaymentIntent and charge expanded. */
export async function paidSession(
  extra: Partial<Stripe.Checkout.SessionCreateParams> = {},
  amount = 2500,
): Promise<{ session: Stripe.Checkout.Session; pi: Stripe.PaymentIntent; charge: Stripe.Charge }> {
  const created = await createSession(extra, amount);
  await emu.pay(created.id);
  const session = await stripe.checkout.sessions.retrieve(created.id, {
    expand: ['payment_intent.latest_charge'],
  });
  const pi = session.payment_intent as Stripe.PaymentIntent;
  return { session, pi, charge: pi.latest_charge as Stripe.Charge };
}

/** A connected Express account that finished onboarding (can receive transfers). */
export async function onboardedAccount(email = 'vendor@example.com'): Promise<Stripe.Account> {
  const account = await stripe.accounts.create({
    controller: {
      stripe_dashboard: { type: 'express' },
      fees: { payer: 'application' },
      losses: { payments: 'application' },
    },
    capabilities: { transfers: { requested: true } },
    email,
  });
  await emu.completeOnboarding(account.id, { business_name: 'Demo Vendor' });
  return stripe.accounts.retrieve(account.id);
}
