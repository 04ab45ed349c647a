// What the SDK tells about the HTTP answer behind a Stripe object (its `lastResponse`).
import type { Stripe } from './client';

/**
 * True when Stripe answered from a previous request with the same idempotency key
 * (`Idempotent-Replayed: true`). The SDK's types call `lastResponse.headers` a plain record, but its
 * fetch client hands over the fetch `Response`, whose headers are a `Headers`: read either.
 */
export function wasReplayed(resource: Partial<Stripe.Response<object>>): boolean {
  const headers = resource.lastResponse?.headers as Headers | Record<string, string> | undefined;
  if (!headers) return false;
  const value =
    typeof (headers as Headers).get === 'function'
      ? (headers as Headers).get('idempotent-replayed')
      : (headers as Record<string, string>)['idempotent-replayed'];
  return value === 'true';
}
