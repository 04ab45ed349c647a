// Subscription-mode Checkout: customer, subscription and first invoice; renewal, update, cancel.
import { describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { emu, stripe } from './helpers';

async function subscribe(extra: Partial<Stripe.Checkout.SessionCreateParams> = {}) {
  const session = await stripe.checkout.sessions.create({
    mode: 'subscription',
    success_url: 'http://localhost/members?session_id={CHECKOUT_SESSION_ID}',
    customer_email: 'member@example.com',
    line_items: [
      {
        quantity: 1,
        price_data: {
          currency: 'usd',
          unit_amount: 900,
          recurring: { interval: 'month' },
          product_data: { name: 'Coffee club' },
        },
      },
      {
        quantity: 1,
        price_data: { currency: 'usd', unit_amount: 1500, product_data: { name: 'Welcome mug' } },
      },
    ],
    subscription_data: { metadata: { plan: 'club' } },
    ...extra,
  });
  const paid = await emu.pay(session.id, { email: 'member@example.com', name: 'Mel' });
  return { session, paid };
}

describe('subscription checkout', () => {
  it('creates the customer, an active subscription and a paid first invoice', async () => {
    const { session, paid } = await subscribe();
    expect(paid.redirect).toBe(`http://localhost/members?session_id=${session.id}`);
    const after = await stripe.checkout.sessions.retrieve(session.id, {
      expand: ['subscription', 'invoice'],
    });
    expect(after).toMatchObject({
      status: 'complete',
      payment_status: 'paid',
      mode: 'subscription',
      payment_intent: null,
    });
    expect(String(after.customer)).toMatch(/^cus_/);
    const sub = after.subscription as Stripe.Subscription;
    expect(sub.id).toMatch(/^sub_/);
    expect(sub).toMatchObject({
      status: 'active',
      customer: after.customer,
      metadata: { plan: 'club' },
      cancel_at_period_end: false,
    });
    expect(sub.items.data).toHaveLength(1);
    expect(sub.items.data[0]).toMatchObject({
      quantity: 1,
      price: { unit_amount: 900, recurring: { interval: 'month' } },
    });
    expect(sub.items.data[0]!.current_period_end).toBeGreaterThan(sub.items.data[0]!.current_period_start);
    const invoice = after.invoice as Stripe.Invoice;
    expect(invoice.id).toMatch(/^in_/);
    expect(invoice).toMatchObject({
      status: 'paid',
      total: 2400,
      amount_paid: 2400,
      billing_reason: 'subscription_create',
    });
    expect(invoice.parent?.subscription_details?.subscription).toBe(sub.id);
    expect(invoice.lines.data.map((l) => l.amount)).toEqual([900, 1500]);

    const customer = await stripe.customers.retrieve(after.customer as string);
    expect(customer).toMatchObject({ email: 'member@example.com', name: 'Mel' });

    const types = (await stripe.events.list({ limit: 100 })).data.map((e) => e.type);
    for (const t of [
      'customer.created',
      'customer.subscription.created',
      'invoice.paid',
      'invoice.payment_succeeded',
      'checkout.session.completed',
    ]) {
      expect(types).toContain(t);
    }
  });

  it('a declined card creates no subscription', async () => {
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      success_url: 'http://localhost/ok',
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: 'usd',
            unit_amount: 500,
            recurring: { interval: 'year' },
            product_data: { name: 'Annual' },
          },
        },
      ],
    });
    const res = await emu.call<{ error: { code: string } }>(
      'POST',
      `/_emulator/checkout/sessions/${session.id}/pay`,
      { card: '4000000000000002' },
    );
    expect(res.status).toBe(402);
    const after = await stripe.checkout.sessions.retrieve(session.id);
    expect(after).toMatchObject({ status: 'open', subscription: null });
  });

  it('renews, schedules cancellation, and cancels', async () => {
    const { session } = await subscribe();
    const subId = (await stripe.checkout.sessions.retrieve(session.id)).subscription as string;
    const renewed = await emu.renewSubscription(subId);
    const invoice = await stripe.invoices.retrieve(renewed.invoice);
    expect(invoice).toMatchObject({ status: 'paid', billing_reason: 'subscription_cycle', total: 900 });
    const invoices = await stripe.invoices.list({ subscription: subId });
    expect(invoices.data).toHaveLength(2);

    const scheduled = await stripe.subscriptions.update(subId, { cancel_at_period_end: true });
    expect(scheduled.cancel_at_period_end).toBe(true);
    const canceled = await stripe.subscriptions.cancel(subId);
    expect(canceled.status).toBe('canceled');
    const deleted = await stripe.events.list({ type: 'customer.subscription.deleted' });
    expect(deleted.data.some((e) => (e.data.object as Stripe.Subscription).id === subId)).toBe(true);
    await expect(stripe.subscriptions.cancel(subId)).rejects.toMatchObject({ statusCode: 400 });
  });

  it('refuses subscription mode without a recurring price', async () => {
    await expect(
      stripe.checkout.sessions.create({
        mode: 'subscription',
        success_url: 'http://localhost/ok',
        line_items: [
          {
            quantity: 1,
            price_data: { currency: 'usd', unit_amount: 500, product_data: { name: 'One-off' } },
          },
        ],
      }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'line_items' });
  });
});

describe('customers', () => {
  it('creates, retrieves, updates and lists by email', async () => {
    const c = await stripe.customers.create({ email: 'cust@example.com', name: 'Cy', metadata: { k: 'v' } });
    expect(c.id).toMatch(/^cus_/);
    expect(c).toMatchObject({
      object: 'customer',
      email: 'cust@example.com',
      name: 'Cy',
      metadata: { k: 'v' },
    });
    const u = await stripe.customers.update(c.id, { name: 'Cyd', metadata: { k: '', j: 'w' } });
    expect(u).toMatchObject({ name: 'Cyd', metadata: { j: 'w' } });
    expect((await stripe.customers.retrieve(c.id)) as Stripe.Customer).toMatchObject({ name: 'Cyd' });
    const listed = await stripe.customers.list({ email: 'cust@example.com' });
    expect(listed.data.map((x) => x.id)).toEqual([c.id]);
    await expect(stripe.customers.retrieve('cus_missing')).rejects.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
  });

  it('paginates lists with has_more and starting_after', async () => {
    const tag = crypto.randomUUID();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await stripe.customers.create({ email: `${tag}@example.com` })).id);
    const first = await stripe.customers.list({ email: `${tag}@example.com`, limit: 2 });
    expect(first).toMatchObject({ object: 'list', has_more: true, url: '/v1/customers' });
    expect(first.data.map((c) => c.id)).toEqual([ids[2], ids[1]]);
    const rest = await stripe.customers.list({
      email: `${tag}@example.com`,
      limit: 2,
      starting_after: ids[1],
    });
    expect(rest.data.map((c) => c.id)).toEqual([ids[0]]);
    expect(rest.has_more).toBe(false);
  });
});
