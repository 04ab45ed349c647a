// The Stripe origins the storefront's pages may load scripts from, call, frame and send forms to:
// Stripe's own in test and live mode; in emulator mode exactly the emulator's origin (the site's own,
// PUBLIC_URL, which proxies /__stripe) and nothing of Stripe's.
import { publicOrigin } from '../lib/config';
import { stripeMode } from './client';

/** The CSP directives that name Stripe. */
export type StripeCspDirective = 'scriptSrc' | 'connectSrc' | 'frameSrc' | 'formAction';

/**
 * Stripe's origins per directive: Stripe.js, the API it calls, its frames, hosted Checkout and Connect
 * onboarding (https://docs.stripe.com/security/guide#content-security-policy).
 */
const STRIPE_CSP_SOURCES: Readonly<Record<StripeCspDirective, readonly string[]>> = {
  scriptSrc: ['https://js.stripe.com'],
  connectSrc: ['https://api.stripe.com'],
  frameSrc: ['https://js.stripe.com', 'https://hooks.stripe.com'],
  formAction: ['https://checkout.stripe.com', 'https://connect.stripe.com'],
};

/** The sources of one directive for this environment's Stripe (space-separated, as in the header). */
export function stripeCspSources(
  env: Pick<Env, 'STRIPE_SECRET_KEY' | 'ENVIRONMENT' | 'PUBLIC_URL'>,
  directive: StripeCspDirective,
): string {
  return stripeMode(env) === 'emulator' ? publicOrigin(env) : STRIPE_CSP_SOURCES[directive].join(' ');
}
