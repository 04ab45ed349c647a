// Deterministic Stripe idempotency keys: the same cart version and the same parameters give the same key
// (a double click, a retry, a second tab reuse one session); any change in what is sent gives a new key, so
// Stripe's "same key, different parameters" error can't happen.
import { sha256Hex } from '../lib/ids';

/** JSON with object keys sorted at every depth, so equal parameters always serialise to equal text. */
function stableStringify(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

/**
 * The key for one Stripe create call: endpoint, cart version and a hash of every parameter sent.
 * Stripe allows 255 characters; this stays under 120.
 */
export async function idempotencyKey(
  endpoint: string,
  cartVersion: number,
  params: unknown,
): Promise<string> {
  const hash = await sha256Hex(stableStringify(params));
  return `${endpoint}:v${cartVersion}:${hash}`;
}
