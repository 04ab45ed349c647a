// PaymentIntents, authentication, idempotency keys and injected faults through the real SDK.
import { describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { env } from 'cloudflare:workers';
import { SECRET_AUTH, emu, emulatorFetch, form, stripe } from './helpers';

describe('payment intents', () => {
  it('creates, confirms server-side with pm_card_visa, and reports the charge', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 1999,
      currency: 'usd',
      metadata: { order_id: 'ord_pi1' },
      transfer_group: 'ord_pi1',
      automatic_payment_methods: { enabled: true },
    });
    expect(pi.id).toMatch(/^pi_/);
    expect(pi).toMatchObject({
      object: 'payment_intent',
      status: 'requires_payment_method',
      amount: 1999,
      amount_received: 0,
      currency: 'usd',
      latest_charge: null,
      metadata: { order_id: 'ord_pi1' },
      transfer_group: 'ord_pi1',
      automatic_payment_methods: { enabled: true },
      last_payment_error: null,
    });
    expect(pi.client_secret).toMatch(new RegExp(`^${pi.id}_secret_`));

    const confirmed = await stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' });
    expect(confirmed).toMatchObject({ status: 'succeeded', amount_received: 1999 });
    const charge = await stripe.charges.retrieve(confirmed.latest_charge as string);
    expect(charge).toMatchObject({
      amount: 1999,
      paid: true,
      status: 'succeeded',
      payment_intent: pi.id,
      transfer_group: 'ord_pi1',
    });
    expect(charge.payment_method_details?.card?.last4).toBe('4242');

    await expect(
      stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' }),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: 'payment_intent_unexpected_state',
    });
  });

  it('a declined card throws StripeCardError and leaves the intent requiring a payment method', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 5000, currency: 'usd' });
    const err = await stripe.paymentIntents
      .confirm(pi.id, { payment_method: 'pm_card_chargeDeclinedInsufficientFunds' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(err).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'insufficient_funds' });
    const after = await stripe.paymentIntents.retrieve(pi.id);
    expect(after.status).toBe('requires_payment_method');
    expect(after.last_payment_error?.decline_code).toBe('insufficient_funds');
    const failed = await stripe.charges.retrieve(after.latest_charge as string);
    expect(failed).toMatchObject({ status: 'failed', paid: false, failure_code: 'card_declined' });
  });

  it('creates and confirms in one call, and cancels only what can be canceled', async () => {
    const done = await stripe.paymentIntents.create({
      amount: 700,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect(done.status).toBe('succeeded');
    await expect(stripe.paymentIntents.cancel(done.id)).rejects.toMatchObject({
      statusCode: 400,
      code: 'payment_intent_unexpected_state',
    });

    const open = await stripe.paymentIntents.create({ amount: 700, currency: 'usd' });
    const canceled = await stripe.paymentIntents.cancel(open.id, { cancellation_reason: 'abandoned' });
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
    expect(canceled.canceled_at).toEqual(expect.any(Number));
  });

  it('validates amounts and reports missing objects', async () => {
    await expect(stripe.paymentIntents.create({ amount: 10, currency: 'usd' })).rejects.toMatchObject({
      statusCode: 400,
      code: 'amount_too_small',
    });
    await expect(
      stripe.paymentIntents.create({ currency: 'usd' } as Stripe.PaymentIntentCreateParams),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: 'parameter_missing',
      param: 'amount',
    });
    await expect(stripe.paymentIntents.retrieve('pi_missing')).rejects.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
  });

  it('accepts the publishable key only for a client-side confirm with the matching client secret', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1500, currency: 'usd' });
    const pk = {
      authorization: 'Bearer pk_test_emulator',
      'content-type': 'application/x-www-form-urlencoded',
    };
    const wrong = await emulatorFetch(`/v1/payment_intents/${pi.id}/confirm`, {
      method: 'POST',
      headers: pk,
      body: form({
        client_secret: 'nope',
        'payment_method_data[type]': 'card',
        'payment_method_data[card][number]': '4242424242424242',
      }),
    });
    expect(wrong.status).toBe(400);
    const listing = await emulatorFetch('/v1/payment_intents', { headers: pk });
    expect(listing.status).toBe(401);

    const ok = await emulatorFetch(`/v1/payment_intents/${pi.id}/confirm`, {
      method: 'POST',
      headers: pk,
      body: form({
        client_secret: pi.client_secret!,
        'payment_method_data[type]': 'card',
        'payment_method_data[card][number]': '4242424242424242',
      }),
    });
    expect(ok.status).toBe(200);
    expect((await ok.json<{ status: string }>()).status).toBe('succeeded');

    const other = await stripe.paymentIntents.create({ amount: 1500, currency: 'usd' });
    const declined = await emulatorFetch(`/v1/payment_intents/${other.id}/confirm`, {
      method: 'POST',
      headers: pk,
      body: form({
        client_secret: other.client_secret!,
        'payment_method_data[card][number]': '4000000000000002',
      }),
    });
    expect(declined.status).toBe(402);
    expect((await declined.json<{ error: { type: string; code: string } }>()).error).toMatchObject({
      type: 'card_error',
      code: 'card_declined',
    });
  });
});

describe('authentication', () => {
  it('answers 401 in Stripe’s shape for a missing or wrong key', async () => {
    const none = await emulatorFetch('/v1/customers');
    expect(none.status).toBe(401);
    expect((await none.json<{ error: { type: string; message: string } }>()).error.message).toContain(
      'You did not provide an API key',
    );
    const live = new Stripe('sk_live_123456789012', {
      host: 'stripe-emulator.local',
      protocol: 'http',
      port: 80,
      httpClient: Stripe.createFetchHttpClient((i: RequestInfo | URL, init?: RequestInit) =>
        env.STRIPE_EMULATOR!.fetch(i as RequestInfo, init),
      ),
    });
    await expect(live.customers.list()).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
  });

  it('refuses a Stripe-Account it does not know with 403', async () => {
    await expect(stripe.customers.list({}, { stripeAccount: 'acct_unknown' })).rejects.toMatchObject({
      statusCode: 403,
    });
  });

  it('answers unknown paths like Stripe', async () => {
    const res = await emulatorFetch('/v1/unicorns', { headers: SECRET_AUTH });
    expect(res.status).toBe(404);
    expect((await res.json<{ error: { message: string } }>()).error.message).toContain(
      'Unrecognized request URL',
    );
  });
});

describe('idempotency', () => {
  it('replays the first response for the same key and parameters', async () => {
    const key = `idem-${crypto.randomUUID()}`;
    const a = await stripe.customers.create({ email: 'idem@example.com' }, { idempotencyKey: key });
    const b = await stripe.customers.create({ email: 'idem@example.com' }, { idempotencyKey: key });
    expect(b.id).toBe(a.id);
    const raw = await emulatorFetch('/v1/customers', {
      method: 'POST',
      headers: {
        ...SECRET_AUTH,
        'content-type': 'application/x-www-form-urlencoded',
        'idempotency-key': key,
      },
      body: form({ email: 'idem@example.com' }),
    });
    expect(raw.headers.get('idempotent-replayed')).toBe('true');
    expect((await raw.json<{ id: string }>()).id).toBe(a.id);
    const list = await stripe.customers.list({ email: 'idem@example.com' });
    expect(list.data.filter((c) => c.id === a.id)).toHaveLength(1);
    expect(list.data).toHaveLength(1);
  });

  it('makes one object for concurrent requests with the same key (a double click)', async () => {
    const key = `idem-${crypto.randomUUID()}`;
    const email = `concurrent-${crypto.randomUUID()}@example.com`;
    const all = await Promise.all(
      Array.from({ length: 6 }, () => stripe.customers.create({ email }, { idempotencyKey: key })),
    );
    expect(new Set(all.map((c) => c.id)).size).toBe(1);
    expect((await stripe.customers.list({ email })).data).toHaveLength(1);
  });

  it('rejects the same key with different parameters (idempotency_error)', async () => {
    const key = `idem-${crypto.randomUUID()}`;
    await stripe.customers.create({ email: 'one@example.com' }, { idempotencyKey: key });
    const err = await stripe.customers
      .create({ email: 'two@example.com' }, { idempotencyKey: key })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(err).toMatchObject({ statusCode: 400, type: 'StripeIdempotencyError' });
  });

  it('replays a card decline too (the request ran)', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 900, currency: 'usd' });
    const key = `idem-${crypto.randomUUID()}`;
    const body = form({ payment_method: 'pm_card_chargeDeclined' });
    const headers = {
      ...SECRET_AUTH,
      'content-type': 'application/x-www-form-urlencoded',
      'idempotency-key': key,
    };
    const first = await emulatorFetch(`/v1/payment_intents/${pi.id}/confirm`, {
      method: 'POST',
      headers,
      body,
    });
    const second = await emulatorFetch(`/v1/payment_intents/${pi.id}/confirm`, {
      method: 'POST',
      headers,
      body,
    });
    expect(first.status).toBe(402);
    expect(second.status).toBe(402);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.text()).toBe(await first.text());
  });
});

describe('injected faults', () => {
  it('fail_next makes the next calls fail with 500; the SDK retry with the same key then succeeds', async () => {
    await emu.faults({ fail_next: 1, status: 500 });
    const customer = await stripe.customers.create({ email: 'retry@example.com' });
    expect(customer.id).toMatch(/^cus_/);
    expect((await stripe.customers.list({ email: 'retry@example.com' })).data).toHaveLength(1);

    await emu.faults({ fail_next: 3, status: 500 });
    await expect(stripe.customers.create({ email: 'down@example.com' })).rejects.toBeInstanceOf(
      Stripe.errors.StripeAPIError,
    );
    expect((await emu.faults({})).fail_next).toBe(0);
  });

  it('429 surfaces as a rate-limit error', async () => {
    await emu.faults({ fail_next: 1, status: 429 });
    const err = await stripe.customers.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect(err).toMatchObject({ statusCode: 429 });
  });
});
