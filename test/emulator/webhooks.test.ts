// Webhook delivery: signatures made exactly like Stripe's (verified with the SDK and the app's
// secrets), queued vs automatic delivery, retries on non-2xx, resend, duplicates, ordered delivery.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { emu, onboardedAccount, paidSession, stripe } from './helpers';

const crypto = Stripe.createSubtleCryptoProvider();

async function captured(eventId: string) {
  const { attempts } = await emu.deliveries(eventId);
  const last = attempts[attempts.length - 1]!;
  return { headers: last.request_headers!, body: last.request_body! };
}

beforeAll(async () => {
  await emu.config({ auto_deliver: false, webhook_capture: true });
});

afterAll(async () => {
  await emu.config({ auto_deliver: true, webhook_capture: false, webhook_url: null, webhook_secret: null });
});

describe('signed delivery', () => {
  it('delivers paying a session as Stripe does; each verifies with the app’s secret, a tampered body does not', async () => {
    const { session } = await paidSession();
    const results = await emu.drain();
    const mine = results.filter((r) =>
      [
        'payment_intent.created',
        'charge.succeeded',
        'payment_intent.succeeded',
        'checkout.session.completed',
      ].includes(r.type),
    );
    expect(mine.map((r) => r.type)).toEqual([
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'checkout.session.completed',
    ]);

    const completed = mine.find((r) => r.type === 'checkout.session.completed')!;
    const { headers, body } = await captured(completed.event_id);
    expect(headers['content-type']).toBe('application/json; charset=utf-8');
    expect(headers['user-agent']).toBe('Stripe/1.0 (+https://stripe.com/docs/webhooks)');
    expect(headers['stripe-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);

    const event = await stripe.webhooks.constructEventAsync(
      body,
      headers['stripe-signature']!,
      'whsec_test_primary',
      undefined,
      crypto,
    );
    expect(event).toMatchObject({
      id: completed.event_id,
      type: 'checkout.session.completed',
      object: 'event',
      livemode: false,
    });
    expect((event.data.object as Stripe.Checkout.Session).id).toBe(session.id);
    expect(event.account).toBeUndefined();

    const tampered = body.replace('"livemode": false', '"livemode": true');
    expect(tampered).not.toBe(body);
    await expect(
      stripe.webhooks.constructEventAsync(
        tampered,
        headers['stripe-signature']!,
        'whsec_test_primary',
        undefined,
        crypto,
      ),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeSignatureVerificationError);
    await expect(
      stripe.webhooks.constructEventAsync(
        body,
        headers['stripe-signature']!,
        'whsec_test_connect',
        undefined,
        crypto,
      ),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeSignatureVerificationError);
  });

  it('signs Connect events (with `account`) with the Connect endpoint’s secret', async () => {
    const vendor = await onboardedAccount('signed@example.com');
    const results = await emu.drain();
    const updated = results.find((r) => r.type === 'account.updated');
    expect(updated).toBeDefined();
    const { headers, body } = await captured(updated!.event_id);
    const event = await stripe.webhooks.constructEventAsync(
      body,
      headers['stripe-signature']!,
      'whsec_test_connect',
      undefined,
      crypto,
    );
    expect(event.account).toBe(vendor.id);
    expect((event.data.object as Stripe.Account).details_submitted).toBe(true);
  });

  it('records every event with its delivery state (GET /v1/events/:id)', async () => {
    const { pi } = await paidSession();
    const listed = await stripe.events.list({ type: 'payment_intent.succeeded', limit: 100 });
    const event = listed.data.find((e) => (e.data.object as Stripe.PaymentIntent).id === pi.id)!;
    expect(event.id).toMatch(/^evt_/);
    expect(event.pending_webhooks).toBe(1);
    await emu.drain();
    const retrieved = (await stripe.events.retrieve(event.id)) as unknown as Stripe.Event & {
      delivery_attempts: Array<{ attempt: number }>;
    };
    expect(retrieved.pending_webhooks).toBe(0);
    expect(retrieved.delivery_attempts.map((a) => a.attempt)).toEqual([1]);
    // Paid by the shopper on the hosted page, not by an API request.
    expect(retrieved.request).toEqual({ id: null, idempotency_key: null });
    const apiMade = await stripe.customers.create(
      { email: 'req@example.com' },
      { idempotencyKey: `req-${pi.id}` },
    );
    const created = (await stripe.events.list({ type: 'customer.created', limit: 100 })).data.find(
      (e) => (e.data.object as Stripe.Customer).id === apiMade.id,
    )!;
    expect(created.request).toEqual({ id: expect.stringMatching(/^req_/), idempotency_key: `req-${pi.id}` });
    await expect(stripe.events.retrieve('evt_missing')).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe('retries and controls', () => {
  it('retries a non-2xx answer later and records each attempt', async () => {
    // Signed with a secret the storefront doesn't know: it refuses (4xx) and the emulator retries.
    await emu.config({ webhook_secret: 'whsec_not_the_apps', max_attempts: 3 });
    const { objects } = await emu.trigger({ type: 'customer.created' });
    const first = (await emu.drain()).find((r) => r.type === 'customer.created')!;
    expect(first).toMatchObject({ ok: false, attempt: 1 });
    const refused = first.status!;
    expect(refused).toBeGreaterThanOrEqual(400);
    let state = await emu.deliveries(first.event_id);
    expect(state.deliveries[0]).toMatchObject({ state: 'pending', attempts: 1, last_status: refused });

    const second = (await emu.drain()).find((r) => r.event_id === first.event_id)!;
    expect(second).toMatchObject({ ok: false, attempt: 2 });

    await emu.config({ webhook_secret: null });
    const third = (await emu.drain()).find((r) => r.event_id === first.event_id)!;
    expect(third.attempt).toBe(3);
    state = await emu.deliveries(first.event_id);
    expect(state.attempts.map((a) => a.status)).toEqual([refused, refused, third.status]);
    expect(objects.customer).toMatch(/^cus_/);
  });

  it('gives up after max_attempts', async () => {
    await emu.config({ webhook_secret: 'whsec_not_the_apps', max_attempts: 2 });
    const { events } = await emu.trigger({ type: 'customer.created' });
    const id = events[0]!.id;
    await emu.drain();
    await emu.drain();
    const state = await emu.deliveries(id);
    expect(state.deliveries[0]).toMatchObject({ state: 'failed', attempts: 2 });
    expect((await emu.drain()).some((r) => r.event_id === id)).toBe(false);
    await emu.config({ webhook_secret: null, max_attempts: 8 });
    const resent = await emu.resend(id);
    expect(resent.attempt).toBe(3);
  });

  it('resends, duplicates concurrently, and delivers a set in the order asked', async () => {
    const { events } = await emu.trigger({ type: 'charge.refunded' });
    const types = events.map((e) => e.type);
    expect(types).toEqual([
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'refund.created',
      'charge.refunded',
    ]);
    await emu.drain();

    const resent = await emu.resend(events[0]!.id);
    expect(resent).toMatchObject({ event_id: events[0]!.id, attempt: 2 });

    const dup = await emu.duplicate(events[1]!.id);
    expect(dup).toHaveLength(2);
    expect(dup.map((d) => d.event_id)).toEqual([events[1]!.id, events[1]!.id]);
    expect(dup.map((d) => d.attempt).sort()).toEqual([2, 3]);

    const reversed = [...events].reverse().map((e) => e.id);
    const ordered = await emu.deliver(reversed);
    expect(ordered.map((r) => r.event_id)).toEqual(reversed);
    const state = await emu.deliveries();
    const orderedAttempts = state.attempts
      .filter((a) => a.trigger === 'ordered')
      .map((a) => a.event_id)
      .reverse();
    expect(orderedAttempts.slice(-reversed.length)).toEqual(reversed);
  });

  it('triggers Connect and subscription events, and any event from a given object', async () => {
    const transfer = await emu.trigger({ type: 'transfer.reversed', transfer_group: 'ord_trig' });
    expect(transfer.events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'account.updated',
        'charge.succeeded',
        'transfer.created',
        'transfer.reversed',
      ]),
    );
    const raw = await emu.trigger({
      type: 'account.application.deauthorized',
      account: transfer.objects.account,
      object: { id: 'ca_test', object: 'application', name: 'Harbor' },
    });
    expect(raw.events.map((e) => e.type)).toEqual(['account.application.deauthorized']);
    const event = await stripe.events.retrieve(raw.events[0]!.id);
    expect(event.account).toBe(transfer.objects.account);
    const unknown = await emu.call('POST', '/_emulator/trigger', {
      type: 'radar.early_fraud_warning.created',
    });
    expect(unknown.status).toBe(400);
  });
});
