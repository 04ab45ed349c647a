// The order state machine: only forward, paid once, canceled only while pending, stock released once.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../src/db/client';
import { ORDER_STATUSES } from '../../src/db/schema';
import { canTransition, cancelOrder, confirmPayment, statusAfterRefunds } from '../../src/orders/state';
import { orderRow, seedCatalog, seedOrder, stockOf } from '../helpers/checkout-fixtures';

describe('canTransition', () => {
  it('allows only forward moves', () => {
    const allowed = ORDER_STATUSES.flatMap((from) =>
      ORDER_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`),
    );
    expect(allowed.sort()).toEqual(
      [
        'paid→partially_refunded',
        'paid→refunded',
        'partially_refunded→refunded',
        'pending→canceled',
        'pending→paid',
        'pending→partially_refunded',
        'pending→refunded',
      ].sort(),
    );
  });

  it('derives the refund status from amounts, never going back', () => {
    expect(statusAfterRefunds('paid', 4700, 0)).toBe('paid');
    expect(statusAfterRefunds('paid', 4700, 1000)).toBe('partially_refunded');
    expect(statusAfterRefunds('partially_refunded', 4700, 4700)).toBe('refunded');
    expect(statusAfterRefunds('refunded', 4700, 1000)).toBe('refunded');
    expect(statusAfterRefunds('pending', 4700, 4700)).toBe('pending');
    expect(statusAfterRefunds('canceled', 4700, 4700)).toBe('canceled');
  });
});

describe('confirmPayment', () => {
  it('pays a pending order once, even when confirmed concurrently', async () => {
    const { orderId, total } = await seedOrder();
    const payment = { orderId, amountReceived: total, currency: 'usd', paymentIntentId: 'pi_state_once' };
    const outcomes = await Promise.all([confirmPayment(env, payment), confirmPayment(env, payment)]);
    expect(outcomes.sort()).toEqual(['already_paid', 'paid']);
    expect(await orderRow(orderId)).toMatchObject({ status: 'paid', amount_received: total });
    const transfers = await env.DB.prepare('SELECT count(*) AS n FROM transfers WHERE order_id = ?')
      .bind(orderId)
      .first<{ n: number }>();
    expect(transfers?.n).toBe(1);
  });

  it('flags an amount that differs from the order total instead of fulfilling', async () => {
    const { orderId, total } = await seedOrder();
    const outcome = await confirmPayment(env, { orderId, amountReceived: total - 1, currency: 'usd' });
    expect(outcome).toBe('flagged');
    expect(await orderRow(orderId)).toMatchObject({
      status: 'pending',
      payment_status: 'review',
      flag: 'amount_mismatch',
      amount_received: total - 1,
    });
    const transfers = await env.DB.prepare('SELECT count(*) AS n FROM transfers WHERE order_id = ?')
      .bind(orderId)
      .first<{ n: number }>();
    expect(transfers?.n).toBe(0);
  });

  it('never revives a canceled order: a late payment flags it', async () => {
    const { orderId, total } = await seedOrder({ status: 'canceled' });
    expect(await confirmPayment(env, { orderId, amountReceived: total, currency: 'usd' })).toBe('flagged');
    expect(await orderRow(orderId)).toMatchObject({ status: 'canceled', flag: 'paid_after_cancel' });
  });
});

describe('cancelOrder', () => {
  it('cancels a pending order and releases its stock exactly once', async () => {
    const { products } = await seedCatalog([{ unitAmount: 1000, stock: 10 }]);
    const product = products[0]!;
    const { orderId } = await seedOrder({
      lines: [{ productId: product.id, unitAmount: 1000, qty: 3 }],
      reserve: { [product.id]: 3 },
    });
    expect(await stockOf(product.id)).toBe(7);
    const db = getDb(env);
    const results = await Promise.all([cancelOrder(db, orderId), cancelOrder(db, orderId)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await cancelOrder(db, orderId)).toBe(false);
    expect(await stockOf(product.id)).toBe(10);
    expect((await orderRow(orderId))?.status).toBe('canceled');
  });

  it('never cancels a paid order', async () => {
    const { orderId } = await seedOrder({ status: 'paid' });
    expect(await cancelOrder(getDb(env), orderId)).toBe(false);
    expect((await orderRow(orderId))?.status).toBe('paid');
  });
});
