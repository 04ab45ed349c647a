// GET /health: one check per binding and the Stripe mode; 503 when any check fails. Anyone learns which
// check failed; only the operator (Bearer ADMIN_TOKEN) gets each check's detail, which may carry raw
// error text from D1 or the runtime.
import { Hono } from 'hono';
import { adminCredential } from '../admin/auth';
import { publicOrigin } from '../lib/config';
import { mailConfig } from '../notifications/config';
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
  const [db, cart, payouts, mail, stripe, publicUrl, admin] = await Promise.all([
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
    // E-mail: the queue is bound and the transport's settings can work (MAIL_TRANSPORT, MAIL_FROM, PUBLIC_URL).
    timed(async () => {
      if (typeof env.NOTIFY?.send !== 'function') throw new Error('NOTIFY queue is not bound');
      return mailConfig(env).transport;
    }),
    timed(async () => {
      const mode = stripeMode(env);
      if (mode === 'emulator' && !env.STRIPE_EMULATOR)
        throw new Error('no STRIPE_SECRET_KEY and no emulator');
      if (mode === 'live' && env.ENVIRONMENT !== 'production') throw new Error('live key outside production');
      return mode;
    }),
    timed(async () => publicOrigin(env)),
    // Bearer only: the admin cookie is scoped to /admin and never reaches this path.
    adminCredential(c).then((credential) => credential === 'bearer'),
  ]);
  const all = { d1: db, cart_object: cart, payouts_queue: payouts, mail, stripe, public_url: publicUrl };
  const checks = admin
    ? all
    : Object.fromEntries(Object.entries(all).map(([name, { ok, ms }]) => [name, { ok, ms }]));
  const ok = Object.values(all).every((ch) => ch.ok);
  c.header('cache-control', 'no-store');
  return c.json({ status: ok ? 'ok' : 'degraded', stripe_mode: stripeMode(env), checks }, ok ? 200 : 503);
});
