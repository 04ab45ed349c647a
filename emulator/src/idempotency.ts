// Idempotency keys as Stripe keeps them: the first answer to a key is replayed for the same request,
// another request with the key is an `idempotency_error`. The check, the handler and the save run in one
// synchronous step, so concurrent duplicates (a double click) cannot both miss the key.
import { StripeError } from './errors';
import { canonical, type Params } from './form';
import type { Store } from './store';

/** What idempotency needs to know of one API request. */
export interface KeyedRequest {
  store: Store;
  /** The `Stripe-Account` the request acts as (keys are per account). */
  account: string | null;
  /** The `Idempotency-Key` of a POST, else null. */
  key: string | null;
  method: string;
  path: string;
  params: Params;
  requestId: string;
}

/** The first answer given to a key. */
export interface SavedAnswer {
  status: number;
  body: string;
  requestId: string;
}

/**
 * The saved answer for this request's key, null for a new key or none; throws `idempotency_error` when
 * the key was used with other parameters.
 */
export function replay(req: KeyedRequest): SavedAnswer | null {
  if (!req.key) return null;
  const previous = req.store.idempotent(req.account, req.key);
  if (!previous) return null;
  const same =
    previous.method === req.method && previous.path === req.path && previous.params === canonical(req.params);
  if (!same) {
    throw new StripeError(
      400,
      'idempotency_error',
      `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${req.key}' if you meant to execute a different request.`,
      'idempotency_key_in_use',
    );
  }
  return { status: previous.status, body: previous.body, requestId: previous.request_id };
}

/**
 * Saves the answer under the request's key. Stripe saves the result once the request started executing
 * (success or a card decline); requests rejected by validation are not saved and may be retried.
 */
export function remember(req: KeyedRequest, status: number, body: string): void {
  if (!req.key || (status >= 400 && status !== 402)) return;
  req.store.saveIdempotent(req.account, req.key, {
    method: req.method,
    path: req.path,
    params: canonical(req.params),
    status,
    body,
    request_id: req.requestId,
  });
}
