// The money invariant of an order, checked against D1 and the emulator after every step of a property
// test (test/fulfilment/money-invariant.test.ts, test/disputes/money.test.ts), and the settling of its
// payout rows between steps.
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import type { EmulatorControl } from '../../emulator/control-client';
import { vendorsShareOfRefunds } from '../../src/lib/money';
import { getStripe } from '../../src/stripe/client';
import { admin, type PartJson } from './fulfilment';
import { messagesFor, runBatch, stripeTransfers, transfersOf } from './payout-fixtures';

/** Sends every payout row that is due through the consumer (as a redelivery would), then the events. */
export async function settle(emu: EmulatorControl, orderId: string) {
  const rows = await transfersOf(orderId);
  await runBatch(
    env,
    messagesFor(
      'transfer',
      rows.filter((t) => t.status === 'pending' || t.status === 'sending'),
    ),
  );
  const reversals = await env.DB.prepare(
    `SELECT r.id FROM transfer_reversals r JOIN transfers t ON t.id = r.transfer_id WHERE t.order_id = ? AND r.status = 'pending'`,
  )
    .bind(orderId)
    .all<{ id: string }>();
  await runBatch(env, messagesFor('reversal', reversals.results));
  await emu.drain();
}

/**
 * Opens a dispute on the order's charge for up to `amount` of what is left unrefunded, as the cardholder's bank
 * would; null when nothing is left to dispute.
 */
export async function openDispute(emu: EmulatorControl, orderId: string, amount: number) {
  const o = (await env.DB.prepare(
    'SELECT charge_id, amount_received, amount_refunded FROM orders WHERE id = ?',
  )
    .bind(orderId)
    .first<{ charge_id: string; amount_received: number; amount_refunded: number }>())!;
  const left = o.amount_received - o.amount_refunded;
  if (left <= 0) return null;
  return (await emu.disputeCharge(o.charge_id, { amount: Math.min(amount, left) })).dispute;
}

/**
 * After a step: every figure an integer; Stripe refunded what D1 says; each transfer at Stripe matches
 * its row; no vendor gives back more than it was paid; a cancelled part's vendor keeps nothing;
 * collected − refunded − dispute losses = platform's part + Σ vendors' net, the platform's part never
 * negative and, without part refunds (`partRefunds` false), exactly the documented rule; and the
 * emulator's platform balance moved by exactly what D1 records.
 */
export async function check(orderId: string, seenRefundActions: number, partRefunds: boolean) {
  const order = (await env.DB.prepare('SELECT * FROM orders WHERE id = ?')
    .bind(orderId)
    .first<{ amount_received: number; amount_refunded: number; charge_id: string }>())!;
  const collected = order.amount_received;
  const refunds = (await getStripe(env).refunds.list({ charge: order.charge_id, limit: 100 })).data;
  const refundedAtStripe = refunds.reduce((s, r) => s + r.amount, 0);
  expect(order.amount_refunded).toBe(refundedAtStripe);
  expect(refundedAtStripe).toBeLessThanOrEqual(collected);
  expect(refunds.length).toBeLessThanOrEqual(seenRefundActions);

  const rows = await transfersOf(orderId);
  const atStripe = new Map((await stripeTransfers(orderId)).map((t) => [t.id, t]));
  const parts = (await (await admin(`/admin/api/orders/${orderId}`)).json<{ parts: PartJson[] }>()).parts;
  let vendorsNet = 0;
  for (const t of rows) {
    for (const n of [t.amount, t.initialAmount, t.amountReversed, t.fee])
      expect(Number.isInteger(n)).toBe(true);
    const pending = await env.DB.prepare(
      "SELECT COALESCE(SUM(amount), 0) AS n FROM transfer_reversals WHERE transfer_id = ? AND status IN ('pending', 'failed')",
    )
      .bind(t.id)
      .first<{ n: number }>();
    const net = t.amount - t.amountReversed - pending!.n;
    expect(net).toBeGreaterThanOrEqual(0);
    expect(net).toBeLessThanOrEqual(t.initialAmount);
    if (t.stripeTransferId) {
      const s = atStripe.get(t.stripeTransferId)!;
      expect(s.amount).toBe(t.amount);
      expect(s.amount_reversed).toBe(t.amountReversed);
    }
    const part = parts.find((p) => p.storeId === t.storeId)!;
    if (part.status === 'cancelled' && part.lines.every((l) => l.shipped === 0)) expect(net).toBe(0);
    vendorsNet += net;
  }
  // Stripe holds for the vendors exactly what D1 says it sent and did not take back.
  const stripeNet = [...atStripe.values()].reduce((s, t) => s + t.amount - t.amount_reversed, 0);
  const sentNet = rows.filter((t) => t.stripeTransferId).reduce((s, t) => s + t.amount - t.amountReversed, 0);
  expect(stripeNet).toBe(sentNet);
  // Disputes: D1 follows Stripe's state; funds withdrawn and not reinstated are the dispute losses.
  const disputes = (
    await env.DB.prepare('SELECT id, status, amount FROM disputes WHERE order_id = ?')
      .bind(orderId)
      .all<{ id: string; status: string; amount: number }>()
  ).results;
  const atStripeDisputes = (await getStripe(env).disputes.list({ charge: order.charge_id, limit: 10 })).data;
  expect(disputes.map((d) => [d.id, d.status])).toEqual(atStripeDisputes.map((d) => [d.id, d.status]));
  const losses = disputes.filter((d) => d.status !== 'won').reduce((s, d) => s + d.amount, 0);
  const platform = collected - refundedAtStripe - losses - vendorsNet;
  expect(Number.isInteger(platform)).toBe(true);
  expect(platform).toBeGreaterThanOrEqual(0);
  const sale = rows.filter((t) => t.purpose === 'sale');
  const vendorsTotal = sale.reduce((s, t) => s + t.initialAmount, 0);
  if (!partRefunds) {
    // The documented rule: every refund and dispute loss is shared by vendors and platform in
    // proportion to what each got of the collected amount.
    const taken = vendorsShareOfRefunds(
      collected,
      vendorsTotal,
      Math.min(collected, refundedAtStripe + losses),
    );
    expect(vendorsNet).toBe(vendorsTotal - taken);
    expect(platform).toBe(collected - vendorsTotal - (refundedAtStripe + losses - taken));
  }

  // The emulator's platform balance moved by what D1 records: the charge's net, minus refunds, minus
  // the disputes' withdrawals (amount + Stripe's dispute fee, borne by the platform) plus reinstatements,
  // minus what was transferred, plus what was reversed.
  const stripe = getStripe(env);
  const net = async (id: string | null) => (id ? (await stripe.balanceTransactions.retrieve(id)).net : 0);
  const charge = await stripe.charges.retrieve(order.charge_id);
  let balance = await net(charge.balance_transaction as string);
  for (const r of refunds) balance += await net(r.balance_transaction as string);
  for (const d of atStripeDisputes) for (const t of d.balance_transactions) balance += t.net;
  for (const t of atStripe.values()) {
    balance += await net(t.balance_transaction as string);
    for (const rev of (await stripe.transfers.listReversals(t.id, { limit: 100 })).data)
      balance += await net(rev.balance_transaction as string);
  }
  const fees = atStripeDisputes.reduce(
    (s, d) => s + d.balance_transactions.reduce((f, t) => f + t.fee, 0),
    0,
  );
  const chargeNet = await net(charge.balance_transaction as string);
  expect(balance).toBe(chargeNet - refundedAtStripe - losses - fees - sentNet);
}
