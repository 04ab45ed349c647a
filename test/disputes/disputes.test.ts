// Disputes through SELF.fetch and the emulator: a real two-vendor purchase, then the bank's dispute.
// Created → the disputed amount is recovered from both vendors in proportion (a sent transfer reversed,
// a held one reduced); won → given back by new transfers (held ones stay held); lost → stays recovered;
// any delivery order and redeliveries give the same cents; disputes of charges that are not ours are
// recorded as ignored.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { getStripe } from '../../src/stripe/client';
import { heldEmulator } from '../helpers/emulator';
import { admin, eventually, paidMultiVendorOrder, vendorClient } from '../helpers/fulfilment';
import { caughtMail, waitForMail } from '../helpers/mail';
import { reversalsOf, stripeTransfers, transfersOf } from '../helpers/payout-fixtures';
import { disputeObject } from '../helpers/webhook-events';

const emu = heldEmulator();

// A: 2 × 20.00 (transfer 36.00), B: 1 × 10.00 (transfer 9.00), shipping 5.00: 55.00 collected.
const CART = [[{ unitAmount: 2000, qty: 2 }], [{ unitAmount: 1000, qty: 1 }]];

interface DisputeJson {
  id: string;
  status: string;
  outcome: string;
  amount: number;
}

async function chargeOf(orderId: string): Promise<string> {
  const row = await env.DB.prepare('SELECT charge_id FROM orders WHERE id = ?')
    .bind(orderId)
    .first<{ charge_id: string }>();
  return row!.charge_id;
}

/** A paid order whose vendor A shipped (its transfer sent) while B's transfer is held (on_shipment). */
async function shippedAndHeld(card?: string) {
  const order = await paidMultiVendorOrder(emu, CART, {
    onboarded: true,
    confirmWith: { ...env, PAYOUT_RELEASE: 'on_shipment' },
    ...(card ? { card } : {}),
  });
  const [a, b] = order.stores;
  const vendorA = await vendorClient(a!.storeId);
  const shipped = await vendorA.post(`/vendor/orders/${order.orderId}/shipments`, {
    carrier: 'UPS',
    trackingNumber: '1Z999',
  });
  expect(shipped.status).toBe(201);
  await eventually(async () => {
    const rows = await transfersOf(order.orderId);
    const ta = rows.find((t) => t.storeId === a!.storeId)!;
    return ta.status === 'sent';
  });
  const rows = await transfersOf(order.orderId);
  expect(rows.find((t) => t.storeId === b!.storeId)!.status).toBe('held');
  return { ...order, a: a!, b: b! };
}

/** Per store: the sale transfer's amount and reversals, and what dispute give-backs pay. */
async function money(orderId: string) {
  const rows = await transfersOf(orderId);
  const out: Record<
    string,
    { sale: number; reversed: number; pending: number; given: number; givenStatus: string[] }
  > = {};
  for (const t of rows) {
    const m = (out[t.storeId] ??= { sale: 0, reversed: 0, pending: 0, given: 0, givenStatus: [] });
    if (t.purpose === 'sale') {
      m.sale = t.amount;
      m.reversed = t.amountReversed;
      m.pending = (await reversalsOf(t.id))
        .filter((r) => r.status === 'pending')
        .reduce((s, r) => s + r.amount, 0);
    } else {
      m.given += t.amount;
      m.givenStatus.push(t.status);
    }
  }
  return out;
}

async function settle(orderId: string) {
  await emu.drain();
  await eventually(async () => {
    const rows = await transfersOf(orderId);
    const busy = rows.some((t) => t.status === 'pending' || t.status === 'sending');
    const reversals = (await Promise.all(rows.map((t) => reversalsOf(t.id)))).flat();
    return !busy && reversals.every((r) => r.status !== 'pending');
  });
  await emu.drain();
}

async function disputesOf(orderId: string): Promise<DisputeJson[]> {
  return (await (await admin(`/admin/api/orders/${orderId}`)).json<{ disputes: DisputeJson[] }>()).disputes;
}

describe('disputes', () => {
  it('the dispute card: the bank disputes right after payment; both held transfers are reduced to nothing, vendors told', async () => {
    const { orderId, stores, buyer } = await paidMultiVendorOrder(emu, CART, {
      onboarded: true,
      confirmWith: { ...env, PAYOUT_RELEASE: 'on_shipment' },
      card: '4000000000000259',
    });
    const [a, b] = stores;
    const mailB = `vendor.${b!.storeId.slice(-8)}@example.com`;
    await env.DB.prepare('UPDATE stores SET email = ? WHERE id = ?').bind(mailB, b!.storeId).run();
    await settle(orderId);
    const [dispute] = await disputesOf(orderId);
    expect(dispute).toMatchObject({ status: 'needs_response', outcome: 'open', amount: 5500 });
    // The whole charge is disputed: each vendor gives back all it was to be paid, before anything was sent.
    const rows = await transfersOf(orderId);
    expect(rows.map((t) => [t.storeId, t.amount, t.status])).toEqual(
      [
        [a!.storeId, 0, 'canceled'],
        [b!.storeId, 0, 'canceled'],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    expect(await stripeTransfers(orderId)).toEqual([]);
    const order = await env.DB.prepare('SELECT flag FROM orders WHERE id = ?')
      .bind(orderId)
      .first<{ flag: string }>();
    expect(order!.flag).toContain('disputed');
    // Vendors are told (once, whatever the redeliveries), with what it takes from them.
    const told = await waitForMail(mailB, { kind: 'vendor_dispute_notice' });
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain('$9.00');
    // The shopper's order page says so.
    const page = await buyer.fetch(`/orders/${orderId}`, { headers: { accept: 'text/html' } });
    expect(await page.text()).toContain('Disputed');
    // Redelivering every event of the dispute changes nothing.
    const events = (await emu.deliveries()).deliveries.filter((d) => d.type.startsWith('charge.dispute.'));
    for (const e of events) await emu.resend(e.event_id);
    await settle(orderId);
    expect((await transfersOf(orderId)).map((t) => [t.amount, t.status])).toEqual([
      [0, 'canceled'],
      [0, 'canceled'],
    ]);
    expect(await caughtCount(mailB)).toBe(1);
  });

  it('won → what was recovered goes back by new transfers, once (the held vendor’s stays held until it ships)', async () => {
    const { orderId, a, b } = await shippedAndHeld();
    const mailA = `vendor.${a.storeId.slice(-8)}@example.com`;
    await env.DB.prepare('UPDATE stores SET email = ? WHERE id = ?').bind(mailA, a.storeId).run();
    const { dispute } = await emu.disputeCharge(await chargeOf(orderId), { amount: 2750 });
    await settle(orderId);
    let m = await money(orderId);
    // Half the charge: vendors give back 2250 of it (their share of 5500), split 1800 / 450.
    expect(m[a.storeId]).toMatchObject({ sale: 3600, reversed: 1800, given: 0 });
    expect(m[b.storeId]).toMatchObject({ sale: 450, reversed: 0, given: 0 });

    await emu.closeDispute(dispute, 'won');
    await settle(orderId);
    m = await money(orderId);
    expect(m[a.storeId]).toMatchObject({ sale: 3600, reversed: 1800, given: 1800, givenStatus: ['sent'] });
    expect(m[b.storeId]).toMatchObject({ sale: 450, given: 450, givenStatus: ['held'] });
    expect((await disputesOf(orderId))[0]).toMatchObject({ status: 'won', outcome: 'won' });
    const adminHtml = await (
      await SELF.fetch(`http://localhost/admin/orders/${orderId}`, {
        headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, accept: 'text/html' },
      })
    ).text();
    expect(adminHtml).toContain('Dispute won');
    expect(adminHtml).toContain('given back: dispute');
    // A was told when it opened and when it was won, with its share ($18.00) each time.
    const told = await waitForMail(mailA, { kind: 'vendor_dispute_notice', count: 2 });
    expect(told.map((m) => m.subject.includes('dispute won'))).toEqual([true, false]);
    expect(told.every((m) => m.text.includes('$18.00'))).toBe(true);
    // A redelivered closed/won changes nothing; B ships and gets everything it was owed.
    const events = (await emu.deliveries()).deliveries.filter(
      (d) => d.type === 'charge.dispute.closed' || d.type === 'charge.dispute.funds_reinstated',
    );
    for (const e of events) await emu.resend(e.event_id);
    const vendorB = await vendorClient(b.storeId);
    expect(
      (await vendorB.post(`/vendor/orders/${orderId}/shipments`, { carrier: 'DHL', trackingNumber: 'X' }))
        .status,
    ).toBe(201);
    await settle(orderId);
    m = await money(orderId);
    expect(m[a.storeId]).toMatchObject({ sale: 3600, reversed: 1800, given: 1800 });
    expect(m[b.storeId]).toMatchObject({ sale: 450, given: 450, givenStatus: ['sent'] });
    const atStripe = await stripeTransfers(orderId);
    const net = atStripe.reduce((s, t) => s + t.amount - t.amount_reversed, 0);
    expect(net).toBe(3600 + 900);
  });

  it('lost → stays recovered; the order pages show it', async () => {
    const { orderId, a, b, buyer } = await shippedAndHeld();
    const { dispute } = await emu.disputeCharge(await chargeOf(orderId));
    await settle(orderId);
    await emu.closeDispute(dispute, 'lost');
    await settle(orderId);
    const m = await money(orderId);
    expect(m[a.storeId]).toMatchObject({ sale: 3600, reversed: 3600, given: 0 });
    expect(m[b.storeId]).toMatchObject({ sale: 0, given: 0 });
    expect((await disputesOf(orderId))[0]).toMatchObject({ status: 'lost', outcome: 'lost' });
    const json = await (
      await buyer.fetch(`/orders/${orderId}`, { headers: { accept: 'application/json' } })
    ).json<{
      order: { disputes: DisputeJson[] };
    }>();
    expect(json.order.disputes[0]).toMatchObject({ outcome: 'lost' });
    const html = await (
      await SELF.fetch(`http://localhost/admin/orders/${orderId}`, {
        headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, accept: 'text/html' },
      })
    ).text();
    expect(html).toContain('Dispute lost');
    // A charged-back payment can't be refunded: cancel, refund and return approval are refused, nothing moves.
    const cancel = await buyer.fetch(`/orders/${orderId}/parts/${b.storeId}/cancel`, {
      method: 'POST',
      headers: { origin: 'http://localhost', accept: 'application/json' },
    });
    expect(cancel.status).toBe(409);
    expect((await cancel.json<{ detail: string }>()).detail).toContain('chargeback');
    expect((await admin(`/admin/api/orders/${orderId}/refunds`, { amount: 100 })).status).toBe(409);
    expect(await money(orderId)).toEqual(m);
  });

  it('out of order (closed/won before created) and redelivered give the same cents as the right order', async () => {
    const right = await shippedAndHeld();
    const wrong = await shippedAndHeld();
    for (const [o, order] of [right, wrong].entries()) {
      const { dispute } = await emu.disputeCharge(await chargeOf(order.orderId), { amount: 3000 });
      await emu.closeDispute(dispute, 'won');
      const events = (await emu.deliveries()).pending.filter((d) => d.type.startsWith('charge.dispute.'));
      const ids = events.map((e) => e.event_id);
      // The wrong one: newest first, each twice, plus a concurrent duplicate of the created event.
      const order2 = o === 0 ? ids : [...ids].reverse().flatMap((id) => [id, id]);
      await emu.deliver(order2);
      if (o === 1) await emu.duplicate(ids[0]!);
      await settle(order.orderId);
    }
    const [mr, mw] = [await money(right.orderId), await money(wrong.orderId)];
    const strip = (
      m: Awaited<ReturnType<typeof money>>,
      s: { a: { storeId: string }; b: { storeId: string } },
    ) => [
      m[s.a.storeId]!.sale - m[s.a.storeId]!.reversed + m[s.a.storeId]!.given,
      m[s.b.storeId]!.sale - m[s.b.storeId]!.reversed + m[s.b.storeId]!.given,
    ];
    // Vendors end with what they were paid, whatever the order of the events.
    expect(strip(mr, right)).toEqual([3600, 900]);
    expect(strip(mw, wrong)).toEqual([3600, 900]);
    expect((await disputesOf(wrong.orderId))[0]).toMatchObject({ status: 'won' });
  });

  it('a dispute of a real charge that is not one of our orders is ignored', async () => {
    const pi = await getStripe(env).paymentIntents.create({
      amount: 1800,
      currency: 'usd',
      payment_method: 'pm_card_createDispute',
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    const delivered = await emu.drain();
    const created = delivered.find((d) => d.type === 'charge.dispute.created')!;
    expect(created).toMatchObject({ status: 200, ok: true });
    const row = await env.DB.prepare('SELECT status FROM webhook_events WHERE id = ?')
      .bind(created.event_id)
      .first<{ status: string }>();
    expect(row!.status).toBe('ignored');
    expect(
      await env.DB.prepare('SELECT COUNT(*) AS n FROM disputes WHERE charge_id = ?')
        .bind(pi.latest_charge as string)
        .first('n'),
    ).toBe(0);
  });

  it('a dispute of a charge that is not ours is recorded as ignored, never a 500', async () => {
    const { events } = await emu.trigger({
      type: 'charge.dispute.created',
      object: disputeObject({
        id: 'du_unknown_1',
        charge: 'ch_not_ours_1',
        amount: 1000,
        status: 'needs_response',
        reason: 'fraudulent',
        created: 1_700_000_000,
      }),
    });
    const [result] = await emu.deliver(events.map((e) => e.id));
    expect(result).toMatchObject({ status: 200, ok: true });
    const row = await env.DB.prepare('SELECT status FROM webhook_events WHERE id = ?')
      .bind(events[0]!.id)
      .first<{ status: string }>();
    expect(row!.status).toBe('ignored');
    expect(
      await env.DB.prepare("SELECT COUNT(*) AS n FROM disputes WHERE id = 'du_unknown_1'").first('n'),
    ).toBe(0);
  });
});

async function caughtCount(to: string): Promise<number> {
  return (await caughtMail(to)).filter((m) => m.kind === 'vendor_dispute_notice').length;
}
