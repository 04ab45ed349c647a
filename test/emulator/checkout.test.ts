// Checkout Sessions through the real SDK: shapes, validation errors, expand, expiry, and paying with
// each test card through the pay control (what the hosted page does).
import { describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { createSession, emu, stripe } from './helpers';

describe('checkout sessions: create and retrieve', () => {
  it('creates an open, unpaid payment session with Stripe’s fields and a hosted url', async () => {
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      success_url: 'http://localhost/orders/o1?session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'http://localhost/cart',
      client_reference_id: 'ord_123',
      customer_email: 'shopper@example.com',
      metadata: { order_id: 'ord_123' },
      locale: 'fr',
      automatic_tax: { enabled: true },
      line_items: [
        {
          quantity: 2,
          price_data: {
            currency: 'usd',
            unit_amount: 1200,
            product_data: { name: 'Mug', metadata: { sku: 'm1' } },
          },
        },
        { quantity: 1, price_data: { currency: 'usd', unit_amount: 800, product_data: { name: 'Card' } } },
      ],
      payment_intent_data: { transfer_group: 'ord_123', metadata: { order_id: 'ord_123' } },
      shipping_address_collection: { allowed_countries: ['US', 'CA'] },
      shipping_options: [
        {
          shipping_rate_data: {
            display_name: 'Standard',
            type: 'fixed_amount',
            fixed_amount: { amount: 500, currency: 'usd' },
          },
        },
      ],
    });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session).toMatchObject({
      object: 'checkout.session',
      mode: 'payment',
      status: 'open',
      payment_status: 'unpaid',
      amount_subtotal: 3200,
      amount_total: 3700,
      currency: 'usd',
      client_reference_id: 'ord_123',
      customer_email: 'shopper@example.com',
      metadata: { order_id: 'ord_123' },
      locale: 'fr',
      payment_intent: null,
      livemode: false,
      total_details: { amount_discount: 0, amount_shipping: 500, amount_tax: 0 },
      shipping_address_collection: { allowed_countries: ['US', 'CA'] },
      automatic_tax: { enabled: true },
    });
    expect(session.url).toBe(`http://localhost/__stripe/c/pay/${session.id}`);
    expect(session.shipping_options[0]?.shipping_amount).toBe(500);
    expect(String(session.shipping_options[0]?.shipping_rate)).toMatch(/^shr_/);
    expect(session.expires_at - session.created).toBe(24 * 3600);
    expect(Object.keys(session).some((k) => k.startsWith('_'))).toBe(false);
  });

  it('lists line items and expands them on retrieve', async () => {
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      success_url: 'http://localhost/ok',
      line_items: [
        { quantity: 3, price_data: { currency: 'eur', unit_amount: 450, product_data: { name: 'Soap' } } },
        { quantity: 1, price_data: { currency: 'eur', unit_amount: 999, product_data: { name: 'Towel' } } },
      ],
    });
    const items = await stripe.checkout.sessions.listLineItems(session.id);
    expect(items.object).toBe('list');
    expect(items.has_more).toBe(false);
    expect(items.data.map((i) => [i.description, i.quantity, i.amount_total, i.currency])).toEqual([
      ['Soap', 3, 1350, 'eur'],
      ['Towel', 1, 999, 'eur'],
    ]);
    expect(items.data[0]?.price?.unit_amount).toBe(450);
    const page = await stripe.checkout.sessions.listLineItems(session.id, { limit: 1 });
    expect(page.data).toHaveLength(1);
    expect(page.has_more).toBe(true);

    const expanded = await stripe.checkout.sessions.retrieve(session.id, { expand: ['line_items'] });
    expect(expanded.line_items?.data.map((i) => i.description)).toEqual(['Soap', 'Towel']);
  });

  it('answers Stripe’s errors for bad parameters', async () => {
    await expect(
      stripe.checkout.sessions.create({
        success_url: 'http://x/ok',
        line_items: [],
      } as unknown as Stripe.Checkout.SessionCreateParams),
    ).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      code: 'parameter_missing',
      param: 'mode',
    });
    await expect(
      stripe.checkout.sessions.create({
        mode: 'payment',
        success_url: 'http://x/ok',
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: 'usd',
              unit_amount: 500,
              product_data: { name: 'Sub' },
              recurring: { interval: 'month' },
            },
          },
        ],
      }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'line_items' });
    await expect(
      stripe.checkout.sessions.create({
        mode: 'payment',
        success_url: 'http://x/ok',
        expires_at: Math.floor(Date.now() / 1000) + 60,
        line_items: [
          { quantity: 1, price_data: { currency: 'usd', unit_amount: 500, product_data: { name: 'X' } } },
        ],
      }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'expires_at' });
    await expect(
      stripe.checkout.sessions.create({
        mode: 'payment',
        success_url: 'http://x/ok',
        line_items: Array.from({ length: 101 }, () => ({
          quantity: 1,
          price_data: { currency: 'usd', unit_amount: 100, product_data: { name: 'X' } },
        })),
      }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'line_items' });
    await expect(stripe.checkout.sessions.retrieve('cs_test_nope')).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 404,
      code: 'resource_missing',
    });
  });
});

describe('checkout sessions: paying with the test cards', () => {
  it('4242 pays: the redirect carries the session id and the session, intent and charge are paid', async () => {
    const session = await createSession({
      payment_intent_data: { transfer_group: 'ord_pay', metadata: { order_id: 'ord_pay' } },
    });
    const paid = await emu.pay(session.id, {
      card: '4242 4242 4242 4242',
      email: 'ann@example.com',
      name: 'Ann',
    });
    expect(paid.redirect).toBe(`http://localhost/orders/ord_1?session_id=${session.id}`);

    const after = await stripe.checkout.sessions.retrieve(session.id, {
      expand: ['payment_intent', 'payment_intent.latest_charge'],
    });
    expect(after).toMatchObject({ status: 'complete', payment_status: 'paid' });
    expect(after.customer_details).toMatchObject({ email: 'ann@example.com', name: 'Ann' });
    const pi = after.payment_intent as Stripe.PaymentIntent;
    expect(pi).toMatchObject({
      status: 'succeeded',
      amount: 2500,
      amount_received: 2500,
      transfer_group: 'ord_pay',
      metadata: { order_id: 'ord_pay' },
    });
    const charge = pi.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({
      status: 'succeeded',
      paid: true,
      amount: 2500,
      amount_refunded: 0,
      refunded: false,
      transfer_group: 'ord_pay',
    });
    expect(charge.receipt_url).toBe(`http://localhost:8787/__stripe/receipts/${charge.id}`);
    expect(String(charge.balance_transaction)).toMatch(/^txn_/);
  });

  it('4000 0000 0000 0002 is declined (card_declined) and the session stays open', async () => {
    const session = await createSession();
    const res = await emu.call<{
      error: { type: string; code: string; decline_code: string; message: string };
    }>('POST', `/_emulator/checkout/sessions/${session.id}/pay`, { card: '4000000000000002' });
    expect(res.status).toBe(402);
    expect(res.body.error).toMatchObject({
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'generic_decline',
      message: 'Your card was declined.',
    });
    const after = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    expect(after.status).toBe('open');
    expect(after.payment_status).toBe('unpaid');
    const pi = after.payment_intent as Stripe.PaymentIntent;
    expect(pi.status).toBe('requires_payment_method');
    expect(pi.last_payment_error).toMatchObject({ code: 'card_declined', decline_code: 'generic_decline' });

    // A second attempt with a good card completes the same session.
    const paid = await emu.pay(session.id);
    expect(paid.payment_intent).toBe(pi.id);
  });

  it('4000 0000 0000 9995 is declined for insufficient funds', async () => {
    const session = await createSession();
    const res = await emu.call<{ error: { code: string; decline_code: string; message: string } }>(
      'POST',
      `/_emulator/checkout/sessions/${session.id}/pay`,
      { card: '4000000000009995' },
    );
    expect(res.status).toBe(402);
    expect(res.body.error).toMatchObject({
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    });
  });

  it('a card number that fails the Luhn check is incorrect_number', async () => {
    const session = await createSession();
    const res = await emu.call<{ error: { code: string } }>(
      'POST',
      `/_emulator/checkout/sessions/${session.id}/pay`,
      {
        card: '4242424242424241',
      },
    );
    expect(res.status).toBe(402);
    expect(res.body.error.code).toBe('incorrect_number');
  });

  it('a completed session cannot be paid again', async () => {
    const session = await createSession();
    await emu.pay(session.id);
    const again = await emu.call<{ error: { code: string } }>(
      'POST',
      `/_emulator/checkout/sessions/${session.id}/pay`,
      { card: '4242424242424242' },
    );
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('checkout_session_complete');
  });

  it('collects the shipping address it was asked to', async () => {
    const session = await createSession({ shipping_address_collection: { allowed_countries: ['CA'] } });
    await emu.pay(session.id, {
      shipping: {
        name: 'Bo',
        address: { line1: '1 Rue', city: 'Montréal', postal_code: 'H2X', country: 'CA' },
      },
    });
    const after = await stripe.checkout.sessions.retrieve(session.id);
    expect(after.collected_information?.shipping_details).toMatchObject({
      name: 'Bo',
      address: { city: 'Montréal', country: 'CA' },
    });
    const refused = await createSession({ shipping_address_collection: { allowed_countries: ['CA'] } });
    const res = await emu.call('POST', `/_emulator/checkout/sessions/${refused.id}/pay`, {
      card: '4242424242424242',
      shipping: { address: { country: 'FR' } },
    });
    expect(res.status).toBe(400);
  });
});

describe('checkout sessions: expiry', () => {
  it('expire() closes an open session; an expired session cannot be paid or expired again', async () => {
    const session = await createSession();
    const expired = await stripe.checkout.sessions.expire(session.id);
    expect(expired.status).toBe('expired');
    await expect(stripe.checkout.sessions.expire(session.id)).rejects.toMatchObject({ statusCode: 400 });
    const res = await emu.call<{ error: { code: string } }>(
      'POST',
      `/_emulator/checkout/sessions/${session.id}/pay`,
      { card: '4242424242424242' },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('checkout_session_expired');
  });

  it('a session past expires_at is expired, with a checkout.session.expired event', async () => {
    const session = await createSession({ expires_at: Math.floor(Date.now() / 1000) + 31 * 60 });
    await emu.advanceClock(32 * 60);
    const after = await stripe.checkout.sessions.retrieve(session.id);
    expect(after.status).toBe('expired');
    const events = await stripe.events.list({ type: 'checkout.session.expired', limit: 100 });
    expect(events.data.some((e) => (e.data.object as Stripe.Checkout.Session).id === session.id)).toBe(true);
  });
});

describe('checkout sessions: hosted page', () => {
  it('shows the line items and total and pays from the form, redirecting to success_url', async () => {
    const session = await createSession({}, 4200);
    const { env } = await import('cloudflare:workers');
    const page = await env.STRIPE_EMULATOR!.fetch(`http://stripe-emulator.local/c/pay/${session.id}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('Canvas tote');
    expect(html).toContain('$42.00');
    expect(html).toContain('4242 4242 4242 4242');

    const declined = await env.STRIPE_EMULATOR!.fetch(`http://stripe-emulator.local/c/pay/${session.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'a@example.com', card_number: '4000 0000 0000 0002' }),
    });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain('Your card was declined.');

    const paid = await env.STRIPE_EMULATOR!.fetch(`http://stripe-emulator.local/c/pay/${session.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        email: 'a@example.com',
        card_number: '4242 4242 4242 4242',
        exp: '12/34',
        cvc: '123',
      }),
      redirect: 'manual',
    });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`http://localhost/orders/ord_1?session_id=${session.id}`);

    const closed = await env.STRIPE_EMULATOR!.fetch(`http://stripe-emulator.local/c/pay/${session.id}`);
    expect(await closed.text()).toContain('already been paid');
  });

  it('is reachable from the browser through the storefront’s /__stripe proxy', async () => {
    const { SELF } = await import('cloudflare:test');
    const session = await createSession();
    const res = await SELF.fetch(`http://localhost/__stripe/c/pay/${session.id}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Canvas tote');
    const missing = await SELF.fetch('http://localhost/__stripe/c/pay/cs_test_missing');
    expect(missing.status).toBe(404);
  });

  it('uses x-emulator-public-url for the urls it hands out', async () => {
    const { env } = await import('cloudflare:workers');
    const res = await env.STRIPE_EMULATOR!.fetch('http://stripe-emulator.local/v1/checkout/sessions', {
      method: 'POST',
      headers: {
        authorization: 'Bearer sk_test_emulator',
        'content-type': 'application/x-www-form-urlencoded',
        'x-emulator-public-url': 'http://127.0.0.1:9999/__stripe',
      },
      body: 'mode=payment&success_url=http%3A%2F%2Fx%2Fok&line_items[0][quantity]=1&line_items[0][price_data][currency]=usd&line_items[0][price_data][unit_amount]=700&line_items[0][price_data][product_data][name]=Pin',
    });
    const body = await res.json<{ id: string; url: string }>();
    expect(body.url).toBe(`http://127.0.0.1:9999/__stripe/c/pay/${body.id}`);
  });
});
