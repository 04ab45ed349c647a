// The emulator's HTTP surface as one Hono app, served by the Durable Object that holds the state:
// Stripe's REST API under /v1, control endpoints under /_emulator, and the hosted pages.
import { Hono } from 'hono';
import { apiRoutes } from './api';
import { runDueDisputes } from './api/disputes';
import { controlRoutes } from './control';
import type { EmulatorEnv } from './env';
import type { AppEnv, EmulatorCore } from './http';
import { messagePage } from './pages/layout';
import { pageRoutes } from './pages/routes';

/** The base every browser-facing URL is built from: the override header, else PUBLIC_URL. */
function publicBase(request: Request, env: EmulatorEnv): string {
  const base = request.headers.get('x-emulator-public-url') || env.PUBLIC_URL || new URL(request.url).origin;
  return base.replace(/\/+$/, '');
}

/** The app for one Durable Object (`core`); its routes read the state through `c.var.core`. */
export function createApp(core: EmulatorCore): Hono<AppEnv> {
  return new Hono<AppEnv>({ strict: false })
    .use(async (c, next) => {
      const publicUrl = publicBase(c.req.raw, c.env);
      c.set('core', core);
      c.set('publicUrl', publicUrl);
      // Pages and controls work in this context; the REST API replaces it with one per API request.
      c.set('ctx', core.makeCtx(publicUrl));
      await next();
      // Disputes the request set in motion open (or close) after its own events, as at Stripe.
      const later = runDueDisputes(core.makeCtx(publicUrl));
      if (c.var.ctx.emitted.length > 0 || later > 0) await core.reschedule();
    })
    .route('/', apiRoutes)
    .route('/', controlRoutes)
    .route('/', pageRoutes)
    .notFound((c) => messagePage(c, 'Not found', 'There is nothing at this address.', undefined, 404))
    .onError((err) => {
      // A bug, not a Stripe error (those are answered by the API and the controls): fail loudly.
      throw err;
    });
}
