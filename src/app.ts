// The Hono app: middleware and route mounting, nothing else.
import type { MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { onError, renderError } from './app-errors';
import { allowedMethodsLookup } from './lib/allowed-methods';
import { canonicalOrigin } from './lib/canonical-origin';
import { AppError, NotFoundError } from './lib/errors';
import { accountRoutes } from './accounts/routes';
import { adminRoutes } from './admin/routes';
import { cartRoutes } from './cart/routes';
import { catalogRoutes } from './catalog/routes';
import { catalogApiRoutes } from './catalog/api/routes';
import { checkoutRoutes } from './checkout/routes';
import { healthRoutes } from './ops/health';
import { orderRoutes } from './orders/routes';
import { orderPartRoutes } from './orders/part-routes';
import { resumeRoutes } from './checkout/resume-routes';
import { vendorRoutes } from './vendors/routes';
import { subscriptionRoutes } from './subscriptions/routes';
import { vendorFulfilmentRoutes } from './vendors/fulfilment-routes';
import { webhookRoutes } from './webhooks/routes';
import { emulatorProxyRoutes } from './stripe/emulator-proxy';
import { stripeCspSources, type StripeCspDirective } from './stripe/csp';
import { mailCatcherRoutes } from './notifications/catcher';
import { csrfUnlessBearer } from './lib/http';
import { rememberWrites } from './db/replica';

export const app = new Hono<{ Bindings: Env }>();

// Before anything else: a page asked for on another host goes to PUBLIC_URL (see canonical-origin.ts).
app.use(canonicalOrigin);

// Stripe posts raw JSON signed over the exact bytes: mounted before any middleware that could touch it.
app.route('/', webhookRoutes);

// The emulator's hosted pages (checkout, onboarding, Stripe.js stand-in) under this origin in dev,
// served before our headers: they are the emulator's pages, not ours.
app.route('/', emulatorProxyRoutes);
// The dev mail catcher sets its own, stricter headers (a frame for each message's HTML).
app.route('/', mailCatcherRoutes);

// Stripe's origins, or in emulator mode exactly the emulator's (see stripe/csp.ts). public/_headers gives
// static assets the same headers (test/http/security-headers.test.ts holds them equal). The policy depends
// on the environment only, so hono's middleware is made once per environment with every value written
// out: hono then builds the headers once, not on every request as it does for callback values.
const secureHeadersByEnv = new WeakMap<Env, MiddlewareHandler>();
function secureHeadersFor(env: Env): MiddlewareHandler {
  let middleware = secureHeadersByEnv.get(env);
  if (!middleware) {
    const stripe = (directive: StripeCspDirective) => stripeCspSources(env, directive);
    middleware = secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", stripe('scriptSrc')],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        connectSrc: ["'self'", stripe('connectSrc')],
        frameSrc: [stripe('frameSrc')],
        formAction: ["'self'", stripe('formAction')],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: 'strict-origin-when-cross-origin',
    });
    secureHeadersByEnv.set(env, middleware);
  }
  return middleware;
}
app.use((c, next) => secureHeadersFor(c.env)(c, next));
// Cross-site form posts are refused; JSON posts rely on the SameSite=Lax cookie. Webhooks are exempt
// (Stripe posts JSON, which csrf() does not check anyway), and so are Bearer-authenticated API calls.
app.use(csrfUnlessBearer);
// A vendor's or operator's write leaves a D1 bookmark cookie: their next catalog read sees it (db/replica.ts).
app.use('/vendor/*', rememberWrites);
app.use('/admin/*', rememberWrites);

app.route('/', healthRoutes);
app.route('/', catalogRoutes);
app.route('/', catalogApiRoutes);
app.route('/', cartRoutes);
app.route('/', checkoutRoutes);
app.route('/', orderRoutes);
app.route('/', subscriptionRoutes);
app.route('/', orderPartRoutes);
app.route('/', resumeRoutes);
app.route('/', accountRoutes);
app.route('/', vendorRoutes);
app.route('/', vendorFulfilmentRoutes);
app.route('/', adminRoutes);

let allowedMethods: ((path: string) => string[]) | undefined;
// A path that exists for other methods answers 405 with `Allow` (OPTIONS: 204 with `Allow`), else 404.
app.notFound((c) => {
  allowedMethods ??= allowedMethodsLookup(app.routes);
  const allowed = allowedMethods(c.req.path);
  if (allowed.length > 0 && !allowed.includes(c.req.method)) {
    c.header('allow', allowed.join(', '));
    if (c.req.method === 'OPTIONS') return c.body(null, 204);
    return renderError(
      new AppError(
        405,
        'Method not allowed',
        `${c.req.method} is not allowed here; use ${allowed.join(', ')}.`,
      ),
      c,
    );
  }
  return renderError(new NotFoundError('There is nothing at this address.'), c);
});
app.onError(onError);
