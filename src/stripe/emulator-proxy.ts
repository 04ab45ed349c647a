// Dev only: forwards /__stripe/* to the local Stripe emulator so its hosted pages (checkout, onboarding,
// Stripe.js stand-in) are reachable from the shopper's browser on the storefront's own port.
import { Hono } from 'hono';
import { stripeMode } from './client';

const EMULATOR_PREFIX = '/__stripe';

export const emulatorProxyRoutes = new Hono<{ Bindings: Env }>().all(
  `${EMULATOR_PREFIX}/*`,
  async (c, next) => {
    if (stripeMode(c.env) !== 'emulator' || !c.env.STRIPE_EMULATOR) return next();
    const url = new URL(c.req.url);
    const target = new URL(
      url.pathname.slice(EMULATOR_PREFIX.length) + url.search,
      'http://stripe-emulator.local',
    );
    return c.env.STRIPE_EMULATOR.fetch(new Request(target, c.req.raw));
  },
);
