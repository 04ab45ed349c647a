// The emulator's objects, made as the app makes them, held against Stripe's published example of each resource.
import { beforeAll, describe, expect, it } from 'vitest';
import fixturesText from 'stripe-fixtures?raw';
import { emu, emulatorFetch, onboardedAccount, paidSession, SECRET_AUTH, stripe } from './helpers';
import { REFERENCE_KINDS } from './stripe-reference';

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';
type Json = Record<string, unknown>;

/** Deliberate differences from the published example, one row per field, each with its reason. */
const EXCEPTIONS: { resource: string; field: string; rule: 'removed' | 'conditional'; reason: string }[] = [
  {
    resource: 'invoice',
    field: 'subscription',
    rule: 'removed',
    reason:
      'removed in 2025-03-31.basil (now parent.subscription_details.subscription); the example predates it',
  },
  {
    resource: 'charge',
    field: 'refunds',
    rule: 'removed',
    reason: 'not returned by default since 2022-11-15 (includable only); the example still shows the list',
  },
  {
    resource: 'checkout.session',
    field: 'line_items',
    rule: 'conditional',
    reason: 'includable only (expand[]=line_items), as on Stripe',
  },
  {
    resource: 'customer',
    field: 'deleted',
    rule: 'conditional',
    reason: 'only on a deleted customer, as on Stripe',
  },
];

const RESOURCES = [
  'checkout.session',
  'payment_intent',
  'charge',
  'refund',
  'customer',
  'account',
  'transfer',
  'transfer_reversal',
  'balance_transaction',
  'event',
  'subscription',
  'invoice',
  'price',
  'product',
  'payment_method',
  'setup_intent',
] as const;
type Resource = (typeof RESOURCES)[number];

function kindOf(v: unknown): Kind {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v as Kind;
}

/** An id-valued field in the example is expandable: Stripe answers the id or, when expanded, the object. */
function exampleKinds(field: string, v: unknown): Kind[] {
  const kind = kindOf(v);
  if (field !== 'id' && kind === 'string' && /^[a-z]+(_[a-z]+)*_[0-9A-Za-z]{8,}$/.test(v as string))
    return ['string', 'object'];
  if (kind === 'object' && typeof (v as Json).id === 'string' && typeof (v as Json).object === 'string')
    return ['object', 'string'];
  return [kind];
}

function parseFixtures(): Record<string, Json> {
  return (JSON.parse(fixturesText) as { resources: Record<string, Json> }).resources;
}

/** Every top-level field Stripe's object has for the pinned API version, with the JSON kinds it may take. */
function expectedFields(example: Json, resource: string): Map<string, Set<Kind>> {
  const ref = REFERENCE_KINDS[resource] ?? {};
  const removed = new Set(
    EXCEPTIONS.filter((e) => e.resource === resource && e.rule === 'removed').map((e) => e.field),
  );
  const out = new Map<string, Set<Kind>>();
  for (const [field, value] of Object.entries(example)) {
    if (removed.has(field)) continue;
    const kinds = ref[field];
    out.set(field, new Set(kinds ? (kinds.split('|') as Kind[]) : exampleKinds(field, value)));
  }
  for (const [field, kinds] of Object.entries(ref))
    if (!(field in example)) out.set(field, new Set(kinds.split('|') as Kind[]));
  return out;
}

/** Every difference between an emulator object and Stripe's, as readable lines (empty when they agree). */
function differences(resource: string, example: Json, actual: Json): string[] {
  const problems: string[] = [];
  const expected = expectedFields(example, resource);
  const conditional = new Set(
    EXCEPTIONS.filter((e) => e.resource === resource && e.rule === 'conditional').map((e) => e.field),
  );
  if (actual.object !== example.object)
    problems.push(`object: ${String(actual.object)} (Stripe: ${String(example.object)})`);
  const prefix = /^(.*_)[^_]+$/.exec(String(example.id))?.[1] ?? '';
  if (!String(actual.id).startsWith(prefix))
    problems.push(`id ${String(actual.id)} lacks Stripe's prefix ${prefix}`);
  for (const [field, kinds] of expected) {
    if (!(field in actual)) problems.push(`missing ${field}`);
    else if (!kinds.has(kindOf(actual[field])))
      problems.push(`${field}: ${kindOf(actual[field])}, Stripe: ${[...kinds].join('|')}`);
  }
  for (const field of Object.keys(actual))
    if (!expected.has(field) && !conditional.has(field)) problems.push(`extra ${field}`);
  return problems;
}

/** The emulator's raw JSON for a GET (what Stripe's API answers, before the SDK touches it). */
async function raw(path: string): Promise<Json> {
  const res = await emulatorFetch(path, { headers: SECRET_AUTH });
  expect(res.status, path).toBe(200);
  return res.json<Json>();
}

describe('the emulator against Stripe published examples', () => {
  const fixtures = parseFixtures();
  const objects = new Map<Resource, Json>();

  beforeAll(async () => {
    const vendor = await onboardedAccount('fixtures-vendor@example.com');
    const group = `ord_fx_${crypto.randomUUID().slice(0, 8)}`;
    const { session, pi, charge } = await paidSession(
      { payment_intent_data: { transfer_group: group }, customer_email: 'fixtures@example.com' },
      10000,
    );
    const refund = await stripe.refunds.create({ payment_intent: pi.id, amount: 1000 });
    const transfer = await stripe.transfers.create({
      amount: 5000,
      currency: 'usd',
      destination: vendor.id,
      transfer_group: group,
      source_transaction: charge.id,
    });
    const reversal = await stripe.transfers.createReversal(transfer.id, { amount: 1000 });
    const customer = await stripe.customers.create({
      email: 'fixtures-customer@example.com',
      name: 'Fix Ture',
    });
    const product = await stripe.products.create({ name: 'Fixture mug' });
    const price = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 1200 });

    const subSession = await stripe.checkout.sessions.create({
      mode: 'subscription',
      success_url: 'http://localhost/members?session_id={CHECKOUT_SESSION_ID}',
      customer_email: 'fixtures-member@example.com',
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: 'usd',
            unit_amount: 900,
            recurring: { interval: 'month' },
            product_data: { name: 'Fixture club' },
          },
        },
      ],
    });
    const subPaid = await emu.pay(subSession.id, { email: 'fixtures-member@example.com' });
    const subscription = await raw(`/v1/subscriptions/${String(subPaid.subscription)}`);

    const setupSession = await stripe.checkout.sessions.create({
      mode: 'setup',
      currency: 'usd',
      success_url: 'http://localhost/cards?session_id={CHECKOUT_SESSION_ID}',
      customer: customer.id,
    });
    await emu.pay(setupSession.id);
    const setup = await raw(`/v1/checkout/sessions/${setupSession.id}`);

    const events = (await raw('/v1/events?limit=1')) as { data: Json[] };

    objects.set('checkout.session', await raw(`/v1/checkout/sessions/${session.id}`));
    objects.set('payment_intent', await raw(`/v1/payment_intents/${pi.id}`));
    objects.set('charge', await raw(`/v1/charges/${charge.id}`));
    objects.set('refund', await raw(`/v1/refunds/${refund.id}`));
    objects.set('customer', await raw(`/v1/customers/${customer.id}`));
    objects.set('account', await raw(`/v1/accounts/${vendor.id}`));
    objects.set('transfer', await raw(`/v1/transfers/${transfer.id}`));
    objects.set('transfer_reversal', await raw(`/v1/transfers/${transfer.id}/reversals/${reversal.id}`));
    objects.set(
      'balance_transaction',
      await raw(`/v1/balance_transactions/${String(charge.balance_transaction)}`),
    );
    objects.set('event', events.data[0]!);
    objects.set('subscription', subscription);
    objects.set('invoice', await raw(`/v1/invoices/${String(subscription.latest_invoice)}`));
    objects.set('price', await raw(`/v1/prices/${price.id}`));
    objects.set('product', await raw(`/v1/products/${product.id}`));
    objects.set('payment_method', await raw(`/v1/payment_methods/${String(pi.payment_method)}`));
    objects.set('setup_intent', await raw(`/v1/setup_intents/${String(setup.setup_intent)}`));
  });

  it('reads the published examples (STRIPE_FIXTURES or ../shared/stripe/fixtures3.json)', () => {
    for (const r of RESOURCES) expect(fixtures[r], `fixtures3.json lacks resources.${r}`).toBeDefined();
  });

  it('keeps its exception table honest: every excepted field is one the example or the reference names', () => {
    for (const e of EXCEPTIONS) {
      const known = e.field in fixtures[e.resource]! || e.field in (REFERENCE_KINDS[e.resource] ?? {});
      expect(known || e.rule === 'conditional', `${e.resource}.${e.field}`).toBe(true);
      expect(e.reason.length, `${e.resource}.${e.field} needs a reason`).toBeGreaterThan(10);
    }
  });

  it.each(RESOURCES)('%s has Stripe fields, kinds, object and id prefix', (resource) => {
    const actual = objects.get(resource);
    expect(actual, `no ${resource} was made`).toBeDefined();
    expect(differences(resource, fixtures[resource]!, actual!)).toEqual([]);
  });

  it('flags what it should: a missing field, an extra field, a wrong kind and a wrong prefix', () => {
    const example = fixtures.refund!;
    const actual: Json = { ...objects.get('refund')!, id: 'rf_123', amount: '100', surplus: 1 };
    delete actual.currency;
    expect(differences('refund', example, actual)).toEqual(
      expect.arrayContaining([
        "id rf_123 lacks Stripe's prefix re_",
        'missing currency',
        'amount: string, Stripe: number',
        'extra surplus',
      ]),
    );
  });
});
