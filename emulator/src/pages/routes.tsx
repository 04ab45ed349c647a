/** @jsxImportSource hono/jsx */
// The hosted pages a browser opens (through the storefront's /__stripe proxy in dev): Stripe.js
// stand-in, checkout, onboarding, Express dashboard, receipts and invoices.
import { Hono } from 'hono';
import type { AppEnv } from '../http';
import { checkoutPage } from './checkout-page';
import { expressDashboard, onboardingPage } from './connect-pages';
import { messagePage } from './layout';
import { invoicePage, receiptPage } from './receipts';
import { stripeJs } from './stripe-js';

/** Every hosted page; the app answers other paths with a 404 page. */
export const pageRoutes = new Hono<AppEnv>({ strict: false })
  .all('/v3/stripe.js', stripeJs)
  .all('/v3', stripeJs)
  .on(['GET', 'POST'], '/c/pay/:id', checkoutPage)
  .on(['GET', 'POST'], '/connect/onboarding/:link', onboardingPage)
  .get('/express/:acct', expressDashboard)
  .get('/receipts/:charge', receiptPage)
  .on(['GET', 'POST'], '/invoices/:id', invoicePage)
  .get('/', (c) =>
    messagePage(
      c,
      'Stripe emulator',
      'The local Stripe emulator is running. API under /v1, controls under /_emulator.',
    ),
  );
