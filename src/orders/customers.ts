// Stripe customers mirrored in D1 (customer.created / customer.updated), newest event wins.
import { sql } from 'drizzle-orm';
import { getDb, schema } from '../db/client';
import type { HandlerMap, WebhookHandler } from '../stripe/handlers';
import type { Stripe } from '../stripe/client';
import { reshapeCustomer } from '../stripe/reshape';

/**
 * Upserts the customer. `updated_at` holds the Stripe `created` of the event that wrote the row, so
 * an older event delivered late never overwrites a newer one.
 */
const upsertCustomer: WebhookHandler = async (event, env) => {
  if (event.account) return 'ignored';
  const customer = reshapeCustomer(event.data.object as Stripe.Customer);
  const db = getDb(env);
  await db
    .insert(schema.customers)
    .values({
      id: customer.id,
      email: customer.email,
      name: customer.name,
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
