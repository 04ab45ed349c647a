// Disputes in the emulator: the dispute test card, the object's shape against Stripe's published example,
// evidence that wins or loses (test mode's magic values), accepting, balances and errors.
import { describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
// Stripe's published example objects, found beside the repository (vitest.config.ts, `stripe-fixtures`).
import fixturesText from 'stripe-fixtures?raw';
import { emu, paidSession, stripe } from './helpers';

const fixture = (JSON.parse(fixturesText) as { resources: Record<string, Record<string, unknown>> }).resources
  .dispute!;

/** The kind of a JSON value, for comparing shapes (null matches anything: nullable fields). */
const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Pays a session with the dispute card and waits for the dispute it opens. */
async function disputedPayment(amount = 4200) {
  const created = await stripe.checkout.sessions.create({
    mode: 'payment',
    success_url: 'http://localhost/orders/ord_d?session_id={CHECKOUT_SESSION_ID}',
    cancel_url: 'http://localhost/cart',
    line_items: [
      { quantity: 1, price_data: { currency: 'usd', unit_amount: amount, product_data: { name: 'Mug' } } },
    ],
  });
  await emu.pay(created.id, { card: '4000 0000 0000 0259' });
  const session = await stripe.checkout.sessions.retrieve(created.id, {
    expand: ['payment_intent.latest_charge'],
  });
  const charge = (session.payment_intent as Stripe.PaymentIntent).latest_charge as Stripe.Charge;
  const [dispute] = (await stripe.disputes.list({ charge: charge.id })).data;
  return { session, charge, dispute: dispute! };
}

async function balance(): Promise<number> {
  return (await stripe.balance.retrieve()).available.find((b) => b.currency === 'usd')?.amount ?? 0;
}

describe('disputes', () => {
  it('the dispute card pays, then opens a fraudulent dispute for the whole charge, after checkout completes', async () => {
    const before = await balance();
    const { session, charge, dispute } = await disputedPayment(4200);
    expect(session.payment_status).toBe('paid');
    expect(charge.disputed).toBe(true);
    expect(dispute).toMatchObject({
      object: 'dispute',
      amount: 4200,
      charge: charge.id,
      currency: 'usd',
      reason: 'fraudulent',
      status: 'needs_response',
      payment_intent: charge.payment_intent,
      livemode: false,
    });
    expect(dispute.id).toMatch(/^du_/);
    // Withdrawn: the amount plus the $15 dispute fee, as one balance transaction on the dispute.
    expect(dispute.balance_transactions).toHaveLength(1);
    expect(dispute.balance_transactions[0]).toMatchObject({
      amount: -4200,
      fee: 1500,
      net: -5700,
      reporting_category: 'dispute',
      source: dispute.id,
    });
    const chargeNet = 4200 - (Math.round(4200 * 0.029) + 30);
    expect(await balance()).toBe(before + chargeNet - 5700);

    const events = (await stripe.events.list({ limit: 20 })).data
      .filter((e) => {
        const o = e.data.object as { id?: string; charge?: string };
        return o.id === session.id || o.charge === charge.id || o.id === dispute.id;
      })
      .map((e) => e.type)
      .reverse();
    expect(events).toEqual([
      'checkout.session.completed',
      'charge.dispute.created',
      'charge.dispute.funds_withdrawn',
    ]);
  });

  it("has Stripe's shape: every field of the published example, with the same types", async () => {
    const { dispute } = await disputedPayment();
    const ours = dispute as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(fixture)) {
      expect(ours, key).toHaveProperty(key);
      if (value !== null && ours[key] !== null) expect(kind(ours[key]), key).toBe(kind(value));
    }
    for (const group of ['evidence', 'evidence_details'] as const) {
      const example = fixture[group] as Record<string, unknown>;
      for (const key of Object.keys(example)) expect(ours[group], `${group}.${key}`).toHaveProperty(key);
    }
    // Fields the pinned API version adds beyond the example.
    expect(ours).toHaveProperty('intended_submission_method');
    expect(dispute.evidence_details).toHaveProperty('submission_method');
    expect(dispute.status).toBe('needs_response');
  });

  it('winning evidence puts it under review, then closes it won and reinstates the amount (not the fee)', async () => {
    const { dispute } = await disputedPayment(3000);
    const before = await balance();
    const updated = await stripe.disputes.update(dispute.id, {
      evidence: { uncategorized_text: 'winning_evidence', product_description: 'A mug' },
      metadata: { order: 'ord_d' },
    });
    expect(updated).toMatchObject({
      status: 'under_review',
      metadata: { order: 'ord_d' },
      evidence: { uncategorized_text: 'winning_evidence', product_description: 'A mug' },
      evidence_details: { has_evidence: true, submission_count: 1 },
    });
    const won = await stripe.disputes.retrieve(dispute.id);
    expect(won.status).toBe('won');
    expect(won.balance_transactions.map((t) => [t.amount, t.fee, t.reporting_category])).toEqual([
      [-3000, 1500, 'dispute'],
      [3000, 0, 'dispute_reversal'],
    ]);
    expect(await balance()).toBe(before + 3000);
    const types = (await stripe.events.list({ limit: 10 })).data
      .filter((e) => (e.data.object as { id?: string }).id === dispute.id)
      .map((e) => e.type)
      .reverse();
    expect(types.slice(-3)).toEqual([
      'charge.dispute.updated',
      'charge.dispute.closed',
      'charge.dispute.funds_reinstated',
    ]);
    await expect(stripe.disputes.close(dispute.id)).rejects.toMatchObject({ statusCode: 400 });
  });

  it('losing evidence closes it lost; nothing comes back', async () => {
    const { dispute } = await disputedPayment(2000);
    const before = await balance();
    await stripe.disputes.update(dispute.id, { evidence: { uncategorized_text: 'losing_evidence' } });
    const lost = await stripe.disputes.retrieve(dispute.id);
    expect(lost.status).toBe('lost');
    expect(lost.balance_transactions).toHaveLength(1);
    expect(await balance()).toBe(before);
  });

  it('staged evidence (submit=false) changes no status; close accepts the dispute as lost', async () => {
    const { dispute } = await disputedPayment(2500);
    const staged = await stripe.disputes.update(dispute.id, {
      evidence: { customer_name: 'Ada' },
      submit: false,
    });
    expect(staged).toMatchObject({
      status: 'needs_response',
      evidence_details: { has_evidence: true, submission_count: 0 },
    });
    const closed = await stripe.disputes.close(dispute.id);
    expect(closed.status).toBe('lost');
    await expect(
      stripe.disputes.update(dispute.id, { evidence: { uncategorized_text: 'winning_evidence' } }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'dispute_already_closed' });
  });

  it('the control opens a dispute on any paid charge and closes it won or lost; errors are Stripe-shaped', async () => {
    const { charge } = await paidSession({}, 5000);
    const opened = await emu.disputeCharge(charge.id, { amount: 1200 });
    expect(opened).toMatchObject({ status: 'needs_response', amount: 1200 });
    expect((await stripe.charges.retrieve(charge.id)).disputed).toBe(true);
    const again = await emu.call('POST', `/_emulator/charges/${charge.id}/dispute`, {});
    expect(again.status).toBe(400);
    expect((await emu.closeDispute(opened.dispute, 'won')).status).toBe('won');
    expect(
      (await emu.call('POST', `/_emulator/disputes/${opened.dispute}/close`, { outcome: 'lost' })).status,
    ).toBe(400);
    expect((await emu.call('POST', '/_emulator/disputes/du_missing/close', { outcome: 'won' })).status).toBe(
      404,
    );
    await expect(stripe.disputes.retrieve('du_missing')).rejects.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
    await expect(
      stripe.disputes.update(opened.dispute, {
        evidence: { nonsense: 'x' } as Stripe.DisputeUpdateParams.Evidence,
      }),
    ).rejects.toMatchObject({ statusCode: 400 });
  });

  it('an idempotency key replays the same close', async () => {
    const { dispute } = await disputedPayment(1500);
    const a = await stripe.disputes.close(dispute.id, {}, { idempotencyKey: `close-${dispute.id}` });
    const b = await stripe.disputes.close(dispute.id, {}, { idempotencyKey: `close-${dispute.id}` });
    expect(a.status).toBe('lost');
    expect(b).toEqual(a);
  });

  it('pm_card_createDispute disputes a PaymentIntent confirmed server-side', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 1800,
      currency: 'usd',
      payment_method: 'pm_card_createDispute',
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    expect(pi.status).toBe('succeeded');
    const list = await stripe.disputes.list({ payment_intent: pi.id });
    expect(list.data).toHaveLength(1);
    expect(list.data[0]).toMatchObject({ amount: 1800, status: 'needs_response' });
  });
});
