// Dev only: forwards /__stripe/* to the local Stripe emulator so its hosted pages (checkout, onboarding,
// Stripe.js stand-in) are reachable from the shopper's browser on the storefront's own port.
import { Hono } from 'hono';
import { EMULATOR_PREFIX, emulatorPublicUrl, stripeMode } from './client';

export const emulatorProxyRoutes = new Hono<{ Bindings: Env }>().all(
  `${EMULATOR_PREFIX}/*`,
  async (c, next) => {
    if (stripeMode(c.env) !== 'emulator' || !c.env.STRIPE_EMULATOR) return next();
    const url = new URL(c.req.url);
    const target = new URL(
      url.pathname.slice(EMULATOR_PREFIX.length) + url.search,
      'http://stripe-emulator.local',
    );
    // Pages posted to here (the test checkout, onboarding) create charges and links: their receipt and
    // return URLs must follow the public origin too, whatever Host the browser used.
    const request = new Request(target, c.req.raw);
    request.headers.set('x-emulator-public-url', emulatorPublicUrl(c.env));
    return c.env.STRIPE_EMULATOR.fetch(request);
  },
);
