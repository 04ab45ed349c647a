// The REST API front door (/v1): preflight, form parsing, authentication against the configured keys,
// Stripe-Account, injected faults, idempotency keys (replay / mismatch), then the resource routes, all
// answering in Stripe's JSON and error shapes with Stripe's headers.
import { Hono, type MiddlewareHandler } from 'hono';
import { API_VERSION, Ctx } from './context';
import { keyKind } from './env';
import { StripeError } from './errors';
import { parseForm, type Params } from './form';
import { keyedRequest, stripeJson, type AppEnv } from './http';
import { replay } from './idempotency';
import { newId } from './ids';
import { billingRoutes } from './api/billing';
import { checkoutRoutes, sweepExpiredSessions } from './api/checkout';
import { connectRoutes } from './api/connect';
import { customerRoutes } from './api/customers';
import { disputeRoutes } from './api/disputes';
import { eventRoutes } from './api/events';
import { paymentRoutes } from './api/payments';

/** Calls Stripe.js makes with a publishable key; everything else needs a secret key. */
const PUBLISHABLE_ALLOWED = [
  /^GET \/v1\/payment_intents\/[^/]+$/,
  /^POST \/v1\/payment_intents\/[^/]+\/confirm$/,
];

/** A key as Stripe echoes it in errors: its first 8 and last 4 characters, the rest starred. */
export function maskKey(key: string): string {
  if (key.length > 12) return `${key.slice(0, 8)}${'*'.repeat(key.length - 12)}${key.slice(-4)}`;
  return `${'*'.repeat(Math.max(0, key.length - 4))}${key.slice(-4)}`;
}

function bearer(request: Request, params: Params): string | null {
  const auth = request.headers.get('authorization') ?? '';
  if (/^bearer /i.test(auth)) return auth.slice(7).trim();
  if (/^basic /i.test(auth)) {
    try {
      return atob(auth.slice(6).trim()).split(':')[0] ?? null;
    } catch {
      return null;
    }
  }
  // Stripe.js sends its publishable key as the `key` param.
  return typeof params.key === 'string' ? params.key : null;
}

/** CORS preflight (Stripe.js), then Stripe's `request-id` and `stripe-version` on every answer. */
const preflight: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method === 'OPTIONS') {
    return c.body(null, 204, {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, POST, DELETE',
      'access-control-allow-headers':
        'authorization, content-type, stripe-account, stripe-version, idempotency-key',
    });
  }
  const requestId = newId('req', 14);
  c.set('requestId', requestId);
  c.header('request-id', requestId);
  c.header('stripe-version', c.req.header('stripe-version') ?? API_VERSION);
  await next();
};

/** Form-encoded (or JSON) body and query string into nested params. */
const parseParams: MiddlewareHandler<AppEnv> = async (c, next) => {
  const method = c.req.method;
  const url = new URL(c.req.url);
  let params: Params;
  try {
    const type = c.req.header('content-type') ?? '';
    // Decoded from bytes: workerd warns when .text() reads a form-encoded body.
    const raw =
      method === 'GET' || method === 'DELETE' ? '' : new TextDecoder().decode(await c.req.arrayBuffer());
    params =
      type.includes('application/json') && raw
        ? (JSON.parse(raw) as Params)
        : parseForm(raw || url.searchParams);
    if ((method === 'POST' && url.search) || (method === 'DELETE' && url.search && raw)) {
      params = { ...parseForm(url.searchParams), ...params };
    }
  } catch {
    throw new StripeError(400, 'invalid_request_error', 'Invalid request body.');
  }
  c.set('params', params);
  await next();
};

/**
 * Only the configured keys pass, as on Stripe, where a key it does not know answers 401 (the SDK's
 * StripeAuthenticationError). A publishable key reaches only the calls Stripe.js makes.
 */
const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const params = c.var.params;
  const key = bearer(c.req.raw, params);
  delete params.key;
  if (!key) {
    throw new StripeError(
      401,
      'invalid_request_error',
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    );
  }
  const kind = keyKind(c.env, key);
  if (!kind) throw new StripeError(401, 'invalid_request_error', `Invalid API Key provided: ${maskKey(key)}`);
  const publishable = kind === 'publishable';
  if (
    publishable &&
    !PUBLISHABLE_ALLOWED.some((re) => re.test(`${c.req.method} ${new URL(c.req.url).pathname}`))
  ) {
    throw new StripeError(
      401,
      'invalid_request_error',
      'This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.',
      'secret_key_required',
    );
  }
  c.set('publishable', publishable);

  const account = c.req.header('stripe-account')?.trim() || null;
  c.set('account', account);
  if (account) {
    c.header('stripe-account', account);
    if (!c.var.core.store.get(account, null, 'account')) {
      throw new StripeError(
        403,
        'invalid_request_error',
        `The provided key '${maskKey(key)}' does not have access to account '${account}' (or that account does not exist). Application access may have been revoked.`,
        'account_invalid',
      );
    }
  }
  await next();
};

/**
 * Injected faults fail before anything runs and are not saved under the idempotency key, so the
 * SDK's (or the app's) retry with the same key succeeds: like a Stripe outage, not a Stripe bug.
 */
const injectedFaults: MiddlewareHandler<AppEnv> = async (c, next) => {
  const store = c.var.core.store;
  const config = store.config();
  if (config.fail_next > 0) {
    store.setConfig({ fail_next: config.fail_next - 1 });
    throw config.fail_status === 429
      ? new StripeError(
          429,
          'rate_limit_error',
          'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
          'rate_limit',
        )
      : new StripeError(
          config.fail_status,
          'api_error',
          'An unknown error occurred (injected by the Stripe emulator).',
        );
  }
  await next();
};

/**
 * The request's context, and its `Idempotency-Key` (checked and saved with the handler, in
 * `stripeRoute`). Sessions past `expires_at` expire first, as on Stripe, where that needs no request.
 */
const requestContext: MiddlewareHandler<AppEnv> = async (c, next) => {
  const idemKey = c.req.method === 'POST' ? (c.req.header('idempotency-key') ?? null) : null;
  if (idemKey !== null) {
    c.header('idempotency-key', idemKey);
    if (idemKey.length > 255 || idemKey.length === 0) {
      throw new StripeError(
        400,
        'invalid_request_error',
        'Idempotency-Key must be between 1 and 255 characters long.',
        'idempotency_key_in_use',
      );
    }
  }
  c.set('idempotencyKey', idemKey);
  const store = c.var.core.store;
  const ctx = new Ctx(store, c.var.account, c.var.publicUrl, {
    id: c.var.requestId,
    idempotency_key: idemKey,
  });
  ctx.publishable = c.var.publishable;
  c.set('ctx', ctx);
  // Expiry is Stripe's own doing, not this request's: its events carry no request id.
  sweepExpiredSessions(
    new Ctx(store, null, c.var.publicUrl, { id: null, idempotency_key: null }, ctx.emitted),
  );
  await next();
};

/** The REST API under /v1, answering in Stripe's shapes; unknown paths get Stripe's 404. */
export const apiRoutes = new Hono<AppEnv>({ strict: false })
  .use('/v1/*', preflight, parseParams, authenticate, injectedFaults, requestContext)
  .route('/', checkoutRoutes)
  .route('/', paymentRoutes)
  .route('/', customerRoutes)
  .route('/', connectRoutes)
  .route('/', billingRoutes)
  .route('/', disputeRoutes)
  .route('/', eventRoutes)
  .all('/v1/*', (c) => {
    // A key used with another request is an idempotency error before it is an unknown URL.
    replay(keyedRequest(c));
    throw new StripeError(
      404,
      'invalid_request_error',
      `Unrecognized request URL (${c.req.method}: ${new URL(c.req.url).pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    );
  })
  .onError((err, c) => {
    if (err instanceof StripeError) return stripeJson(c, err.status, err.body());
    throw err;
  });
