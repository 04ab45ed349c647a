// The emulator Worker's bindings and vars (emulator/wrangler.toml), and the API keys it accepts.

/** The emulator Worker's bindings and vars. */
export interface EmulatorEnv {
  EMULATOR: DurableObjectNamespace;
  PUBLIC_URL?: string;
  /** Secret keys the REST API accepts, comma separated (default: the storefront's `sk_test_emulator`). */
  SECRET_KEYS?: string;
  /** Publishable keys Stripe.js calls may use, comma separated (default: `pk_test_emulator`). */
  PUBLISHABLE_KEYS?: string;
  WEBHOOK_SECRET?: string;
  CONNECT_WEBHOOK_SECRET?: string;
  WEBHOOK_URL?: string;
  STOREFRONT?: Fetcher;
}

/** The keys the storefront uses in emulator mode (`src/stripe/client.ts`), accepted when none are configured. */
export const DEFAULT_SECRET_KEY = 'sk_test_emulator';
export const DEFAULT_PUBLISHABLE_KEY = 'pk_test_emulator';

function keyList(value: string | undefined, fallback: string): string[] {
  const keys = (value ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  return keys.length > 0 ? keys : [fallback];
}

/** Which kind of configured key `key` is, or null for a key this emulator does not know. */
export function keyKind(env: EmulatorEnv, key: string): 'secret' | 'publishable' | null {
  if (keyList(env.SECRET_KEYS, DEFAULT_SECRET_KEY).includes(key)) return 'secret';
  if (keyList(env.PUBLISHABLE_KEYS, DEFAULT_PUBLISHABLE_KEY).includes(key)) return 'publishable';
  return null;
}
