// Signature verification of Stripe webhooks on the raw body, against every accepted signing secret.
import type Stripe from 'stripe';
import { cryptoProvider, Stripe as StripeSdk } from './client';

/**
 * The verified event, or null when the signature is missing, malformed, made with none of `secrets`,
 * or older than Stripe's default tolerance (300 s). Each secret is tried in turn: the platform
 * endpoint's (several while one is rotated) and the Connect endpoint's.
 * https://docs.stripe.com/webhooks#verify-official-libraries
 */
export async function verifyStripeEvent(
  rawBody: string,
  signature: string | undefined,
  secrets: readonly string[],
): Promise<Stripe.Event | null> {
  if (!signature) return null;
  for (const secret of secrets) {
    try {
      return await StripeSdk.webhooks.constructEventAsync(
        rawBody,
        signature,
        secret,
        undefined,
        cryptoProvider,
      );
    } catch {
      // Not this secret (or not valid at all): try the next one; none left means 400.
    }
  }
  return null;
}
