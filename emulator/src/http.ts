// What the emulator's Hono routes share: the app's variables, Stripe's JSON responses, and the adapter
// that turns a resource handler (context, params, path) into a route.
import type { Context, Handler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Ctx } from './context';
import type { AttemptResult, Deliverer } from './delivery';
import type { EmulatorEnv } from './env';
import { StripeError } from './errors';
import type { Params } from './form';
import { remember, replay, type KeyedRequest } from './idempotency';
import type { Store } from './store';

/** What the routes need from the Durable Object that holds the state. */
export interface EmulatorCore {
  store: Store;
  deliverer: Deliverer;
  makeCtx(publicUrl: string): Ctx;
  drain(): Promise<AttemptResult[]>;
  /** Sets the alarm for the next due delivery or session expiry. */
  reschedule(): Promise<void>;
}

/** Per-request values, set by the middleware of the app and of the REST API. */
export interface AppVariables {
  core: EmulatorCore;
  /** Base of every browser-facing URL in this response (`x-emulator-public-url` or PUBLIC_URL). */
  publicUrl: string;
  /** The request's context; the events it emitted make the Durable Object schedule deliveries. */
  ctx: Ctx;
  /** REST API only: the form-encoded (or JSON) parameters, query string included. */
  params: Params;
  requestId: string;
  /** REST API only: the `Stripe-Account` the request acts as. */
  account: string | null;
  /** REST API only: the request authenticated with a publishable key (Stripe.js). */
  publishable: boolean;
  /** REST API only: the `Idempotency-Key` of a POST, else null. */
  idempotencyKey: string | null;
}

export type AppEnv = { Bindings: EmulatorEnv; Variables: AppVariables };

/** Stripe's JSON: pretty-printed, uncached, readable cross-origin (Stripe.js). */
export function stripeJson(c: Context<AppEnv>, status: number, body: unknown): Response {
  return stripeText(c, status, JSON.stringify(body, null, 2));
}

function stripeText(c: Context<AppEnv>, status: number, text: string): Response {
  return c.body(text, status as ContentfulStatusCode, {
    'content-type': 'application/json',
    'cache-control': 'no-cache, no-store',
    'access-control-allow-origin': '*',
  });
}

/** What the idempotency check needs of this API request. */
export function keyedRequest(c: Context<AppEnv>): KeyedRequest {
  return {
    store: c.var.core.store,
    account: c.var.account,
    key: c.var.idempotencyKey,
    method: c.req.method,
    path: new URL(c.req.url).pathname,
    params: c.var.params,
    requestId: c.var.requestId,
  };
}

/** A resource handler: answers the 200 body, or throws a StripeError that the API renders. */
export type ResourceHandler = (ctx: Ctx, params: Params, path: Record<string, string>) => unknown;

/**
 * The route for a resource handler, with the request's context, parameters and decoded path params.
 * Replay, handler and save are one synchronous step (no await), so the Durable Object runs no other
 * request in between.
 */
export function stripeRoute(fn: ResourceHandler): Handler<AppEnv> {
  return (c) => {
    const keyed = keyedRequest(c);
    const previous = replay(keyed);
    if (previous) {
      return c.body(previous.body, previous.status as 200, {
        'content-type': 'application/json',
        'cache-control': 'no-cache, no-store',
        'idempotent-replayed': 'true',
        'original-request': previous.requestId,
      });
    }
    let status = 200;
    let body: unknown;
    try {
      body = fn(c.var.ctx, c.var.params, c.req.param() as Record<string, string>);
    } catch (err) {
      if (!(err instanceof StripeError)) throw err;
      status = err.status;
      body = err.body();
    }
    const text = JSON.stringify(body, null, 2);
    remember(keyed, status, text);
    return stripeText(c, status, text);
  };
}
