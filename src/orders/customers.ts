// Stripe Customers: one per shopper e-mail per Stripe mode, found or made at checkout, filled from what
// checkout collected and linked to the order; customer.* events keep the D1 mirror current.
import type { Stripe } from '../stripe/client';
import { getDb } from '../db/client';
import { normalizeEmail } from '../lib/email';
import { sha256Hex } from '../lib/ids';
import { getStripe, stripeMode } from '../stripe/client';
import type { HandlerMap, WebhookHandler } from '../stripe/handlers';
import {
  findCustomerByEmail,
  markCustomerDeleted,
  MAX_NAME_CHARS,
  upsertCustomer,
  WRITE_RANK,
} from './customer-records';
import { recordPaymentDetails } from './state';

/** What a checkout (hosted page or Payment Element) collected about the buyer. */
export interface CollectedCustomer {
  email: string | null;
  name: string | null;
  phone: string | null;
  /** Billing address. */
  address: Stripe.Address | null;
  shipping: { name: string | null; phone?: string | null; address: Stripe.Address | null } | null;
}

const livemodeOf = (env: Env) => stripeMode(env) === 'live';

/**
 * The Stripe Customer of this e-mail, made if there is none: the D1 mirror first, then Stripe's list
 * (strongly consistent, unlike search), then a create whose idempotency key is derived from the
 * normalised e-mail, so two concurrent checkouts by one shopper make one Customer.
 */
export async function ensureCustomer(env: Env, email: string): Promise<string> {
  const normalized = normalizeEmail(email);
  const db = getDb(env);
  const known = await findCustomerByEmail(db, normalized, livemodeOf(env));
  if (known) return known.id;
  const stripe = getStripe(env);
  // The list's email filter is exact and case-sensitive (https://docs.stripe.com/api/customers/list):
  // the Customers made here carry the normalised address so that it finds them.
  const listed = await stripe.customers.list({ email: normalized, limit: 10 });
  const oldest = [...listed.data].sort((a, b) => a.created - b.created || a.id.localeCompare(b.id))[0];
  const customer =
    oldest ??
    (await stripe.customers.create(
      { email: normalized },
      { idempotencyKey: `customer:v1:${await sha256Hex(normalized)}` },
    ));
  await upsertCustomer(db, customer, customer.created, WRITE_RANK.created);
  return customer.id;
}

/** Stripe's address params from an address object: only the parts that were given. */
function addressParam(a: Stripe.Address | null | undefined): Stripe.AddressParam | undefined {
  if (!a) return undefined;
  const out: Stripe.AddressParam = {};
  for (const k of ['line1', 'line2', 'city', 'state', 'postal_code', 'country'] as const) {
    if (a[k]) out[k] = a[k]!;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The Customer update that saves what checkout collected (the newest checkout wins, like Stripe's own `customer_update: auto`). */
function updateParams(collected: CollectedCustomer): Stripe.CustomerUpdateParams {
  const params: Stripe.CustomerUpdateParams = {};
  if (collected.name) params.name = collected.name.slice(0, MAX_NAME_CHARS);
  if (collected.phone) params.phone = collected.phone.slice(0, 40);
  const address = addressParam(collected.address);
  if (address) params.address = address;
  const shipping = collected.shipping;
  const shipTo = addressParam(shipping?.address);
  if (shipping && shipTo?.line1) {
    params.shipping = {
      name: (shipping.name || collected.name || '').slice(0, MAX_NAME_CHARS),
      address: shipTo,
      ...(shipping.phone || collected.phone ? { phone: (shipping.phone || collected.phone)! } : {}),
    };
  }
  return params;
}

const isInvalidRequest = (err: unknown) =>
  (err as { type?: string } | null)?.type === 'StripeInvalidRequestError';

/**
 * After a checkout completed: the buyer's Customer (the one checkout used, else the one of their
 * e-mail, made if needed) is given what checkout collected, its row written, and the order linked.
 * `at` is the Stripe `created` of the event that reported the checkout. Safe to repeat. A Stripe
 * outage throws (the event is retried); a refusal (a deleted customer) still links the order.
 */
export async function linkOrderCustomer(
  env: Env,
  input: { orderId: string; customerId: string | null; collected: CollectedCustomer; at: number },
): Promise<string | null> {
  const email = input.collected.email ? normalizeEmail(input.collected.email) : null;
  const customerId = input.customerId ?? (email ? await ensureCustomer(env, email) : null);
  const db = getDb(env);
  if (!customerId) return null;
  const params = updateParams(input.collected);
  const stripe = getStripe(env);
  try {
    const customer = Object.keys(params).length
      ? await stripe.customers.update(customerId, params)
      : await stripe.customers.retrieve(customerId);
    if (!('deleted' in customer && customer.deleted)) {
      await upsertCustomer(db, customer, input.at, WRITE_RANK.checkout);
    }
  } catch (err) {
    if (!isInvalidRequest(err)) throw err;
    console.warn(JSON.stringify({ msg: 'customer not updated from checkout', customer: customerId }));
  }
  await recordPaymentDetails(db, input.orderId, { customerId, ...(email ? { email } : {}) });
  return customerId;
}

const upsertFromEvent: WebhookHandler = async (event, env) => {
  if (event.account) return 'ignored';
  const customer = event.data.object as Stripe.Customer;
  const rank = event.type === 'customer.created' ? WRITE_RANK.created : WRITE_RANK.updated;
  await upsertCustomer(getDb(env), customer, event.created, rank);
  return 'processed';
};

const deleted: WebhookHandler = async (event, env) => {
  if (event.account) return 'ignored';
  await markCustomerDeleted(getDb(env), event.data.object as Stripe.Customer, event.created);
  return 'processed';
};

/** Handlers that keep the customers table in step with Stripe. */
export const customerEventHandlers: HandlerMap = {
  'customer.created': upsertFromEvent,
  'customer.updated': upsertFromEvent,
  'customer.deleted': deleted,
};
