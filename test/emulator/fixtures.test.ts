// The emulator's objects, made as the app makes them, held against Stripe's published example of each resource.
import { beforeAll, describe, expect, it } from 'vitest';
import fixturesText from 'stripe-fixtures?raw';
import { emu, emulatorFetch, onboardedAccount, paidSession, SECRET_AUTH, stripe } from './helpers';
import { REFERENCE_KINDS } from './stripe-reference';

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';
type Json = Record<string, unknown>;

/** Deliberate differences from the published example, one row per field, each with its reason. */
const EXCEPTIONS: {
  resource: string;
  field: string;
  /** removed: Stripe no longer returns it; conditional: Stripe returns it only sometimes; emulator: the
   * emulator's own diagnostic field, not Stripe's; prefix: another id prefix Stripe uses. */
  rule: 'removed' | 'conditional' | 'emulator' | 'prefix';
  /** For `prefix`: another id prefix Stripe uses for this object. */
  value?: string;
  reason: string;
}[] = [
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
    resource: 'refund',
    field: 'destination_details',
    rule: 'conditional',
    reason:
      'optional in the pinned reference: only refunds to a payment method carry it (a pyr_ refund of a destination payment has none)',
  },
  {
    resource: 'event',
    field: 'account',
    rule: 'conditional',
    reason: 'only on Connect events (the connected account the change happened on), as on Stripe',
  },
  {
    resource: 'event',
    field: 'delivery_state',
    rule: 'emulator',
    reason: 'the emulator adds its webhook delivery state on GET /v1/events/:id (documented, not Stripe)',
  },
  {
    resource: 'event',
    field: 'delivery_attempts',
    rule: 'emulator',
    reason: 'the emulator adds its delivery attempts on GET /v1/events/:id (webhooks.test.ts reads them)',
  },
  {
    resource: 'charge',
    field: 'id',
    rule: 'prefix',
    value: 'py_',
    reason: "a transfer's destination payment (a charge on the connected account) has a py_ id on Stripe",
  },
  {
    resource: 'refund',
    field: 'id',
    rule: 'prefix',
    value: 'pyr_',
    reason: "a reversal's destination payment refund (on the connected account) has a pyr_ id on Stripe",
  },
  {
    resource: 'dispute',
    field: 'id',
    rule: 'prefix',
    value: 'du_',
    reason:
      "Stripe's API reference shows disputes as du_… (the snapshot's example is dp_…); both are Stripe's",
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
  'dispute',
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
    EXCEPTIONS.filter(
      (e) => e.resource === resource && (e.rule === 'conditional' || e.rule === 'emulator'),
    ).map((e) => e.field),
  );
  if (actual.object !== example.object)
    problems.push(`object: ${String(actual.object)} (Stripe: ${String(example.object)})`);
  const prefixes = [
    /^(.*_)[^_]+$/.exec(String(example.id))?.[1] ?? '',
    ...EXCEPTIONS.filter((e) => e.resource === resource && e.rule === 'prefix').map((e) => e.value ?? ''),
  ];
  if (!prefixes.some((prefix) => String(actual.id).startsWith(prefix)))
    problems.push(`id ${String(actual.id)} lacks Stripe's prefix ${prefixes.join(' or ')}`);
  for (const [field, kinds] of expected) {
    if (!(field in actual)) {
      if (!conditional.has(field)) problems.push(`missing ${field}`);
    } else if (!kinds.has(kindOf(actual[field])))
      problems.push(`${field}: ${kindOf(actual[field])}, Stripe: ${[...kinds].join('|')}`);
  }
  for (const field of Object.keys(actual))
    if (!expected.has(field) && !conditional.has(field)) problems.push(`extra ${field}`);
  return problems;
}

/** The emulator's raw JSON for a GET (what Stripe's API answers, before the SDK touches it). */
async function raw(path: string, account?: string): Promise<Json> {
  const headers = account ? { ...SECRET_AUTH, 'stripe-account': account } : SECRET_AUTH;
  const res = await emulatorFetch(path, { headers });
  expect(res.status, path).toBe(200);
  return res.json<Json>();
}

/** One object the emulator made, labelled by how it was made. */
interface Made {
  label: string;
  resource: Resource;
  json: Json;
}

/** Every object of RESOURCES made the way the app (or Stripe on its behalf) makes it, read back raw. */
async function makeEverything(): Promise<Made[]> {
  const made: Made[] = [];
  const add = (resource: Resource, json: Json | undefined, how: string) => {
    expect(json, `${resource} (${how}) was not made`).toBeTypeOf('object');
    made.push({ label: `${resource} (${how})`, resource, json: json! });
  };

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
  const chargedBack = await paidSession({ customer_email: 'fixtures-dispute@example.com' }, 3000);
  const opened = await emu.disputeCharge(chargedBack.charge.id);
  const customer = await stripe.customers.create({
    email: 'fixtures-customer@example.com',
    name: 'Fix Ture',
  });
  const product = await stripe.products.create({ name: 'Fixture mug' });
  const price = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 1200 });
  const direct = await stripe.paymentIntents.create({
    amount: 4200,
    currency: 'usd',
    metadata: { order: 'fx' },
  });

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
  const renewal = await emu.renewSubscription(String(subPaid.subscription));

  const setupSession = await stripe.checkout.sessions.create({
    mode: 'setup',
    currency: 'usd',
    success_url: 'http://localhost/cards?session_id={CHECKOUT_SESSION_ID}',
    customer: customer.id,
  });
  await emu.pay(setupSession.id);
  const setup = await raw(`/v1/checkout/sessions/${setupSession.id}`);

  await emu.updateAccount(vendor.id, { payouts_enabled: true });
  const triggered = await emu.trigger({ type: 'account.updated' });
  const events = (await raw('/v1/events?limit=1')) as { data: Json[] };
  const connectEvents = (await raw('/v1/events?type=account.updated&limit=1', vendor.id)) as { data: Json[] };
  const transferRead = await raw(`/v1/transfers/${transfer.id}`);
  const reversalRead = await raw(`/v1/transfers/${transfer.id}/reversals/${reversal.id}`);
  const expanded = await raw(
    `/v1/checkout/sessions/${session.id}?expand[]=line_items&expand[]=payment_intent.latest_charge`,
  );

  add('checkout.session', await raw(`/v1/checkout/sessions/${session.id}`), 'a paid payment session');
  add('checkout.session', expanded, 'expanded: line_items, payment_intent');
  add('checkout.session', setup, 'a completed setup session');
  add('checkout.session', await raw(`/v1/checkout/sessions/${subSession.id}`), 'a paid subscription session');
  add('payment_intent', await raw(`/v1/payment_intents/${pi.id}`), 'paid through Checkout');
  add('payment_intent', expanded.payment_intent as Json, 'expanded inside a session');
  add('payment_intent', await raw(`/v1/payment_intents/${direct.id}`), 'created directly, unpaid');
  add('charge', await raw(`/v1/charges/${charge.id}`), 'paid, partly refunded');
  add('charge', (expanded.payment_intent as Json).latest_charge as Json, 'expanded two levels deep');
  add(
    'charge',
    await raw(`/v1/charges/${String(transferRead.destination_payment)}`, vendor.id),
    'destination payment',
  );
  add('refund', await raw(`/v1/refunds/${refund.id}`), 'of a Checkout payment');
  add('dispute', await raw(`/v1/disputes/${opened.dispute}`), 'opened by the bank on a paid charge');
  add('charge', await raw(`/v1/charges/${chargedBack.charge.id}`), 'disputed');
  add(
    'refund',
    await raw(`/v1/refunds/${String(reversalRead.destination_payment_refund)}`, vendor.id),
    'destination payment refund',
  );
  add('customer', await raw(`/v1/customers/${customer.id}`), 'created by the API');
  add('customer', await raw(`/v1/customers/${String(subscription.customer)}`), 'created by Checkout');
  add('account', await raw(`/v1/accounts/${vendor.id}`), 'an onboarded Express vendor');
  add('account', await raw(`/v1/accounts/${triggered.objects.account!}`), 'made by emu.trigger');
  add('account', await raw('/v1/account'), 'the platform, GET /v1/account');
  add('transfer', transferRead, 'to a vendor, partly reversed');
  add('transfer_reversal', reversalRead, 'partial');
  add(
    'balance_transaction',
    await raw(`/v1/balance_transactions/${String(charge.balance_transaction)}`),
    'a charge',
  );
  add(
    'balance_transaction',
    await raw(`/v1/balance_transactions/${String(refund.balance_transaction)}`),
    'a refund',
  );
  add(
    'balance_transaction',
    await raw(`/v1/balance_transactions/${String(transferRead.balance_transaction)}`),
    'a transfer',
  );
  add('event', events.data[0]!, 'the newest');
  add('event', connectEvents.data[0], 'a Connect account.updated');
  add('event', await raw(`/v1/events/${String(events.data[0]?.id)}`), 'retrieved by id');
  add('subscription', subscription, 'from Checkout');
  add('invoice', await raw(`/v1/invoices/${String(subscription.latest_invoice)}`), 'the first, paid');
  add('invoice', await raw(`/v1/invoices/${renewal.invoice}`), 'a renewal');
  add('price', await raw(`/v1/prices/${price.id}`), 'created by the API');
  add('product', await raw(`/v1/products/${product.id}`), 'created by the API');
  add(
    'payment_method',
    await raw(`/v1/payment_methods/${String(pi.payment_method)}`),
    'a card from Checkout',
  );
  add('setup_intent', await raw(`/v1/setup_intents/${String(setup.setup_intent)}`), 'from a setup session');
  return made;
}

describe('the emulator against Stripe published examples', () => {
  const fixtures = parseFixtures();
  let made: Made[] = [];

  beforeAll(async () => {
    made = await makeEverything();
  });

  it('reads the published examples (STRIPE_FIXTURES or ../shared/stripe/fixtures3.json)', () => {
    for (const r of RESOURCES) expect(fixtures[r], `fixtures3.json lacks resources.${r}`).toBeDefined();
  });

  it('keeps its exception table honest: every excepted field is one the example or the reference names', () => {
    for (const e of EXCEPTIONS) {
      const known = e.field in fixtures[e.resource]! || e.field in (REFERENCE_KINDS[e.resource] ?? {});
      expect(known || e.rule === 'conditional' || e.rule === 'emulator', `${e.resource}.${e.field}`).toBe(
        true,
      );
      expect(e.reason.length, `${e.resource}.${e.field} needs a reason`).toBeGreaterThan(10);
    }
  });

  it.each(RESOURCES)('makes at least one %s', (resource) => {
    expect(made.filter((m) => m.resource === resource).length).toBeGreaterThan(0);
  });

  it('has Stripe fields, kinds, object and id prefix in every object it made', () => {
    const problems = made.flatMap((m) =>
      differences(m.resource, fixtures[m.resource]!, m.json).map((p) => `${m.label}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it('links the connected refund to its reversal as Stripe does (source_transfer_reversal, not transfer_reversal)', () => {
    const reversal = made.find((m) => m.resource === 'transfer_reversal')!.json;
    const pyr = made.find((m) => m.label === 'refund (destination payment refund)')!.json;
    expect(pyr).toMatchObject({
      id: reversal.destination_payment_refund,
      source_transfer_reversal: reversal.id,
    });
    expect(pyr.transfer_reversal).toBeNull();
  });

  it('flags what it should: a missing field, an extra field, a wrong kind, a null Stripe never sends, a wrong prefix', () => {
    const example = fixtures.refund!;
    const refund = made.find((m) => m.resource === 'refund')!.json;
    const actual: Json = { ...refund, id: 'rf_123', amount: '100', created: null, surplus: 1 };
    delete actual.currency;
    expect(differences('refund', example, actual)).toEqual(
      expect.arrayContaining([
        "id rf_123 lacks Stripe's prefix re_ or pyr_",
        'missing currency',
        'amount: string, Stripe: number',
        'created: null, Stripe: number',
        'extra surplus',
      ]),
    );
  });
});
