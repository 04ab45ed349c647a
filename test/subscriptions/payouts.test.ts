// A renewal pays its vendor through the real payouts consumer: the transfer's source_transaction is the
// renewal invoice's charge (invoice.payments → PaymentIntent → latest_charge); refunding the period's order
// reverses the vendor's share like a one-off order.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids';
import { getStripe } from '../../src/stripe/client';
import { adminApi } from '../helpers/admin-fixtures';
import { shopper } from '../helpers/checkout-flow';
import { heldEmulator } from '../helpers/emulator';
import {
  envWithQueue,
  messagesFor,
  onboardedAccount,
  reversalsOf,
  runBatch,
  storeFor,
  stripeTransfers,
  transfersOf,
} from '../helpers/payout-fixtures';

const emu = heldEmulator();
const stripe = getStripe(env);

describe('renewal payouts', () => {
  it('transfers from the renewal charge, and a refund of the period reverses the vendor share', async () => {
    const store = await storeFor(await onboardedAccount(emu, 'Renewal Roasters'), 'Renewal Roasters');
    const productId = newId('prod');
    await env.DB.prepare(
      `INSERT INTO products (id, store_id, slug, name, unit_amount, currency, recurring_interval, active)
       VALUES (?, ?, ?, 'Beans monthly', 2500, 'usd', 'month', 1)`,
    )
      .bind(productId, store.id, productId.replace('_', '-'))
      .run();
    const email = `payout-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const buyer = await shopper();
    await buyer.add({
      id: productId,
      name: 'Beans monthly',
      unitAmount: 2500,
      stock: null,
      storeId: store.id,
      storeName: store.name,
    });
    const started = await (await buyer.checkout({ email })).json<{ sessionId: string }>();
    const { subscription } = await emu.pay(started.sessionId, { email });
    await emu.drain();

    const end = (await stripe.subscriptions.retrieve(subscription!)).items.data[0]!.current_period_end;
    const { now } = await emu.advanceClock(0);
    await emu.advanceClock(end - now + 60);
    await emu.drain();

    const period = await env.DB.prepare(
      `SELECT id, order_id FROM subscription_invoices WHERE subscription_id = ? AND billing_reason = 'subscription_cycle'`,
    )
      .bind(subscription)
      .first<{ id: string; order_id: string }>();
    const orderId = period!.order_id;
    const rows = await transfersOf(orderId);
    expect(rows.map((r) => [r.storeId, r.amount, r.fee])).toEqual([[store.id, 2250, 250]]);

    const q = envWithQueue();
    const result = await runBatch(q.env, messagesFor('transfer', rows));
    expect(result.explicitAcks).toHaveLength(1);
    const [sent] = await stripeTransfers(orderId);
    const invoice = await stripe.invoices.retrieve(period!.id, { expand: ['payments'] });
    const pi = await stripe.paymentIntents.retrieve(
      invoice.payments!.data[0]!.payment.payment_intent as string,
    );
    expect(sent).toMatchObject({
      amount: 2250,
      destination: store.accountId,
      source_transaction: pi.latest_charge,
    });

    // A full refund of the period's order, as an operator does it.
    const refund = await adminApi(`/admin/api/orders/${orderId}/refunds`, {
      body: { amount: 2500, request_id: `rq_${crypto.randomUUID().slice(0, 8)}` },
    });
    expect(refund.status).toBe(201);
    await emu.drain();
    const order = await buyer.fetch(`/orders/${orderId}`);
    expect(order.status).toBe(404); // not this cart's order: the renewal was placed by the schedule
    const row = await env.DB.prepare('SELECT status, amount_refunded FROM orders WHERE id = ?')
      .bind(orderId)
      .first<{ status: string; amount_refunded: number }>();
    expect(row).toMatchObject({ status: 'refunded', amount_refunded: 2500 });
    const reversals = await reversalsOf(rows[0]!.id);
    expect(reversals.map((r) => r.amount)).toEqual([2250]);
  });
});
