// The emulator accepts only its configured API keys (SECRET_KEYS, PUBLISHABLE_KEYS in vitest.config.ts),
// answering any other key the way Stripe does: 401, `invalid_request_error`, the key masked.
import { env } from 'cloudflare:workers';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { emulatorFetch, form, stripe } from './helpers';

/** The unmodified SDK pointed at the emulator with `key`. */
function clientWith(key: string): Stripe {
  return new Stripe(key, {
    host: 'stripe-emulator.local',
    protocol: 'http',
    port: 80,
    maxNetworkRetries: 0,
    httpClient: Stripe.createFetchHttpClient((i: RequestInfo | URL, init?: RequestInit) =>
      env.STRIPE_EMULATOR!.fetch(i as RequestInfo, init),
    ),
  });
}

describe('API keys', () => {
  it('refuses a well-formed test key it was not configured with: 401 in Stripe’s shape', async () => {
    const key = 'sk_test_51NotAKeyThisEmulatorKnows0000abcd';
    const error = await clientWith(key)
      .customers.list()
      .then(
        () => null,
        (err: unknown) => err,
      );
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error).toMatchObject({
      statusCode: 401,
      rawType: 'invalid_request_error',
      message: `Invalid API Key provided: sk_test_${'*'.repeat(key.length - 12)}abcd`,
    });

    const raw = await emulatorFetch('/v1/customers', { headers: { authorization: `Bearer ${key}` } });
    expect(raw.status).toBe(401);
    expect(raw.headers.get('content-type')).toBe('application/json');
    expect(await raw.json()).toEqual({
      error: {
        type: 'invalid_request_error',
        message: 'Invalid API Key provided: sk_test_******************************abcd',
      },
    });
  });

  it('refuses keys one character off the configured one, and restricted or short keys', async () => {
    for (const key of ['sk_test_emulatoR', 'sk_test_emulator_', 'rk_test_emulator', 'sk_test_x']) {
      await expect(clientWith(key).balance.retrieve(), key).rejects.toBeInstanceOf(
        Stripe.errors.StripeAuthenticationError,
      );
    }
    const short = await emulatorFetch('/v1/balance', { headers: { authorization: 'Bearer sk_test_x' } });
    expect((await short.json<{ error: { message: string } }>()).error.message).toBe(
      'Invalid API Key provided: *****st_x',
    );
  });

  it('accepts every configured secret key, the app’s own and a second one', async () => {
    const customer = await clientWith('sk_test_emulator_rolled').customers.create({
      email: 'rolled@example.com',
    });
    expect(customer.id).toMatch(/^cus_/);
    expect((await stripe.customers.retrieve(customer.id)).id).toBe(customer.id);
  });

  it('lets only the configured publishable key confirm from the browser', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1200, currency: 'usd' });
    const confirm = (key: string) =>
      emulatorFetch(`/v1/payment_intents/${pi.id}/confirm`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: form({
          client_secret: pi.client_secret!,
          'payment_method_data[type]': 'card',
          'payment_method_data[card][number]': '4242424242424242',
        }),
      });
    const unknown = await confirm('pk_test_someone_elses_key');
    expect(unknown.status).toBe(401);
    expect((await unknown.json<{ error: { type: string; message: string } }>()).error).toEqual({
      type: 'invalid_request_error',
      message: 'Invalid API Key provided: pk_test_*************_key',
    });
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).not.toBe('succeeded');
    const known = await confirm('pk_test_emulator');
    expect(known.status).toBe(200);
    expect((await known.json<{ status: string }>()).status).toBe('succeeded');
  });
});
