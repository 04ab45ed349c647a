// A dispute whose events arrive before the payment's (Stripe does not order events): once the order is
// paid, its vendors hear of the dispute exactly as if the events had come in order (opened, then won or
// lost, each once with their share), an inquiry tells nobody, and the money ends the same to the cent,
// whatever the delivery order and the redeliveries (fast-check over the orders of one purchase's events).
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../src/db/client';
import { confirmFromStripe } from '../../src/orders/confirm';
import { getOrderWithLines } from '../../src/orders/model';
import { getStripe } from '../../src/stripe/client';
import { heldEmulator } from '../helpers/emulator';
import { paidMultiVendorOrder } from '../helpers/fulfilment';
import { caughtMail, waitForMail } from '../helpers/mail';
import { check, settle } from '../helpers/money-check';
import { transfersOf } from '../helpers/payout-fixtures';
import { disputeObject } from '../helpers/webhook-events';

const emu = heldEmulator();

// A: 2 × 20.00 (transfer 36.00), B: 1 × 10.00 (transfer 9.00), shipping 5.00: 55.00 collected.
const CART = [[{ unitAmount: 2000, qty: 2 }], [{ unitAmount: 1000, qty: 1 }]];
// Half the charge: the vendors' part of it is 22.50, split 18.00 (A) / 4.50 (B).
const DISPUTED = 2750;
const SHARES = ['$18.00', '$4.50'];
const PAID = [3600, 900];

type Outcome = 'open' | 'won' | 'lost';

/** A two-vendor purchase paid at the emulator, its events (the vendors' onboarding's too) still held. */
async function purchase() {
  const order = await paidMultiVendorOrder(emu, CART, { onboarded: true, hold: true });
  const stripe = getStripe(env);
  const session = await stripe.checkout.sessions.retrieve(order.sessionId);
  const intent = await stripe.paymentIntents.retrieve(session.payment_intent as string);
  return { ...order, chargeId: intent.latest_charge as string };
}

/** Where each vendor's mail goes (once its onboarding events set its support address). */
async function mailsOf(stores: { storeId: string }[]): Promise<string[]> {
  return Promise.all(
    stores.map(async (s) => {
      const row = await env.DB.prepare(
        'SELECT COALESCE(support_email, email) AS mail FROM stores WHERE id = ?',
      )
        .bind(s.storeId)
        .first<{ mail: string }>();
      return row!.mail;
    }),
  );
}

/** The bank disputes the charge (and rules on it, unless `open`); its events join the held ones. */
async function dispute(chargeId: string, outcome: Outcome): Promise<string> {
  const { dispute: id } = await emu.disputeCharge(chargeId, { amount: DISPUTED });
  if (outcome !== 'open') await emu.closeDispute(id, outcome);
  return id;
}

/** Every held event, the dispute's first, then the rest in the order Stripe emitted them. */
async function disputeFirst(): Promise<string[]> {
  const pending = (await emu.deliveries()).pending;
  const first = pending.filter((d) => d.type.startsWith('charge.dispute.'));
  return [...first, ...pending.filter((d) => !first.includes(d))].map((d) => d.event_id);
}

/** Per vendor: the dispute mails it got, as [what, amount], oldest first. */
async function notices(mails: string[]): Promise<[string, string][][]> {
  return Promise.all(
    mails.map(async (to) =>
      (await caughtMail(to))
        .filter((m) => m.kind === 'vendor_dispute_notice')
        .reverse()
        .map((m): [string, string] => [
          /dispute (won|lost)/.exec(m.subject)?.[1] ?? 'opened',
          /\$\d[\d,]*\.\d{2}/.exec(m.text)?.[0] ?? '',
        ]),
    ),
  );
}

/** The notices each vendor should have, oldest first. */
const expectedNotices = (outcome: Outcome) =>
  SHARES.map((share): [string, string][] =>
    outcome === 'open'
      ? [['opened', share]]
      : [
          ['opened', share],
          [outcome, share],
        ],
  );

/** Waits for each vendor's expected number of dispute mails, then a moment more for any extra one. */
async function settledNotices(mails: string[], count: number) {
  if (count > 0) for (const to of mails) await waitForMail(to, { kind: 'vendor_dispute_notice', count });
  await new Promise((r) => setTimeout(r, 300));
  return notices(mails);
}

/** What each vendor (A, B) holds of the order in the end: transfers minus reversals. */
async function netByVendor(orderId: string, stores: { storeId: string }[]): Promise<number[]> {
  const rows = await transfersOf(orderId);
  return stores.map((s) =>
    rows.filter((t) => t.storeId === s.storeId).reduce((n, t) => n + t.amount - t.amountReversed, 0),
  );
}

/** What the vendors hold once a dispute of DISPUTED ended `outcome`: paid, less their share unless won. */
const expectedNet = (outcome: Outcome) =>
  outcome === 'won' ? PAID : PAID.map((p, i) => p - Number(SHARES[i]!.slice(1)) * 100);

describe('a dispute that arrives before the payment', () => {
  it('dispute first, then the payment: each vendor is told once with its share, as in order; the money is the same', async () => {
    const results: { notices: [string, string][][]; net: number[] }[] = [];
    for (const order of ['in_order', 'dispute_first'] as const) {
      const p = await purchase();
      await dispute(p.chargeId, 'open');
      if (order === 'in_order') await emu.drain();
      else await emu.deliver(await disputeFirst());
      await settle(emu, p.orderId);
      await check(p.orderId, 0, false);
      const net = await netByVendor(p.orderId, p.stores);
      expect(net).toEqual(expectedNet('open'));
      results.push({ net, notices: await settledNotices(await mailsOf(p.stores), 1) });
      if (order === 'dispute_first') {
        // Every event delivered so far (this purchase's among them) again: nobody is told twice, no cent moves.
        for (const d of (await emu.deliveries()).deliveries.filter(
          (x) =>
            x.type.startsWith('charge.dispute.') ||
            x.type.startsWith('checkout.') ||
            x.type.startsWith('payment_intent.'),
        ))
          await emu.resend(d.event_id);
        await settle(emu, p.orderId);
        expect(await settledNotices(await mailsOf(p.stores), 1)).toEqual(expectedNotices('open'));
        expect(await netByVendor(p.orderId, p.stores)).toEqual(results[1]!.net);
        await check(p.orderId, 0, false);
      }
    }
    const [inOrder, first] = results;
    expect(inOrder!.notices).toEqual(expectedNotices('open'));
    expect(first!.notices).toEqual(inOrder!.notices);
    expect(inOrder!.net).toEqual(expectedNet('open'));
    expect(first!.net).toEqual(inOrder!.net);
  });

  for (const outcome of ['won', 'lost'] as const) {
    it(`a dispute ${outcome} before the payment arrives: after it, each vendor is told it opened and was ${outcome}`, async () => {
      const p = await purchase();
      await dispute(p.chargeId, outcome);
      await emu.deliver(await disputeFirst());
      await settle(emu, p.orderId);
      await check(p.orderId, 0, false);
      expect(await netByVendor(p.orderId, p.stores)).toEqual(expectedNet(outcome));
      expect(await settledNotices(await mailsOf(p.stores), 2)).toEqual(expectedNotices(outcome));
    });
  }

  it('held transfers (on_shipment) of an order paid after its dispute are reduced at once, as in order', async () => {
    const p = await purchase();
    await dispute(p.chargeId, 'open');
    const disputeEvents = (await emu.deliveries()).pending.filter((d) =>
      d.type.startsWith('charge.dispute.'),
    );
    await emu.deliver(disputeEvents.map((d) => d.event_id));
    // The shopper's return to the order page confirms the payment (under on_shipment) before any event.
    const found = await getOrderWithLines(getDb(env), p.orderId);
    await confirmFromStripe({ ...env, PAYOUT_RELEASE: 'on_shipment' }, found!.order, {
      sessionId: p.sessionId,
    });
    const rows = await transfersOf(p.orderId);
    expect(p.stores.map((s) => rows.find((t) => t.storeId === s.storeId)!)).toMatchObject([
      { amount: 1800, status: 'held' },
      { amount: 450, status: 'held' },
    ]);
    await emu.drain();
    expect(await settledNotices(await mailsOf(p.stores), 1)).toEqual(expectedNotices('open'));
  });

  it('an inquiry (warning_needs_response) before the payment tells no vendor and takes nothing', async () => {
    const p = await purchase();
    const { events } = await emu.trigger({
      type: 'charge.dispute.created',
      object: disputeObject({
        id: `du_inquiry_${p.orderId.slice(-8)}`,
        charge: p.chargeId,
        amount: DISPUTED,
        status: 'warning_needs_response',
      }),
    });
    const [inquiry] = await emu.deliver(events.map((e) => e.id));
    expect(inquiry).toMatchObject({ status: 200, ok: true });
    await emu.drain();
    await settle(emu, p.orderId);
    const row = await env.DB.prepare('SELECT status FROM disputes WHERE order_id = ?')
      .bind(p.orderId)
      .first<{ status: string }>();
    expect(row!.status).toBe('warning_needs_response');
    expect(await settledNotices(await mailsOf(p.stores), 0)).toEqual([[], []]);
    expect(await netByVendor(p.orderId, p.stores)).toEqual(PAID);
  });

  it('any delivery order of the dispute and payment events, with redeliveries, gives the same notices and cents', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Outcome>('open', 'won', 'lost'),
        fc.array(fc.nat(99), { minLength: 24, maxLength: 24 }),
        fc.array(fc.nat(3), { minLength: 24, maxLength: 24 }),
        async (outcome, keys, copies) => {
          const p = await purchase();
          await dispute(p.chargeId, outcome);
          const ids = (await emu.deliveries()).pending.map((d) => d.event_id);
          // A random order; about one event in four delivered twice.
          const order = ids
            .map((id, i) => ({ id, key: keys[i % keys.length]! }))
            .sort((x, y) => x.key - y.key)
            .flatMap(({ id }, i) => (copies[i % copies.length] === 0 ? [id, id] : [id]));
          await emu.deliver(order);
          await emu.drain();
          await settle(emu, p.orderId);
          await check(p.orderId, 0, false);
          expect(await netByVendor(p.orderId, p.stores)).toEqual(expectedNet(outcome));
          const told = await settledNotices(await mailsOf(p.stores), outcome === 'open' ? 1 : 2);
          expect(told).toEqual(expectedNotices(outcome));
        },
      ),
      { numRuns: 8 },
    );
  }, 120_000);
});
