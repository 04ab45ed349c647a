// Connect onboarding: a vendor's Express-style connected account (Stripe-hosted onboarding and
// dashboard), its store made at once, onboarding links, and the Express dashboard login link.
import * as z from 'zod';
import { eq } from 'drizzle-orm';
import { getDb, schema, rowById } from '../db/client';
import { publicOrigin } from '../lib/config';
import { UpstreamError, ValidationError } from '../lib/errors';
import { getStripe, type Stripe } from '../stripe/client';
import { classifyStripeError } from '../stripe/errors';
import { applyAccount, insertStore, linkAccount, type StoreRow } from '../catalog/stores';
import { nowSeconds } from '../lib/time';
import { errorFields } from '../lib/log';

export const connectSchema = z.object({
  name: z.string().trim().min(2, 'Give your shop a name of at least 2 characters.').max(80),
  email: z.string().trim().toLowerCase().max(200).pipe(z.email('Enter the e-mail address you sign in with.')),
  country: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, 'Pick a country.')
    .transform((c) => c.toUpperCase())
    .optional(),
});
export type ConnectInput = z.infer<typeof connectSchema>;

/** Where Stripe sends the vendor back: the dashboard when done, a fresh link when the old one expired. */
function onboardingUrls(env: Env) {
  const origin = publicOrigin(env);
  return { return_url: `${origin}/vendor?onboarding=done`, refresh_url: `${origin}/vendor/onboarding` };
}

/**
 * Creates the vendor's store and its connected account (Express: Stripe hosts onboarding and the
 * dashboard; the platform only needs the `transfers` capability to pay it), then an onboarding link.
 * The store exists before the first account event, tied to the account by id and by metadata.
 */
export async function connectVendor(
  env: Env,
  input: ConnectInput,
): Promise<{ store: StoreRow; url: string }> {
  const db = getDb(env);
  const storeId = await insertStore(db, { name: input.name, email: input.email, accountId: null });
  const stripe = getStripe(env);
  let account: Stripe.Account;
  try {
    account = await stripe.accounts.create(
      {
        type: 'express',
        ...(input.country ? { country: input.country } : {}),
        email: input.email,
        business_profile: { name: input.name },
        capabilities: { transfers: { requested: true } },
        metadata: { store_id: storeId },
      },
      { idempotencyKey: `account_${storeId}` },
    );
  } catch (err) {
    // No account, no store: the vendor simply tries again.
    await db.delete(schema.stores).where(eq(schema.stores.id, storeId));
    throw stripeProblem(err, 'Stripe could not create your account.');
  }
  await linkAccount(db, storeId, account.id);
  // The account as created is the store's first state (an account event may still overtake it).
  await applyAccount(env, account, account.created ?? 0);
  const url = await onboardingLink(env, account.id);
  const store = await rowById(db, schema.stores, storeId);
  return { store: store!, url };
}

/** A fresh onboarding link for the account (links are single-use and expire within minutes). */
export async function onboardingLink(env: Env, accountId: string): Promise<string> {
  try {
    const link = await getStripe(env).accountLinks.create({
      account: accountId,
      type: 'account_onboarding',
      ...onboardingUrls(env),
    });
    return link.url;
  } catch (err) {
    throw stripeProblem(err, 'Stripe could not make an onboarding link.');
  }
}

/**
 * Re-reads the store's account from Stripe (the vendor is back from onboarding): the store opens at
 * once even if the `account.updated` webhook is still on its way.
 */
export async function refreshStoreFromStripe(env: Env, store: StoreRow): Promise<StoreRow> {
  if (!store.stripeAccountId) return store;
  try {
    const account = await getStripe(env).accounts.retrieve(store.stripeAccountId);
    await applyAccount(env, account, nowSeconds());
  } catch (err) {
    // The webhook will do it; the dashboard still renders.
    console.warn(
      JSON.stringify({ msg: 'vendor: account refresh failed', store: store.id, ...errorFields(err) }),
    );
    return store;
  }
  return (await rowById(getDb(env), schema.stores, store.id)) ?? store;
}

/** A one-time link into the vendor's Stripe Express dashboard. */
export async function expressDashboardLink(env: Env, store: StoreRow): Promise<string> {
  if (!store.stripeAccountId) throw new ValidationError('This shop has no Stripe account yet.');
  if (!store.detailsSubmitted)
    throw new ValidationError('Finish onboarding with Stripe first: the Express dashboard opens after it.');
  try {
    const link = await getStripe(env).accounts.createLoginLink(store.stripeAccountId);
    return link.url;
  } catch (err) {
    throw stripeProblem(err, 'Stripe could not open your dashboard.');
  }
}

/** Stripe's 4xx as a 422 the vendor can act on; anything else as a 502 worth retrying. */
function stripeProblem(err: unknown, fallback: string): Error {
  const failure = classifyStripeError(err);
  if (!failure.fromStripe) return err instanceof Error ? err : new UpstreamError(fallback);
  if (!failure.retryable)
    return new ValidationError(failure.message || fallback, { stripe_code: failure.code ?? undefined });
  return new UpstreamError(fallback);
}
