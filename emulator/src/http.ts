// What the emulator's Hono routes share: the app's variables, Stripe's JSON responses, and the adapter
// that turns a resource handler (context, params, path) into a route.
import type { Context, Handler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Ctx } from './context';
import type { AttemptResult, Deliverer } from './delivery';
import type { EmulatorEnv } from './env';
import type { Params } from './form';
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
}

export type AppEnv = { Bindings: EmulatorEnv; Variables: AppVariables };

/** Stripe's JSON: pretty-printed, uncached, readable cross-origin (Stripe.js). */
export function stripeJson(c: Context<AppEnv>, status: number, body: unknown): Response {
  return c.body(JSON.stringify(body, null, 2), status as ContentfulStatusCode, {
    'content-type': 'application/json',
    'cache-control': 'no-cache, no-store',
    'access-control-allow-origin': '*',
  });
}

/** A resource handler: answers the 200 body, or throws a StripeError that the API renders. */
export type ResourceHandler = (ctx: Ctx, params: Params, path: Record<string, string>) => unknown;

/** The route for a resource handler, with the request's context, parameters and decoded path params. */
export function stripeRoute(fn: ResourceHandler): Handler<AppEnv> {
  return (c) => stripeJson(c, 200, fn(c.var.ctx, c.var.params, c.req.param() as Record<string, string>));
}
