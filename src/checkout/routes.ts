// Checkout Sessions and the Payment Element path: POST /checkout, GET /config,
// POST /create-payment-intent, GET /pay.
import type { Context } from 'hono';
import { Hono } from 'hono';
import * as z from 'zod';
import { readCartId } from '../cart/session';
import { priceCart } from '../cart/pricing';
import { getDb } from '../db/client';
import { storeConfig } from '../lib/config';
import { AppError, ConflictError } from '../lib/errors';
import { emailSchema } from '../lib/email';
import { isForm } from '../lib/http';
import { body } from '../lib/input';
import { readShopperSession } from '../lib/shopper-session';
import { emulatorPublicUrl, publishableKey, stripeMode } from '../stripe/client';
import { AlreadyPaidError, beginCheckoutSession, beginPaymentIntent, type CheckoutInput } from './begin';
import { PayPage } from './pay-page';
import { CheckoutRefusedError, EmptyCartError, planCheckout } from './plan';
import { renderPage } from '../pages/document';

type Ctx = Context<{ Bindings: Env }>;

// Stripe Checkout's locales (https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-locale).
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

/** Empty fields count as absent (a form sends every field, filled or not). */
const blankAsAbsent = (v: unknown) =>
  v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).filter(([, f]) => typeof f !== 'string' || f.trim() !== ''))
    : v;

/**
 * What a shopper may send: a form, JSON, or nothing at all (a bare POST checks out as is). Amounts,
 * currency and lines are never taken from the client.
 */
const checkoutBody = z.preprocess(
  blankAsAbsent,
  z
    .object({
      email: emailSchema.optional(),
      locale: z.enum(LOCALES).optional(),
      accepted_subtotal: z.coerce.number().int().min(0).optional(),
    })
    .transform((b): CheckoutInput => ({
      email: b.email,
      locale: b.locale,
      acceptedSubtotal: b.accepted_subtotal,
    })),
);
const checkoutInput = body(['form', 'json', 'empty'], checkoutBody);

/** The input, with the signed-in shopper's address when the form named none. */
async function withAccountEmail(c: Ctx, input: CheckoutInput): Promise<CheckoutInput> {
  return input.email ? input : { ...input, email: (await readShopperSession(c)) ?? undefined };
}

/** The browser's way back from a refused checkout: the cart (which shows what changed) or the order. */
function redirectForForm(c: Ctx, err: unknown): Response | null {
  if (err instanceof AlreadyPaidError) return c.redirect(`/orders/${err.orderId}`, 303);
  if (err instanceof CheckoutRefusedError) return c.redirect('/cart?checkout=changed', 303);
  // Subscription refusals (subscriptions/guard.ts, plan.ts): the cart page says which.
  const code = err instanceof AppError ? err.extras.code : undefined;
  if (code === 'already_subscribed') return c.redirect('/cart?checkout=subscribed', 303);
  if (code === 'email_required') return c.redirect('/cart?checkout=email', 303);
  if (code === 'mixed_intervals') return c.redirect('/cart?checkout=intervals', 303);
  if (err instanceof EmptyCartError) return c.redirect('/cart?checkout=empty', 303);
  if (err instanceof ConflictError) return c.redirect('/cart?checkout=retry', 303);
  return null;
}

/** The script the pay page loads: Stripe.js, or the emulator's stand-in (same API) offline. */
function stripeJsUrl(env: Env): string {
  return stripeMode(env) === 'emulator'
    ? `${emulatorPublicUrl(env)}/v3/stripe.js`
    : 'https://js.stripe.com/v3/';
}

export const checkoutRoutes = new Hono<{ Bindings: Env }>()
  .post('/checkout', checkoutInput, async (c) => {
    const form = isForm(c);
    // A signed-in shopper who gave no address checks out as their account.
    const input = await withAccountEmail(c, c.req.valid('json'));
    const cartId = await readCartId(c);
    try {
      if (!cartId) throw new EmptyCartError();
      const started = await beginCheckoutSession(c.env, cartId, input);
      if (form) return c.redirect(started.url, 303);
      c.header('cache-control', 'no-store');
      return c.json(started);
    } catch (err) {
      const redirect = form ? redirectForForm(c, err) : null;
      if (redirect) return redirect;
      throw err;
    }
  })
  .get('/config', (c) => {
    c.header('cache-control', 'no-store');
    return c.json({ publishableKey: publishableKey(c.env) });
  })
  .post('/create-payment-intent', checkoutInput, async (c) => {
    // A signed-in shopper who gave no address checks out as their account.
    const input = await withAccountEmail(c, c.req.valid('json'));
    const cartId = await readCartId(c);
    if (!cartId) throw new EmptyCartError();
    const started = await beginPaymentIntent(c.env, cartId, input);
    c.header('cache-control', 'no-store');
    return c.json({
      clientSecret: started.clientSecret,
      orderId: started.orderId,
      amount: started.amount,
      currency: started.currency,
    });
  })
  .get('/pay', async (c) => {
    const env = c.env;
    const config = storeConfig(env);
    const cartId = await readCartId(c);
    const db = getDb(env);
    const state = cartId ? await env.CART.getByName(cartId).getState() : null;
    let problems: string[] = [];
    if (!cartId || !state || state.lines.length === 0) problems = ['Your cart is empty.'];
    else {
      try {
        await planCheckout(env, db, cartId, state);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        problems = [err.message];
      }
    }
    const view = cartId && state && state.lines.length > 0 ? await priceCart(db, state, config) : null;
    const lines = (view?.lines ?? []).map((l) => ({
      name: l.name,
      qty: l.qty,
      amount: l.unitAmount * l.qty,
      storeName: l.storeName,
      note: l.note,
    }));
    const subtotal = view?.subtotal ?? 0;
    c.header('cache-control', 'no-store');
    return renderPage(
      c,
      PayPage({
        storeName: config.storeName,
        currency: config.currency,
        lines,
        subtotal,
        shippingAmount: config.shippingAmount,
        total: subtotal + config.shippingAmount,
        problems,
        stripeJsUrl: stripeJsUrl(env),
        email: await readShopperSession(c),
      }),
    );
  });
