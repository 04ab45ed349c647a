// The store builder: a vendor's store made and kept current from its Stripe Connect account
// (business profile → name, About and Contact; capability flags → status; deauthorization → closed).
import { invalidateCatalogPages } from './page-cache';
import { and, eq, isNull, like, or, sql } from 'drizzle-orm';
import { storeCanSell } from './availability';
import { changes, runBatch } from '../db/batch';
import type { Db } from '../db/client';
import { getDb, schema, firstRow, rowById } from '../db/client';
import { newId } from '../lib/ids';
import type { Stripe } from '../stripe/client';
import { nowSeconds } from '../lib/time';

export type StoreRow = typeof schema.stores.$inferSelect;

/** What a shopper is told about a store. */
export type StoreStatus = 'open' | 'opening_soon' | 'closed';

/**
 * open: sells (charges and payouts enabled); opening_soon: onboarding not finished, nothing for sale;
 * closed: the account left the platform. "Can sell" is the catalog's one rule (storeCanSell).
 */
export function storeStatus(
  store: Pick<StoreRow, 'chargesEnabled' | 'payoutsEnabled' | 'deauthorizedAt'>,
): StoreStatus {
  if (store.deauthorizedAt != null) return 'closed';
  return storeCanSell(store) ? 'open' : 'opening_soon';
}

export const STORE_STATUS_LABEL: Record<StoreStatus, string> = {
  open: 'Open',
  opening_soon: 'Opening soon',
  closed: 'Closed',
};

/** A URL slug from a name: lower-case ASCII words joined by dashes ("Café Nord" → "cafe-nord"). */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40) // D1 caps LIKE patterns at 50 bytes (uniqueStoreSlug matches `slug-%`)
    .replace(/-+$/g, '');
  return slug || 'shop';
}

/** A store slug not taken yet: the name's slug, else with -2, -3, ... */
async function uniqueStoreSlug(db: Db, name: string): Promise<string> {
  const base = slugify(name);
  const taken = new Set(
    (
      await db
        .select({ slug: schema.stores.slug })
        .from(schema.stores)
        .where(or(eq(schema.stores.slug, base), like(schema.stores.slug, `${base}-%`)))
    ).map((r) => r.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** The store fields an account carries (Express: the business profile the vendor filled in at Stripe). */
function storeFieldsFromAccount(account: Stripe.Account) {
  const profile = account.business_profile ?? null;
  const displayName = account.settings?.dashboard?.display_name ?? null;
  return {
    name: clean(profile?.name) ?? clean(displayName),
    email: clean(account.email),
    supportEmail: clean(profile?.support_email),
    supportPhone: clean(profile?.support_phone),
    website: clean(profile?.url) ?? clean(profile?.support_url),
    about: clean(profile?.product_description),
    chargesEnabled: account.charges_enabled,
    payoutsEnabled: account.payouts_enabled,
    detailsSubmitted: account.details_submitted,
  };
}

function clean(value: string | null | undefined): string | null {
  const v = value?.trim();
  return v ? v : null;
}

/**
 * Inserts a store and its account link in one batch, retrying with another slug if a concurrent
 * insert took the first one. Returns the new store's id.
 */
export async function insertStore(
  db: Db,
  values: { name: string; email: string | null; accountId: string | null; deauthorizedAt?: number | null },
): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const id = newId('st');
    const slug = await uniqueStoreSlug(db, attempt === 0 ? values.name : `${values.name} ${id.slice(-4)}`);
    try {
      await db.batch([
        db.insert(schema.stores).values({
          id,
          slug,
          name: values.name,
          email: values.email,
          stripeAccountId: values.accountId,
          deauthorizedAt: values.deauthorizedAt ?? null,
        }),
        ...(values.accountId
          ? [
              db
                .insert(schema.vendorAccounts)
                .values({ accountId: values.accountId, storeId: id })
                .onConflictDoNothing(),
            ]
          : []),
      ]);
      invalidateCatalogPages();
      return id;
    } catch (err) {
      // The slug's unique index lost a race: once more with a suffix. Anything else is real.
      if (attempt >= 2 || !mentions(err, 'stores.slug')) throw err;
    }
  }
}

/** True when the error or one of its causes (drizzle wraps D1's) mentions `text`. */
function mentions(err: unknown, text: string): boolean {
  for (let e: unknown = err; e; e = e instanceof Error ? e.cause : undefined) {
    const message = e instanceof Error ? e.message : typeof e === 'string' ? e : '';
    if (message.includes(text)) return true;
  }
  return false;
}

/** Ties an account to a store (the store made at connect time) so that events find it. */
export async function linkAccount(db: Db, storeId: string, accountId: string): Promise<void> {
  await db.batch([
    db
      .update(schema.stores)
      .set({ stripeAccountId: accountId, updatedAt: nowSeconds() })
      .where(and(eq(schema.stores.id, storeId), isNull(schema.stores.stripeAccountId))),
    db.insert(schema.vendorAccounts).values({ accountId, storeId }).onConflictDoNothing(),
  ]);
}

/** The store of an account, found by its link, its `stripe_account_id` or the `store_id` we put in its metadata. */
async function findStoreForAccount(
  db: Db,
  accountId: string,
  metadataStoreId?: string,
): Promise<StoreRow | undefined> {
  const link = await firstRow(db, schema.vendorAccounts, eq(schema.vendorAccounts.accountId, accountId));
  if (link) {
    const store = await rowById(db, schema.stores, link.storeId);
    if (store) return store;
  }
  const byAccount = await firstRow(db, schema.stores, eq(schema.stores.stripeAccountId, accountId));
  if (byAccount) return byAccount;
  if (metadataStoreId) {
    // An event that overtook the connect request's own write of the account id.
    const byMeta = await firstRow(
      db,
      schema.stores,
      and(eq(schema.stores.id, metadataStoreId), isNull(schema.stores.stripeAccountId)),
    );
    if (byMeta) return byMeta;
  }
  return undefined;
}

/** The store of an account, built now if no store knows the account yet. */
async function ensureStoreForAccount(
  db: Db,
  accountId: string,
  seed: { name: string | null; email: string | null; metadataStoreId?: string; deauthorizedAt?: number },
): Promise<string> {
  const existing = await findStoreForAccount(db, accountId, seed.metadataStoreId);
  if (existing) {
    if (!existing.stripeAccountId) await linkAccount(db, existing.id, accountId);
    else
      await db
        .insert(schema.vendorAccounts)
        .values({ accountId, storeId: existing.id })
        .onConflictDoNothing();
    return existing.id;
  }
  try {
    return await insertStore(db, {
      name: seed.name ?? `Shop ${accountId.slice(-6)}`,
      email: seed.email,
      accountId,
      deauthorizedAt: seed.deauthorizedAt ?? null,
    });
  } catch (err) {
    // Two events for a new account at once: the other one built it.
    const raced = await findStoreForAccount(db, accountId);
    if (raced) return raced.id;
    throw err;
  }
}

/**
 * Builds or updates the store of `account` from an account event created at `eventCreated` (Stripe's
 * seconds). An event older than one already applied changes nothing (events arrive in any order); a
 * closed (deauthorized) store stays closed. Returns the store id and whether this event was applied.
 */
export async function applyAccount(
  env: Pick<Env, 'DB'>,
  account: Stripe.Account,
  eventCreated: number,
): Promise<{ storeId: string; applied: boolean }> {
  const db = getDb(env);
  const fields = storeFieldsFromAccount(account);
  const storeId = await ensureStoreForAccount(db, account.id, {
    name: fields.name,
    email: fields.email,
    metadataStoreId: account.metadata?.store_id,
  });
  // The guard and the update run in one transaction: the store changes only if no newer event did.
  const results = await runBatch(db, [
    sql`UPDATE stores SET
        name = COALESCE(${fields.name}, name),
        email = COALESCE(${fields.email}, email),
        support_email = COALESCE(${fields.supportEmail}, support_email),
        support_phone = COALESCE(${fields.supportPhone}, support_phone),
        website = COALESCE(${fields.website}, website),
        about = COALESCE(${fields.about}, about),
        stripe_account_id = ${account.id},
        charges_enabled = CASE WHEN deauthorized_at IS NULL THEN ${fields.chargesEnabled ? 1 : 0} ELSE 0 END,
        payouts_enabled = CASE WHEN deauthorized_at IS NULL THEN ${fields.payoutsEnabled ? 1 : 0} ELSE 0 END,
        details_submitted = ${fields.detailsSubmitted ? 1 : 0},
        updated_at = unixepoch()
      WHERE id = ${storeId}
        AND EXISTS (SELECT 1 FROM vendor_accounts v WHERE v.account_id = ${account.id} AND v.last_event_at <= ${eventCreated})`,
    sql`UPDATE vendor_accounts SET last_event_at = ${eventCreated}, updated_at = unixepoch()
      WHERE account_id = ${account.id} AND last_event_at <= ${eventCreated}`,
  ]);
  const applied = changes(results[0]) > 0;
  if (applied) invalidateCatalogPages();
  return { storeId, applied };
}

/**
 * Closes the store of an account that disconnected from the platform (for good: later account events
 * never reopen it). An account no store knows gets a closed store, so a late `account.updated` can't
 * open one.
 */
export async function closeAccountStore(
  env: Pick<Env, 'DB'>,
  accountId: string,
  eventCreated: number,
): Promise<string> {
  const db = getDb(env);
  const storeId = await ensureStoreForAccount(db, accountId, {
    name: null,
    email: null,
    deauthorizedAt: eventCreated,
  });
  await db
    .update(schema.stores)
    .set({
      deauthorizedAt: sql`COALESCE(${schema.stores.deauthorizedAt}, ${eventCreated})`,
      chargesEnabled: false,
      payoutsEnabled: false,
      updatedAt: nowSeconds(),
    })
    .where(eq(schema.stores.id, storeId));
  invalidateCatalogPages();
  return storeId;
}

/** A store by its public slug. */
export async function storeBySlug(db: Db, slug: string): Promise<StoreRow | undefined> {
  return firstRow(db, schema.stores, eq(schema.stores.slug, slug));
}
