// Subscriptions end to end through SELF.fetch and the emulator: a mixed cart bought in subscription
// mode, renewals on the test clock paid out to vendors to the cent, redelivered and reordered events,
// one subscription per shopper and product, failed renewals, cancel at period end.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { getStripe } from '../../src/stripe/client';
import { seedCatalog, stockOf, type SeededProduct } from '../helpers/checkout-fixtures';
import { shopper } from '../helpers/checkout-flow';
import { heldEmulator } from '../helpers/emulator';
import { waitForMail } from '../helpers/mail';

const emu = heldEmulator();
const stripe = getStripe(env);
const DAY = 86400;

/** Two vendors: a monthly coffee club and a mug (A), a limited candle (B). */
async function catalog() {
  const a = await seedCatalog(
    [
      { name: 'Coffee club', unitAmount: 2000 },
      { name: 'Stoneware mug', unitAmount: 1500 },
    ],
    { name: 'Northwind Coffee' },
  );
  const b = await seedCatalog([{ name: 'Beeswax candle', unitAmount: 900, stock: 5 }], {
    name: 'Hive & Wick',
  });
  const club = a.products[0]!;
  await env.DB.prepare(`UPDATE products SET recurring_interval = 'month' WHERE id = ?`).bind(club.id).run();
  return { club, mug: a.products[1]!, candle: b.products[0]!, a, b };
}

interface TransferRow {
  order_id: string;
  store_id: string;
  amount: number;
  fee: number;
}

async function transfersOf(orderIds: string[]): Promise<TransferRow[]> {
  if (orderIds.length === 0) return [];
  const rows = await env.DB.prepare(
    `SELECT order_id, store_id, amount, fee FROM transfers WHERE order_id IN (${orderIds.map(() => '?').join(',')}) ORDER BY order_id, store_id`,
  )
    .bind(...orderIds)
    .all<TransferRow>();
  return rows.results;
}

async function subscriptionRow(id: string) {
  return env.DB.prepare('SELECT * FROM subscriptions WHERE id = ?').bind(id).first<{
    status: string;
    order_id: string;
    email: string;
    provisioned_at: number | null;
    cancel_at_period_end: number;
  }>();
}

async function periodsOf(subscriptionId: string) {
  const rows = await env.DB.prepare(
    `SELECT si.id, si.status, si.order_id, si.billing_reason, o.status AS order_status, o.total, o.charge_id
       FROM subscription_invoices si LEFT JOIN orders o ON o.id = si.order_id
      WHERE si.subscription_id = ? ORDER BY si.period_start`,
  )
    .bind(subscriptionId)
    .all<{
      id: string;
      status: string;
      order_id: string | null;
      billing_reason: string;
      order_status: string | null;
      total: number | null;
      charge_id: string | null;
    }>();
  return rows.results;
}

/** Moves the emulator's clock just past a timestamp and delivers what it billed. */
async function advancePast(t: number) {
  const { now } = await emu.advanceClock(0);
  await emu.advanceClock(Math.max(0, t - now + 60));
  await emu.drain();
}

async function subscribe(products: { product: SeededProduct; qty?: number }[], email: string) {
  const buyer = await shopper();
  for (const p of products) await buyer.add(p.product, p.qty ?? 1);
  const res = await buyer.checkout({ email });
  expect(res.status).toBe(200);
  const started = await res.json<{ url: string; orderId: string; sessionId: string }>();
  const paid = await emu.pay(started.sessionId, {
    email,
    shipping: {
      name: 'Ada',
      address: { line1: '1 Loom St', city: 'London', postal_code: 'N1', country: 'GB' },
    },
  });
  const deliveries = await emu.drain();
  expect(deliveries.every((d) => d.status === 200)).toBe(true);
  return { buyer, started, subscriptionId: paid.subscription! };
}

const periodEnd = async (id: string) =>
  (await stripe.subscriptions.retrieve(id)).items.data[0]!.current_period_end;

describe('subscriptions', () => {
  it('mixed cart → one subscription-mode session; renewals become orders paid out to the cent; redeliveries change nothing', async () => {
    const { club, mug, candle, a, b } = await catalog();
    const email = `sub-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const { buyer, started, subscriptionId } = await subscribe(
      [{ product: club }, { product: mug }, { product: candle, qty: 2 }],
      email,
    );

    const session = await stripe.checkout.sessions.retrieve(started.sessionId, { expand: ['line_items'] });
    expect(session.mode).toBe('subscription');
    expect(session.amount_total).toBe(2000 + 1500 + 1800 + 500);

    // The first order: every line, paid, one transfer per vendor, stock committed, cart empty.
    const first = await buyer.order(started.orderId);
    expect(first).toMatchObject({ status: 'paid', total: 5800, amountReceived: 5800 });
    expect((await buyer.cart.getState()).lines).toEqual([]);
    expect(await stockOf(candle.id)).toBe(3);
    expect(await transfersOf([started.orderId])).toEqual(
      [
        { order_id: started.orderId, store_id: a.storeId, amount: 3150, fee: 350 },
        { order_id: started.orderId, store_id: b.storeId, amount: 1620, fee: 180 },
      ].sort((x, y) => x.store_id.localeCompare(y.store_id)),
    );

    const row = await subscriptionRow(subscriptionId);
    expect(row).toMatchObject({ status: 'active', order_id: started.orderId, email });
    expect(row!.provisioned_at).not.toBeNull();
    const [welcome] = await waitForMail(email, { kind: 'subscription_welcome' });
    expect(welcome!.text).toContain('Coffee club');
    expect(welcome!.text).toContain(`/subscriptions/${subscriptionId}?t=`);

    // Two periods pass: two renewal orders, only the recurring product, paid out to its vendor.
    await advancePast(await periodEnd(subscriptionId));
    await advancePast(await periodEnd(subscriptionId));
    const periods = await periodsOf(subscriptionId);
    expect(periods.map((p) => [p.billing_reason, p.status, p.order_status, p.total])).toEqual([
      ['subscription_create', 'paid', 'paid', 5800],
      ['subscription_cycle', 'paid', 'paid', 2000],
      ['subscription_cycle', 'paid', 'paid', 2000],
    ]);
    const renewalIds = periods.slice(1).map((p) => p.order_id!);
    expect(await transfersOf(renewalIds)).toEqual(
      renewalIds.sort().map((id) => ({ order_id: id, store_id: a.storeId, amount: 1800, fee: 200 })),
    );
    // Each renewal's transfers come from its own invoice's charge (invoice.payments → PI → charge).
    for (const p of periods.slice(1)) {
      const invoice = await stripe.invoices.retrieve(p.id, { expand: ['payments'] });
      const pi = await stripe.paymentIntents.retrieve(
        invoice.payments!.data[0]!.payment.payment_intent as string,
      );
      expect(p.charge_id).toBe(pi.latest_charge);
    }

    // Every event delivered again, twice at once, and in reverse order: nothing changes.
    const events = (await stripe.events.list({ limit: 100 })).data.filter((e) => {
      const o = e.data.object as {
        id?: string;
        parent?: { subscription_details?: { subscription?: string } };
      };
      return o.id === subscriptionId || o.parent?.subscription_details?.subscription === subscriptionId;
    });
    expect(events.length).toBeGreaterThan(6);
    await emu.deliver(events.map((e) => e.id).reverse());
    for (const e of events.filter((x) => x.type === 'invoice.paid')) await emu.duplicate(e.id);
    const counts = async () =>
      env.DB.prepare(
        `SELECT (SELECT count(*) FROM orders WHERE cart_id = ?) AS orders,
                (SELECT count(*) FROM transfers WHERE order_id IN (SELECT order_id FROM subscription_invoices WHERE subscription_id = ?)) AS transfers,
                (SELECT count(*) FROM outbox WHERE kind = 'subscription_welcome' AND recipient = ?) AS welcomes`,
      )
        .bind(`subscription:${subscriptionId}`, subscriptionId, email)
        .first<{ orders: number; transfers: number; welcomes: number }>();
    expect(await counts()).toEqual({ orders: 2, transfers: 4, welcomes: 1 });
    expect((await subscriptionRow(subscriptionId))!.status).toBe('active');
  });

  it('refuses a second subscription to the same product, naming it, with a link to manage it', async () => {
    const { club, mug } = await catalog();
    const email = `twice-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const { subscriptionId } = await subscribe([{ product: club }], email);
    const again = await shopper();
    await again.add(club);
    await again.add(mug);
    const res = await again.checkout({ email: email.toUpperCase() });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = await res.json<{ code: string; detail: string; manageUrl: string }>();
    expect(problem.code).toBe('already_subscribed');
    expect(problem.detail).toContain('Coffee club');
    expect(problem.manageUrl).toBe(`/subscriptions/${subscriptionId}`);

    // Without an e-mail the rule can't be checked: asked for one.
    const anonymous = await shopper();
    await anonymous.add(club);
    const noEmail = await anonymous.checkout();
    expect(noEmail.status).toBe(422);
    expect((await noEmail.json<{ code: string }>()).code).toBe('email_required');
  });

  it('a failed renewal: past_due, period failed, shopper told; paid on the hosted invoice page → active', async () => {
    const { club } = await catalog();
    const email = `fail-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const { subscriptionId } = await subscribe([{ product: club }], email);
    await emu.setSubscriptionCard(subscriptionId, '4000000000000002');
    await advancePast(await periodEnd(subscriptionId));
    expect((await subscriptionRow(subscriptionId))!.status).toBe('past_due');
    const failed = (await periodsOf(subscriptionId)).find((p) => p.billing_reason === 'subscription_cycle')!;
    expect(failed).toMatchObject({ status: 'failed', order_id: null });
    const [notice] = await waitForMail(email, { kind: 'subscription_renewal_failed' });
    expect(notice!.text).toContain('/invoices/');

    await emu.payInvoice(failed.id, '4242424242424242');
    await emu.drain();
    expect((await subscriptionRow(subscriptionId))!.status).toBe('active');
    const paid = (await periodsOf(subscriptionId)).find((p) => p.id === failed.id)!;
    expect(paid).toMatchObject({ status: 'paid', order_status: 'paid', total: 2000 });
  });

  it('cancel at period end: active until the clock passes the end, then canceled, no further invoices', async () => {
    const { club } = await catalog();
    const email = `end-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const { subscriptionId } = await subscribe([{ product: club }], email);
    await stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: true });
    await emu.drain();
    expect(await subscriptionRow(subscriptionId)).toMatchObject({
      status: 'active',
      cancel_at_period_end: 1,
    });
    const end = await periodEnd(subscriptionId);
    await emu.advanceClock(DAY);
    await emu.drain();
    expect((await subscriptionRow(subscriptionId))!.status).toBe('active');
    await advancePast(end);
    expect((await subscriptionRow(subscriptionId))!.status).toBe('canceled');
    await advancePast(end + 40 * DAY);
    expect(await periodsOf(subscriptionId)).toHaveLength(1);
    // A stale "active" event delivered after the end does not revive it (canceled is final).
    const stale = await stripe.subscriptions.retrieve(subscriptionId);
    await emu.trigger({
      type: 'customer.subscription.updated',
      object: { ...stale, status: 'active', cancel_at_period_end: false },
    });
    await emu.drain();
    expect((await subscriptionRow(subscriptionId))!.status).toBe('canceled');
    expect((await stripe.invoices.list({ subscription: subscriptionId })).data).toHaveLength(1);
  });

  it('records and ignores events for subscriptions and invoices that are not ours', async () => {
    const foreign = {
      id: 'sub_foreign000000000000001',
      object: 'subscription',
      status: 'active',
      metadata: {},
      customer: 'cus_unknown',
      items: { object: 'list', data: [] },
    } as unknown as Stripe.Subscription;
    const fired = await emu.trigger({ type: 'customer.subscription.updated', object: foreign });
    const invoice = {
      id: 'in_foreign00000000000001',
      object: 'invoice',
      status: 'paid',
      parent: { subscription_details: { subscription: 'sub_nope' }, type: 'subscription_details' },
      lines: { object: 'list', data: [] },
    };
    const fired2 = await emu.trigger({ type: 'invoice.paid', object: invoice });
    const results = await emu.drain();
    for (const id of [...fired.events, ...fired2.events].map((e) => e.id)) {
      const r = results.find((x) => x.event_id === id);
      expect(r?.status).toBe(200);
      const row = await env.DB.prepare('SELECT status FROM webhook_events WHERE id = ?')
        .bind(id)
        .first<{ status: string }>();
      expect(row?.status).toBe('ignored');
    }
  });
});
