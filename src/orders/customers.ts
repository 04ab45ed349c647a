// Stripe customers mirrored in D1 (customer.created / customer.updated), newest event wins.
import { sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { getDb, schema } from '../db/client';
import type { HandlerMap, WebhookHandler } from '../stripe/handlers';

/**
 * Upserts the customer. `updated_at` holds the Stripe `created` of the event that wrote the row, so
 * an older event delivered late never overwrites a newer one.
 */
const upsertCustomer: WebhookHandler = async (event, env) => {
  if (event.account) return 'ignored';
  const customer = event.data.object as Stripe.Customer;
  const db = getDb(env);
  await db
    .insert(schema.customers)
    .values({
      id: customer.id,
      email: customer.email ?? null,
      name: customer.name ?? null,
      livemode: event.livemode,
      createdAt: customer.created,
      updatedAt: event.created,
    })
    .onConflictDoUpdate({
      target: schema.customers.id,
      set: {
        email: sql`excluded.email`,
        name: sql`excluded.name`,
        livemode: sql`excluded.livemode`,
        updatedAt: sql`excluded.updated_at`,
      },
      setWhere: sql`excluded.updated_at >= ${schema.customers.updatedAt}`,
    });
  return 'processed';
};

/** Handlers that keep the customers table in step with Stripe. */
export const customerEventHandlers: HandlerMap = {
  'customer.created': upsertCustomer,
  'customer.updated': upsertCustomer,
};
