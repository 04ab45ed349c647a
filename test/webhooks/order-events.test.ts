// Order events through POST /webhooks/stripe: idempotent, safe when duplicated or out of order.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids';
import { orderRow, seedCatalog, seedOrder, stockOf } from '../helpers/checkout-fixtures';
import { countRows } from '../helpers/checkout-flow';
import { deliver, storedEvent, stripeEvent, stripeId } from '../helpers/webhook-events';

/** A Checkout Session as Stripe sends it in checkout.session.* events. */
function sessionObject(
  orderId: string,
  sessionId: string,
  total: number,
  extra: Record<string, unknown> = {},
) {
  return {
    id: sessionId,
    object: 'checkout.session',
    status: 'complete',
    payment_status: 'paid',
    amount_total: total,
    amount_subtotal: total - 500,
    currency: 'usd',
    client_reference_id: orderId,
    metadata: { order_id: orderId },
    payment_intent: stripeId('pi'),
    customer: null,
    customer_details: { email: 'buyer@example.com' },
    collected_information: { shipping_details: { name: 'Ada', address: { country: 'US', city: 'Salem' } } },
    total_details: { amount_tax: 0, amount_shipping: 500, amount_discount: 0 },
    ...extra,
  };
}

/** A charge of an order (transfer_group names the order, as checkout sets it). */
function chargeObject(orderId: string, amount: number, extra: Record<string, unknown> = {}) {
  return {
    id: stripeId('ch'),
    object: 'charge',
    amount,
    amount_refunded: 0,
    currency: 'usd',
    paid: true,
    status: 'succeeded',
    transfer_group: orderId,
    payment_intent: null,
    metadata: {},
    receipt_url: `https://pay.stripe.com/receipts/${orderId}`,
    ...extra,
  };
}

function refundList(chargeId: string, refunds: { id: string; amount: number }[]) {
  return {
    object: 'list',
    has_more: false,
    data: refunds.map((r) => ({
      id: r.id,
      object: 'refund',
      amount: r.amount,
      currency: 'usd',
      status: 'succeeded',
      reason: null,
      charge: chargeId,
    })),
  };
}

async function cartLines(cartId: string) {
  return (await env.CART.getByName(cartId).getState()).lines;
}

describe('checkout.session.completed', () => {
  it('pays the order once when delivered twice, concurrently', async () => {
    const { orderId, total, cartId } = await seedOrder({ session: { id: stripeId('cs') } });
    const sessionId = (await env.DB.prepare('SELECT checkout_session_id AS s FROM orders WHERE id = ?')
      .bind(orderId)
      .first<{ s: string }>())!.s;
    const event = stripeEvent('checkout.session.completed', sessionObject(orderId, sessionId, total));
    const responses = await Promise.all([deliver(event), deliver(event), deliver(event)]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await orderRow(orderId)).toMatchObject({ status: 'paid', amount_received: total });
    expect(await countRows('transfers', orderId)).toBe(1);
    expect(await cartLines(cartId)).toEqual([]);
  });

  it('records an unpaid (async) session as processing, then pays on async_payment_succeeded', async () => {
    const sessionId = stripeId('cs');
    const { orderId, total } = await seedOrder({ session: { id: sessionId } });
    const unpaid = sessionObject(orderId, sessionId, total, { payment_status: 'unpaid' });
    expect((await deliver(stripeEvent('checkout.session.completed', unpaid))).status).toBe(200);
    expect(await orderRow(orderId)).toMatchObject({ status: 'pending', payment_status: 'processing' });
    const paid = sessionObject(orderId, sessionId, total);
    expect((await deliver(stripeEvent('checkout.session.async_payment_succeeded', paid))).status).toBe(200);
    expect((await orderRow(orderId))?.status).toBe('paid');
  });

  it('cancels the order and releases stock on async_payment_failed', async () => {
    const { products } = await seedCatalog([{ unitAmount: 1000, stock: 4 }]);
    const product = products[0]!;
    const sessionId = stripeId('cs');
    const { orderId, total } = await seedOrder({
      session: { id: sessionId },
      lines: [{ productId: product.id, unitAmount: 1000, qty: 2 }],
      reserve: { [product.id]: 2 },
    });
    await deliver(
      stripeEvent(
        'checkout.session.completed',
        sessionObject(orderId, sessionId, total, { payment_status: 'unpaid' }),
      ),
    );
    await deliver(
      stripeEvent(
        'checkout.session.async_payment_failed',
        sessionObject(orderId, sessionId, total, { payment_status: 'unpaid' }),
      ),
    );
    expect(await orderRow(orderId)).toMatchObject({ status: 'canceled', payment_status: 'failed' });
    expect(await stockOf(product.id)).toBe(4);
  });
});

describe('events out of order', () => {
  it('applies a refund that arrives before checkout.session.completed', async () => {
    const sessionId = stripeId('cs');
    const { orderId, total } = await seedOrder({ session: { id: sessionId } });
    const chargeId = stripeId('ch');
    const charge = chargeObject(orderId, total, {
      id: chargeId,
      amount_refunded: total,
      refunded: true,
      refunds: refundList(chargeId, [{ id: stripeId('re'), amount: total }]),
    });
    expect((await deliver(stripeEvent('charge.refunded', charge))).status).toBe(200);
    expect(await orderRow(orderId)).toMatchObject({ status: 'pending', amount_refunded: total });

    expect(
      (await deliver(stripeEvent('checkout.session.completed', sessionObject(orderId, sessionId, total))))
        .status,
    ).toBe(200);
    expect(await orderRow(orderId)).toMatchObject({
      status: 'refunded',
      amount_received: total,
      amount_refunded: total,
    });
    expect(await countRows('refunds', orderId)).toBe(1);
  });

  it('keeps an expired order canceled when completed arrives after it, and flags it', async () => {
    const { products } = await seedCatalog([{ unitAmount: 1000, stock: 3 }]);
    const product = products[0]!;
    const sessionId = stripeId('cs');
    const { orderId, total, cartId } = await seedOrder({
      session: { id: sessionId },
      lines: [{ productId: product.id, unitAmount: 1000, qty: 1 }],
      reserve: { [product.id]: 1 },
    });
    await env.CART.getByName(cartId).addItem(product.id, 1, '', 1000);
    const expired = stripeEvent(
      'checkout.session.expired',
      sessionObject(orderId, sessionId, total, { status: 'expired', payment_status: 'unpaid' }),
    );
    expect((await deliver(expired)).status).toBe(200);
    expect((await orderRow(orderId))?.status).toBe('canceled');
    expect(await stockOf(product.id)).toBe(3);

    expect(
      (await deliver(stripeEvent('checkout.session.completed', sessionObject(orderId, sessionId, total))))
        .status,
    ).toBe(200);
    expect(await orderRow(orderId)).toMatchObject({ status: 'canceled', flag: 'paid_after_cancel' });
    expect(await countRows('transfers', orderId)).toBe(0);
    expect(await stockOf(product.id)).toBe(3);
    expect(await cartLines(cartId)).toHaveLength(1);
  });

  it('moves paid → partially_refunded → refunded and never back', async () => {
    const { orderId, total } = await seedOrder({ status: 'paid' });
    const charge = chargeObject(orderId, total);
    const first = { id: stripeId('re'), amount: 1000 };
    const second = { id: stripeId('re'), amount: total - 1000 };
    const partial = { ...charge, amount_refunded: 1000, refunds: refundList(charge.id, [first]) };
    const full = {
      ...charge,
      amount_refunded: total,
      refunds: refundList(charge.id, [second, first]),
    };
    await deliver(stripeEvent('charge.refunded', partial));
    expect(await orderRow(orderId)).toMatchObject({ status: 'partially_refunded', amount_refunded: 1000 });
    await deliver(stripeEvent('charge.refunded', full));
    expect(await orderRow(orderId)).toMatchObject({ status: 'refunded', amount_refunded: total });
    // The older event delivered late changes nothing.
    await deliver(stripeEvent('charge.refunded', partial));
    expect(await orderRow(orderId)).toMatchObject({ status: 'refunded', amount_refunded: total });
    expect(await countRows('refunds', orderId)).toBe(2);
    const applied = await env.DB.prepare(
      'SELECT count(*) AS n FROM refunds WHERE order_id = ? AND payouts_applied_at IS NOT NULL',
    )
      .bind(orderId)
      .first<{ n: number }>();
    expect(applied?.n).toBe(2);
  });
});

describe('charges and disputes', () => {
  it('records the charge and its receipt on charge.succeeded', async () => {
    const { orderId, total } = await seedOrder();
    const charge = chargeObject(orderId, total);
    await deliver(stripeEvent('charge.succeeded', charge));
    expect(await orderRow(orderId)).toMatchObject({ charge_id: charge.id, receipt_url: charge.receipt_url });
  });

  it('marks a failed charge without canceling the order (the shopper may retry)', async () => {
    const { orderId, total } = await seedOrder();
    await deliver(
      stripeEvent('charge.failed', chargeObject(orderId, total, { status: 'failed', paid: false })),
    );
    expect(await orderRow(orderId)).toMatchObject({ status: 'pending', payment_status: 'failed' });
  });

  it('flags a disputed order for an operator', async () => {
    const chargeId = stripeId('ch');
    const { orderId } = await seedOrder({ status: 'paid', chargeId });
    const dispute = {
      id: stripeId('dp'),
      object: 'dispute',
      charge: chargeId,
      payment_intent: null,
      amount: 100,
    };
    await deliver(stripeEvent('charge.dispute.created', dispute));
    await deliver(stripeEvent('charge.dispute.created', dispute));
    expect(await orderRow(orderId)).toMatchObject({ status: 'paid', flag: 'disputed' });
  });

  it("ignores a connected account's own charge", async () => {
    const { orderId, total } = await seedOrder();
    const event = stripeEvent('charge.succeeded', chargeObject(orderId, total), {
      account: stripeId('acct'),
    });
    expect((await deliver(event, { secret: 'whsec_test_connect' })).status).toBe(200);
    expect((await storedEvent(env.DB, event.id as string))?.status).toBe('ignored');
    expect((await orderRow(orderId))?.charge_id).toBeNull();
  });

  it('ignores events for orders that are not ours', async () => {
    const event = stripeEvent(
      'checkout.session.completed',
      sessionObject(newId('ord'), stripeId('cs'), 1000),
    );
    expect((await deliver(event)).status).toBe(200);
    expect((await storedEvent(env.DB, event.id as string))?.status).toBe('ignored');
  });
});
