// Idempotency keys as Stripe keeps them: the first answer to a key is replayed for the same request,
// another request with the key is an `idempotency_error`. The check, the handler and the save run in one
// synchronous step, so concurrent duplicates (a double click) cannot both miss the key.
import type { Context } from 'hono';
import { StripeError } from './errors';
import { canonical } from './form';
import type { AppEnv } from './http';

/**
 * The saved answer for this request's key (with `Idempotent-Replayed: true`), null for a new key or
 * none; throws `idempotency_error` when the key was used with other parameters.
 */
export function replay(c: Context<AppEnv>): Response | null {
  const key = c.var.idempotencyKey;
  if (!key) return null;
  const previous = c.var.core.store.idempotent(c.var.account, key);
  if (!previous) return null;
  const path = new URL(c.req.url).pathname;
  const same =
    previous.method === c.req.method && previous.path === path && previous.params === canonical(c.var.params);
  if (!same) {
    throw new StripeError(
      400,
      'idempotency_error',
      `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      'idempotency_key_in_use',
    );
  }
  return c.body(previous.body, previous.status as 200, {
    'content-type': 'application/json',
    'cache-control': 'no-cache, no-store',
    'idempotent-replayed': 'true',
    'original-request': previous.request_id,
  });
}

/**
 * Saves the answer under the request's key. Stripe saves the result once the request started executing
 * (success or a card decline); requests rejected by validation are not saved and may be retried.
 */
export function remember(c: Context<AppEnv>, status: number, body: string): void {
  const key = c.var.idempotencyKey;
  if (!key || (status >= 400 && status !== 402)) return;
  c.var.core.store.saveIdempotent(c.var.account, key, {
    method: c.req.method,
    path: new URL(c.req.url).pathname,
    params: canonical(c.var.params),
    status,
    body,
    request_id: c.var.requestId,
  });
}
