// The only module that constructs the `stripe` SDK: real Stripe (test or live keys) or the local
// emulator (no key set; reached through the STRIPE_EMULATOR service binding).
import Stripe from 'stripe';
import { publicOrigin } from '../lib/config';
import { AppError } from '../lib/errors';

export type StripeMode = 'live' | 'test' | 'emulator';

/** The key the app presents to the emulator; the emulator accepts only keys of this shape. */
const EMULATOR_SECRET_KEY = 'sk_test_emulator';
const EMULATOR_PUBLISHABLE_KEY = 'pk_test_emulator';

type StripeEnv = Pick<Env, 'STRIPE_SECRET_KEY' | 'ENVIRONMENT' | 'PUBLIC_URL'> & {
  STRIPE_EMULATOR?: Fetcher;
};

/** Where the storefront serves the emulator's pages (the dev proxy in emulator-proxy.ts). */
export const EMULATOR_PREFIX = '/__stripe';

/**
 * The base of every emulator URL a browser opens (hosted checkout, onboarding, Stripe.js stand-in,
 * receipts): the site's public origin plus the proxy's prefix. The one place it is derived; the emulator
 * is told it on every request (`x-emulator-public-url`).
 */
export function emulatorPublicUrl(env: Pick<Env, 'PUBLIC_URL'>): string {
  return `${publicOrigin(env)}${EMULATOR_PREFIX}`;
}

/** Which Stripe this deployment talks to, from its secret key. */
export function stripeMode(env: StripeEnv): StripeMode {
  const key = env.STRIPE_SECRET_KEY?.trim();
  if (!key) return 'emulator';
  return key.startsWith('sk_live_') || key.startsWith('rk_live_') ? 'live' : 'test';
}

/** Thrown when the configuration can't work: a live key in development, no key and no emulator. */
class StripeConfigError extends AppError {
  constructor(message: string) {
    super(500, 'Stripe is misconfigured', message);
  }
}

/** Checks the Stripe configuration; throws a StripeConfigError saying what to fix. */
function assertStripeConfig(env: StripeEnv): StripeMode {
  const mode = stripeMode(env);
  if (mode === 'live' && env.ENVIRONMENT !== 'production') {
    throw new StripeConfigError(
      'A live Stripe key (sk_live_...) is set outside production. Use an sk_test_ key in .dev.vars, or leave STRIPE_SECRET_KEY empty for the local emulator.',
    );
  }
  if (mode === 'emulator' && !env.STRIPE_EMULATOR) {
    throw new StripeConfigError(
      'STRIPE_SECRET_KEY is not set and no STRIPE_EMULATOR binding exists. Set the secret with `wrangler secret put STRIPE_SECRET_KEY`.',
    );
  }
  return mode;
}

const clients = new WeakMap<object, Stripe>();

/**
 * The Stripe client for this environment, built once per isolate and env object.
 * In emulator mode every request goes through the service binding; the SDK is unmodified.
 */
export function getStripe(env: StripeEnv): Stripe {
  const cached = clients.get(env);
  if (cached) return cached;
  const mode = assertStripeConfig(env);
  const common = { maxNetworkRetries: 2, timeout: 20_000, telemetry: false } as const;
  const client =
    mode === 'emulator'
      ? new Stripe(EMULATOR_SECRET_KEY, {
          ...common,
          host: 'stripe-emulator.local',
          protocol: 'http',
          port: 80,
          httpClient: Stripe.createFetchHttpClient((input: RequestInfo | URL, init?: RequestInit) => {
            // The emulator builds its hosted-page URLs from the storefront's public origin (`--port` aware).
            const headers = new Headers(init?.headers);
            headers.set('x-emulator-public-url', emulatorPublicUrl(env));
            return env.STRIPE_EMULATOR!.fetch(input, { ...init, headers });
          }),
        })
      : new Stripe(env.STRIPE_SECRET_KEY.trim(), { ...common, httpClient: Stripe.createFetchHttpClient() });
  clients.set(env, client);
  return client;
}

/** The publishable key the browser uses (emulator: a fixed test key). */
export function publishableKey(env: StripeEnv & Pick<Env, 'STRIPE_PUBLISHABLE_KEY'>): string {
  return stripeMode(env) === 'emulator' ? EMULATOR_PUBLISHABLE_KEY : (env.STRIPE_PUBLISHABLE_KEY ?? '');
}

/** Every webhook signing secret accepted (platform endpoint, rotated secrets, Connect endpoint). */
export function webhookSecrets(
  env: Pick<Env, 'STRIPE_WEBHOOK_SECRET' | 'STRIPE_CONNECT_WEBHOOK_SECRET'>,
): string[] {
  return [env.STRIPE_WEBHOOK_SECRET, env.STRIPE_CONNECT_WEBHOOK_SECRET]
    .flatMap((s) => (s ?? '').split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Signature checks use WebCrypto: workerd has no Node crypto HMAC in the SDK's sync path. */
export const cryptoProvider = Stripe.createSubtleCryptoProvider();

export { Stripe };
