// Dev only: gives each seeded demo store (ids `st_demo_...`) a real connected account in the local Stripe
// emulator, onboarding completed, so a local purchase ends with transfers. Refused in production.
import { and, eq, like, ne } from 'drizzle-orm';
import { getDb, schema } from '../db/client';
import { storeConfig } from '../lib/config';
import { ConflictError, ForbiddenError } from '../lib/errors';
import { getStripe, stripeMode, type Stripe } from '../stripe/client';
import { classifyStripeError } from '../stripe/errors';
import { applyAccount } from '../catalog/stores';
import { nowSeconds } from '../lib/time';

export interface DemoVendorResult {
  storeId: string;
  slug: string;
  accountId: string;
  /** created: a new account; kept: the stored one was still valid. */
  action: 'created' | 'kept';
  chargesEnabled: boolean;
  payoutsEnabled: boolean;
}

/**
 * Idempotent (it runs on every `npm run dev`): a demo store whose account still exists in the emulator
 * keeps it; one without (new database, or an emulator reset) gets a new one.
 */
export async function connectDemoVendors(env: Env): Promise<DemoVendorResult[]> {
  if (storeConfig(env).production) throw new ForbiddenError('Demo vendors exist only in development.');
  if (stripeMode(env) !== 'emulator' || !env.STRIPE_EMULATOR) {
    throw new ConflictError('Demo vendors need the local Stripe emulator (leave STRIPE_SECRET_KEY empty).');
  }
  const db = getDb(env);
  const stripe = getStripe(env);
  const stores = await db.select().from(schema.stores).where(like(schema.stores.id, 'st_demo_%'));
  const results: DemoVendorResult[] = [];
  for (const store of stores.filter((s) => s.id.startsWith('st_demo_'))) {
    let account = store.stripeAccountId ? await retrieveOrNull(stripe, store.stripeAccountId) : null;
    const action = account ? 'kept' : 'created';
    if (!account) {
      account = await stripe.accounts.create(
        {
          type: 'express',
          email: store.email ?? `${store.slug}@example.com`,
          business_profile: {
            name: store.name,
            ...(store.website ? { url: store.website } : {}),
            ...(store.supportEmail ? { support_email: store.supportEmail } : {}),
          },
          capabilities: { transfers: { requested: true } },
          metadata: { store_id: store.id, demo: 'true' },
        },
        // A stable key: a second run racing this one gets the same account.
        { idempotencyKey: `demo_account_${store.id}` },
      );
      await db.batch([
        db
          .delete(schema.vendorAccounts)
          .where(
            and(eq(schema.vendorAccounts.storeId, store.id), ne(schema.vendorAccounts.accountId, account.id)),
          ),
        db
          .update(schema.stores)
          .set({ stripeAccountId: account.id, updatedAt: nowSeconds() })
          .where(eq(schema.stores.id, store.id)),
        db
          .insert(schema.vendorAccounts)
          .values({ accountId: account.id, storeId: store.id })
          .onConflictDoNothing(),
      ]);
    }
    if (!account.details_submitted || !account.charges_enabled || !account.payouts_enabled) {
      await completeOnboarding(env.STRIPE_EMULATOR, account.id, store.name, store.website);
      account = await stripe.accounts.retrieve(account.id);
    }
    // Apply now rather than wait for the emulator's account.updated (it also arrives; same state).
    await applyAccount(env, account, nowSeconds());
    results.push({
      storeId: store.id,
      slug: store.slug,
      accountId: account.id,
      action,
      chargesEnabled: account.charges_enabled,
      payoutsEnabled: account.payouts_enabled,
    });
  }
  return results;
}

async function retrieveOrNull(stripe: Stripe, id: string): Promise<Stripe.Account | null> {
  try {
    return await stripe.accounts.retrieve(id);
  } catch (err) {
    if (classifyStripeError(err).status === 404) return null;
    throw err;
  }
}

/** The emulator's control endpoint that does what submitting its onboarding form does. */
async function completeOnboarding(emulator: Fetcher, accountId: string, name: string, url: string | null) {
  const res = await emulator.fetch(
    `http://stripe-emulator.local/_emulator/accounts/${encodeURIComponent(accountId)}/complete_onboarding`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ business_name: name, ...(url ? { url } : {}) }),
    },
  );
  if (!res.ok) throw new Error(`emulator onboarding for ${accountId} answered ${res.status}`);
  await res.body?.cancel();
}
