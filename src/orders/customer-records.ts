// The customers table: rows mirror Stripe Customers (one per shopper e-mail per Stripe mode), written
// by checkout and by customer.* events under one rule: the newest write wins, whatever the delivery order.
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Stripe } from '../stripe/client';
import type { Db } from '../db/client';
import { schema } from '../db/client';
import { normalizeEmail } from '../lib/email';

export type CustomerRow = typeof schema.customers.$inferSelect;

/**
 * Which write wins when two carry the same Stripe second: a creation never overrides an update, and
 * the row checkout writes (the state after its own update at Stripe) ranks between them.
 */
export const WRITE_RANK = { created: 0, checkout: 1, updated: 2 } as const;

/** Longest name or phone kept (Stripe caps a customer's name at 256 characters). */
export const MAX_NAME_CHARS = 256;
const MAX_PHONE_CHARS = 40;

const clamp = (value: string | null | undefined, max: number) =>
  value == null || value === '' ? null : value.slice(0, max);

/** The live (not deleted) customer of this e-mail in this Stripe mode; the oldest if there are several. */
export async function findCustomerByEmail(
  db: Db,
  email: string,
  livemode: boolean,
): Promise<CustomerRow | undefined> {
  return db
    .select()
    .from(schema.customers)
    .where(
      and(
        eq(schema.customers.emailNormalized, normalizeEmail(email)),
        eq(schema.customers.livemode, livemode),
        isNull(schema.customers.deletedAt),
      ),
    )
    .orderBy(asc(schema.customers.createdAt), asc(schema.customers.id))
    .limit(1)
    .get();
}

/**
 * Writes a Stripe Customer into its row. `at` is the Stripe `created` of the event (or the object)
 * that carried it: a write older than the row's, or as old with a lower rank, changes nothing, so
 * events delivered late, twice or concurrently converge on Stripe's newest state.
 */
export async function upsertCustomer(
  db: Db,
  customer: Stripe.Customer,
  at: number,
  rank: number,
): Promise<void> {
  const email = clamp(customer.email, 254);
  await db
    .insert(schema.customers)
    .values({
      id: customer.id,
      email,
      emailNormalized: email ? normalizeEmail(email) : null,
      name: clamp(customer.name, MAX_NAME_CHARS),
      phone: clamp(customer.phone, MAX_PHONE_CHARS),
      address: customer.address ?? null,
      shipping: customer.shipping ?? null,
      livemode: customer.livemode,
      createdAt: customer.created,
      updatedAt: at,
      updatedRank: rank,
    })
    .onConflictDoUpdate({
      target: schema.customers.id,
      set: {
        email: sql`excluded.email`,
        emailNormalized: sql`excluded.email_normalized`,
        name: sql`excluded.name`,
        phone: sql`excluded.phone`,
        address: sql`excluded.address`,
        shipping: sql`excluded.shipping`,
        livemode: sql`excluded.livemode`,
        updatedAt: sql`excluded.updated_at`,
        updatedRank: sql`excluded.updated_rank`,
      },
      setWhere: sql`excluded.updated_at > ${schema.customers.updatedAt}
        OR (excluded.updated_at = ${schema.customers.updatedAt} AND excluded.updated_rank >= ${schema.customers.updatedRank})`,
    });
}

/**
 * customer.deleted: the row stays (orders name it) but checkout no longer picks it for the e-mail.
 * Written even if the creation has not arrived yet, so a late customer.created can't revive it.
 */
export async function markCustomerDeleted(db: Db, customer: Stripe.Customer, at: number): Promise<void> {
  await upsertCustomer(db, customer, at, WRITE_RANK.updated + 1);
  await db
    .update(schema.customers)
    .set({ deletedAt: at })
    .where(and(eq(schema.customers.id, customer.id), isNull(schema.customers.deletedAt)));
}
