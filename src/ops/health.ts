// GET /health: one check per binding and the Stripe mode; 503 when any check fails.
import { Hono } from 'hono';
import { stripeMode } from '../stripe/client';

type Check = { ok: boolean; detail?: string; ms: number };

async function timed(fn: () => Promise<string | undefined>): Promise<Check> {
  const start = Date.now();
  try {
    const detail = await fn();
    return { ok: true, ...(detail ? { detail } : {}), ms: Date.now() - start };
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err), ms: Date.now() - start };
  }
}

export const healthRoutes = new Hono<{ Bindings: Env }>().get('/health', async (c) => {
  const env = c.env;
  const [db, cart, payouts, stripe] = await Promise.all([
    timed(async () => {
      await env.DB.prepare('select count(*) as n from products').first();
    }),
    timed(async () => {
      const stub = env.CART.getByName('health-check');
      await stub.ping();
    }),
    timed(async () => {
      if (typeof env.PAYOUTS?.send !== 'function') throw new Error('PAYOUTS queue is not bound');
      return 'bound';
    }),
    timed(async () => {
      const mode = stripeMode(env);
      if (mode === 'emulator' && !env.STRIPE_EMULATOR)
        throw new Error('no STRIPE_SECRET_KEY and no emulator');
      if (mode === 'live' && env.ENVIRONMENT !== 'production') throw new Error('live key outside production');
      return mode;
    }),
  ]);
  const checks = { d1: db, cart_object: cart, payouts_queue: payouts, stripe };
  const ok = Object.values(checks).every((ch) => ch.ok);
  c.header('cache-control', 'no-store');
  return c.json({ status: ok ? 'ok' : 'degraded', stripe_mode: stripeMode(env), checks }, ok ? 200 : 503);
});
