// The Hono app: middleware and route mounting, nothing else.
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { onError, renderError } from './app-errors';
import { NotFoundError } from './lib/errors';
import { adminRoutes } from './admin/routes';
import { cartRoutes } from './cart/routes';
import { catalogRoutes } from './catalog/routes';
import { checkoutRoutes } from './checkout/routes';
import { healthRoutes } from './ops/health';
import { orderRoutes } from './orders/routes';
import { vendorRoutes } from './vendors/routes';
import { webhookRoutes } from './webhooks/routes';
import { emulatorProxyRoutes } from './stripe/emulator-proxy';
import { csrfUnlessBearer } from './lib/http';
import { documentRenderer } from './pages/document';

export const app = new Hono<{ Bindings: Env }>();

// `c.render` for every page, error pages included: one document shell with its doctype.
app.use(documentRenderer);

// Stripe posts raw JSON signed over the exact bytes: mounted before any middleware that could touch it.
app.route('/', webhookRoutes);

// The emulator's hosted pages (checkout, onboarding, Stripe.js stand-in) under this origin in dev,
// served before our headers: they are the emulator's pages, not ours.
app.route('/', emulatorProxyRoutes);

app.use(
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", 'https://js.stripe.com'],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', 'https:'],
      connectSrc: ["'self'", 'https://api.stripe.com'],
      frameSrc: ['https://js.stripe.com', 'https://hooks.stripe.com'],
      formAction: ["'self'", 'https://checkout.stripe.com', 'https://connect.stripe.com'],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      objectSrc: ["'none'"],
    },
    referrerPolicy: 'strict-origin-when-cross-origin',
  }),
);
// Cross-site form posts are refused; JSON posts rely on the SameSite=Lax cookie. Webhooks are exempt
// (Stripe posts JSON, which csrf() does not check anyway), and so are Bearer-authenticated API calls.
app.use(csrfUnlessBearer);

app.route('/', healthRoutes);
app.route('/', catalogRoutes);
app.route('/', cartRoutes);
app.route('/', checkoutRoutes);
app.route('/', orderRoutes);
app.route('/', vendorRoutes);
app.route('/', adminRoutes);

app.notFound((c) => renderError(new NotFoundError('There is nothing at this address.'), c));
app.onError(onError);
