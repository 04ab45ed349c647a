// The REST API front door: authentication, Stripe-Account, injected faults, form parsing,
// idempotency keys (replay / mismatch), dispatch to the resource routes and Stripe's headers.
import { API_VERSION, Ctx } from './context';
import { StripeError } from './errors';
import { canonical, parseForm, type Params } from './form';
import { newId } from './ids';
import { match, type Route } from './router';
import type { Store } from './store';
import { billingRoutes } from './api/billing';
import { checkoutRoutes, sweepExpiredSessions } from './api/checkout';
import { connectRoutes } from './api/connect';
import { customerRoutes } from './api/customers';
import { eventRoutes } from './api/events';
import { paymentRoutes } from './api/payments';

const routes: Route[] = [
  ...checkoutRoutes,
  ...paymentRoutes,
  ...customerRoutes,
  ...connectRoutes,
  ...billingRoutes,
  ...eventRoutes,
];

/** Calls Stripe.js makes with a publishable key; everything else needs a secret key. */
const PUBLISHABLE_ALLOWED = [
  /^GET \/v1\/payment_intents\/[^/]+$/,
  /^POST \/v1\/payment_intents\/[^/]+\/confirm$/,
];

function mask(key: string): string {
  return key.length > 12
    ? `${key.slice(0, 8)}${'*'.repeat(Math.max(4, key.length - 12))}${key.slice(-4)}`
    : key;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body, null, 2), {
    status,
    headers: {
      'content-type': 'application/json',
      'cache-control': 'no-cache, no-store',
      'access-control-allow-origin': '*',
      ...headers,
    },
  });
}

function errorResponse(err: StripeError, headers: Record<string, string>): Response {
  return json(err.status, err.body(), headers);
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

/** Result of an API call: the response and the context (whose `emitted` events need delivery). */
export interface ApiResult {
  response: Response;
  ctx: Ctx | null;
}

/** Handles one `/v1/...` request. */
export async function handleApi(
  store: Store,
  request: Request,
  url: URL,
  publicUrl: string,
): Promise<ApiResult> {
  const requestId = newId('req', 14);
  const method = request.method.toUpperCase();
  const headers: Record<string, string> = {
    'request-id': requestId,
    'stripe-version': request.headers.get('stripe-version') ?? API_VERSION,
  };
  if (method === 'OPTIONS') {
    return {
      response: new Response(null, {
        status: 204,
        headers: {
          'access-control-allow-origin': '*',
          'access-control-allow-methods': 'GET, POST, DELETE',
          'access-control-allow-headers':
            'authorization, content-type, stripe-account, stripe-version, idempotency-key',
        },
      }),
      ctx: null,
    };
  }

  let params: Params;
  try {
    const type = request.headers.get('content-type') ?? '';
    // Decoded from bytes: workerd warns when .text() reads a form-encoded body.
    const raw =
      method === 'GET' || method === 'DELETE' ? '' : new TextDecoder().decode(await request.arrayBuffer());
    params =
      type.includes('application/json') && raw
        ? (JSON.parse(raw) as Params)
        : parseForm(raw || url.searchParams);
    if ((method === 'POST' && url.search) || (method === 'DELETE' && url.search && raw)) {
      params = { ...parseForm(url.searchParams), ...params };
    }
  } catch {
    return {
      response: errorResponse(
        new StripeError(400, 'invalid_request_error', 'Invalid request body.'),
        headers,
      ),
      ctx: null,
    };
  }

  const key = bearer(request, params);
  delete params.key;
  if (!key) {
    return {
      response: errorResponse(
        new StripeError(
          401,
          'invalid_request_error',
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
        ),
        headers,
      ),
      ctx: null,
    };
  }
  const publishable = key.startsWith('pk_test_');
  if (!/^(sk|rk)_test_[A-Za-z0-9_]+$/.test(key) && !publishable) {
    return {
      response: errorResponse(
        new StripeError(
          401,
          'invalid_request_error',
          `Invalid API Key provided: ${mask(key)}`,
          'api_key_invalid',
        ),
        headers,
      ),
      ctx: null,
    };
  }
  if (publishable && !PUBLISHABLE_ALLOWED.some((re) => re.test(`${method} ${url.pathname}`))) {
    return {
      response: errorResponse(
        new StripeError(
          401,
          'invalid_request_error',
          'This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.',
          'secret_key_required',
        ),
        headers,
      ),
      ctx: null,
    };
  }

  const account = request.headers.get('stripe-account')?.trim() || null;
  if (account) {
    headers['stripe-account'] = account;
    if (!store.get(account, null, 'account')) {
      return {
        response: errorResponse(
          new StripeError(
            403,
            'invalid_request_error',
            `The provided key '${mask(key)}' does not have access to account '${account}' (or that account does not exist). Application access may have been revoked.`,
            'account_invalid',
          ),
          headers,
        ),
        ctx: null,
      };
    }
  }

  // Injected faults fail before anything runs and are not saved under the idempotency key, so the
  // SDK's (or the app's) retry with the same key succeeds: like a Stripe outage, not a Stripe bug.
  const config = store.config();
  if (config.fail_next > 0) {
    store.setConfig({ fail_next: config.fail_next - 1 });
    const err =
      config.fail_status === 429
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
    return { response: errorResponse(err, headers), ctx: null };
  }

  const idemKey = method === 'POST' ? request.headers.get('idempotency-key') : null;
  if (idemKey !== null) {
    headers['idempotency-key'] = idemKey;
    if (idemKey.length > 255 || idemKey.length === 0) {
      return {
        response: errorResponse(
          new StripeError(
            400,
            'invalid_request_error',
            'Idempotency-Key must be between 1 and 255 characters long.',
            'idempotency_key_in_use',
          ),
          headers,
        ),
        ctx: null,
      };
    }
    const previous = store.idempotent(account, idemKey);
    if (previous) {
      const sameParams =
        previous.method === method && previous.path === url.pathname && previous.params === canonical(params);
      if (!sameParams) {
        return {
          response: errorResponse(
            new StripeError(
              400,
              'idempotency_error',
              `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idemKey}' if you meant to execute a different request.`,
              'idempotency_key_in_use',
            ),
            headers,
          ),
          ctx: null,
        };
      }
      return {
        response: new Response(previous.body, {
          status: previous.status,
          headers: {
            'content-type': 'application/json',
            'cache-control': 'no-cache, no-store',
            ...headers,
            'idempotent-replayed': 'true',
            'original-request': previous.request_id,
          },
        }),
        ctx: null,
      };
    }
  }

  const ctx = new Ctx(store, account, publicUrl, { id: requestId, idempotency_key: idemKey });
  ctx.publishable = publishable;
  // Expiry is Stripe's own doing, not this request's: its events carry no request id.
  sweepExpiredSessions(new Ctx(store, null, publicUrl, { id: null, idempotency_key: null }, ctx.emitted));

  const found = match(routes, method, url.pathname);
  if (!found.route) {
    const err = new StripeError(
      404,
      'invalid_request_error',
      `Unrecognized request URL (${method}: ${url.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    );
    return { response: errorResponse(err, headers), ctx };
  }

  let status = 200;
  let body: unknown;
  try {
    body = found.route.handler(ctx, params, found.path);
  } catch (err) {
    if (!(err instanceof StripeError)) throw err;
    status = err.status;
    body = err.body();
  }
  const text = JSON.stringify(body, null, 2);
  // Stripe saves the result once the request started executing (success or a card decline);
  // requests rejected by validation are not saved and may be retried with the same key.
  if (idemKey && (status < 400 || status === 402)) {
    store.saveIdempotent(account, idemKey, {
      method,
      path: url.pathname,
      params: canonical(params),
      status,
      body: text,
      request_id: requestId,
    });
  }
  return {
    response: new Response(text, {
      status,
      headers: {
        'content-type': 'application/json',
        'cache-control': 'no-cache, no-store',
        'access-control-allow-origin': '*',
        ...headers,
      },
    }),
    ctx,
  };
}
