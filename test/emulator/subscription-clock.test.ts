// Subscriptions on the emulator's test clock: renewals per period, failed renewals and their retries,
// paying an open invoice (API, control and hosted page), cancel at period end, setup-mode sessions.
import { describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { emu, emulatorFetch, stripe } from './helpers';

const DAY = 86400;

async function subscribe(): Promise<{ subId: string; customer: string }> {
  const session = await stripe.checkout.sessions.create({
    mode: 'subscription',
    success_url: 'http://localhost/ok?session_id={CHECKOUT_SESSION_ID}',
    line_items: [
      {
        quantity: 1,
        price_data: {
          currency: 'usd',
          unit_amount: 1200,
          recurring: { interval: 'month' },
          product_data: { name: 'Beans' },
        },
      },
    ],
  });
  await emu.pay(session.id);
  const after = await stripe.checkout.sessions.retrieve(session.id);
  return { subId: after.subscription as string, customer: after.customer as string };
}

const periodEnd = (s: Stripe.Subscription) => s.items.data[0]!.current_period_end;

async function advanceTo(t: number) {
  const { now } = await emu.advanceClock(0);
  await emu.advanceClock(Math.max(0, t - now + 60));
}

describe('subscriptions on the test clock', () => {
  it('bills one invoice per period passed, with the payment in invoice.payments', async () => {
    const { subId } = await subscribe();
    const sub = await stripe.subscriptions.retrieve(subId);
    await advanceTo(periodEnd(sub));
    const once = await stripe.subscriptions.retrieve(subId);
    expect(once.status).toBe('active');
    expect(once.items.data[0]!.current_period_start).toBe(periodEnd(sub));
    await advanceTo(periodEnd(once));
    const invoices = await stripe.invoices.list({ subscription: subId });
    expect(invoices.data.map((i) => i.billing_reason).sort()).toEqual([
      'subscription_create',
      'subscription_cycle',
      'subscription_cycle',
    ]);
    const renewal = invoices.data.find((i) => i.billing_reason === 'subscription_cycle')!;
    expect(renewal).toMatchObject({ status: 'paid', amount_paid: 1200 });
    expect(renewal.parent?.subscription_details?.subscription).toBe(subId);
    expect(renewal).not.toHaveProperty('charge');
    expect(renewal).not.toHaveProperty('payment_intent');
    expect(renewal).not.toHaveProperty('subscription');
    // `payments` is includable: absent unless expanded.
    expect(renewal).not.toHaveProperty('payments');
    const expanded = await stripe.invoices.retrieve(renewal.id, { expand: ['payments'] });
    const pi = expanded.payments?.data[0]?.payment.payment_intent as string;
    const listed = await stripe.invoicePayments.list({ invoice: renewal.id });
    expect(listed.data.map((p) => p.payment.payment_intent)).toEqual([pi]);
    expect(pi).toMatch(/^pi_/);
    const intent = await stripe.paymentIntents.retrieve(pi);
    expect(intent.latest_charge).toMatch(/^ch_/);
  });

  it('a failing card: renewal fails, past_due, retried per schedule, paid on the hosted page → active', async () => {
    const { subId } = await subscribe();
    await emu.setSubscriptionCard(subId, '4000000000000002');
    const sub = await stripe.subscriptions.retrieve(subId);
    await advanceTo(periodEnd(sub));
    const pastDue = await stripe.subscriptions.retrieve(subId);
    expect(pastDue.status).toBe('past_due');
    const open = (await stripe.invoices.list({ subscription: subId, status: 'open' })).data[0]!;
    expect(open).toMatchObject({ attempt_count: 1, attempted: true, status: 'open' });
    expect(open.next_payment_attempt).toBe(periodEnd(sub) + 3 * DAY + (open.created - periodEnd(sub)));
    const failed = await stripe.events.list({ type: 'invoice.payment_failed', limit: 100 });
    expect(failed.data.some((e) => (e.data.object as Stripe.Invoice).id === open.id)).toBe(true);

    // The retry 3 days later fails again (same card).
    await advanceTo(open.next_payment_attempt!);
    const retried = await stripe.invoices.retrieve(open.id);
    expect(retried).toMatchObject({ attempt_count: 2, status: 'open' });

    // The shopper pays on the hosted invoice page with a good card.
    const page = await emulatorFetch(new URL(open.hosted_invoice_url!).pathname.replace(/^\/__stripe/, ''), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'card_number=4242424242424242',
    });
    expect(page.status).toBe(200);
    expect(await stripe.invoices.retrieve(open.id)).toMatchObject({ status: 'paid', amount_remaining: 0 });
    expect((await stripe.subscriptions.retrieve(subId)).status).toBe('active');
  });

  it('four failed attempts cancel the subscription', async () => {
    const { subId } = await subscribe();
    await emu.setSubscriptionCard(subId, '4000000000000002');
    await advanceTo(periodEnd(await stripe.subscriptions.retrieve(subId)));
    for (let i = 0; i < 3; i++) await emu.advanceClock(8 * DAY);
    expect((await stripe.subscriptions.retrieve(subId)).status).toBe('canceled');
  });

  it('pays an open invoice through the API', async () => {
    const { subId } = await subscribe();
    await emu.setSubscriptionCard(subId, '4000000000009995');
    await advanceTo(periodEnd(await stripe.subscriptions.retrieve(subId)));
    const open = (await stripe.invoices.list({ subscription: subId, status: 'open' })).data[0]!;
    await expect(stripe.invoices.pay(open.id)).rejects.toMatchObject({ statusCode: 402 });
    const paid = await stripe.invoices.pay(open.id, { payment_method: 'pm_card_visa' });
    expect(paid.status).toBe('paid');
    await expect(stripe.invoices.pay(open.id)).rejects.toMatchObject({ statusCode: 400 });
  });

  it('cancel at period end: active until the end passes, then canceled, no further invoices', async () => {
    const { subId } = await subscribe();
    await stripe.subscriptions.update(subId, { cancel_at_period_end: true });
    const sub = await stripe.subscriptions.retrieve(subId);
    await emu.advanceClock(DAY);
    expect((await stripe.subscriptions.retrieve(subId)).status).toBe('active');
    await advanceTo(periodEnd(sub));
    const ended = await stripe.subscriptions.retrieve(subId);
    expect(ended).toMatchObject({ status: 'canceled', ended_at: periodEnd(sub) });
    await emu.advanceClock(40 * DAY);
    expect((await stripe.invoices.list({ subscription: subId })).data).toHaveLength(1);
  });

  it('setup mode: the hosted page saves a card on a SetupIntent; the subscription can take it', async () => {
    const { subId, customer } = await subscribe();
    await expect(
      stripe.checkout.sessions.create({ mode: 'setup', customer, success_url: 'http://localhost/ok' }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'currency' });
    const session = await stripe.checkout.sessions.create({
      mode: 'setup',
      currency: 'usd',
      customer,
      setup_intent_data: { metadata: { subscription_id: subId } },
      success_url: 'http://localhost/ok',
    });
    const path = `/c/pay/${session.id}`;
    const page = await emulatorFetch(path);
    expect(await page.text()).toContain('Save card');
    const posted = await emulatorFetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'card_number=4242424242424242&name=Mel',
      redirect: 'manual',
    });
    expect(posted.status).toBe(303);
    const done = await stripe.checkout.sessions.retrieve(session.id);
    expect(done).toMatchObject({ status: 'complete', mode: 'setup', payment_status: 'no_payment_required' });
    const seti = await stripe.setupIntents.retrieve(done.setup_intent as string);
    expect(seti).toMatchObject({ status: 'succeeded', customer, metadata: { subscription_id: subId } });
    const updated = await stripe.subscriptions.update(subId, {
      default_payment_method: seti.payment_method as string,
    });
    expect(updated.default_payment_method).toBe(seti.payment_method);
    await expect(
      stripe.subscriptions.update(subId, { default_payment_method: 'pm_missing' }),
    ).rejects.toMatchObject({ statusCode: 404 });
  });
});
