// The NOTIFY consumer: renders each queued row (order mail from the order as it is now), sends it
// through the configured transport, retries transient failures with growing delays, records the rest.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '../../src/db/client';
import { newId } from '../../src/lib/ids';
import {
  queueContactMessage,
  queueOrderReceipt,
  queuePaymentFailed,
  queueRefundIssued,
  queueShipmentNotice,
  queueSubscriptionWelcome,
  queueVendorNewOrders,
  queueVendorSignIn,
} from '../../src/notifications/senders';
import { seedOrder } from '../helpers/checkout-fixtures';
import { caughtMail, linkIn } from '../helpers/mail';
import { commit, envWithNotify, rowByKey, runNotifyBatch } from '../helpers/notify-fixtures';
import { storeFor } from '../helpers/payout-fixtures';

const db = () => getDb(env);
const EVIL = '<script>alert(1)</script>';
const RESEND = { MAIL_TRANSPORT: 'resend', RESEND_API_KEY: 're_test_key' };

afterEach(() => vi.restoreAllMocks());

/** A paid order of two vendors with a shopper e-mail and a shipping address. */
async function paidOrder() {
  const a = await storeFor(null, 'Tern & Co');
  const b = await storeFor(null, 'Brine');
  const email = `${newId('shopper')}@example.com`;
  const order = await seedOrder({
    status: 'paid',
    lines: [
      { storeId: a.id, storeName: a.name, name: EVIL, unitAmount: 1250, qty: 2 },
      { storeId: b.id, storeName: b.name, name: 'Sea salt', unitAmount: 400, qty: 1 },
    ],
  });
  await env.DB.prepare('UPDATE orders SET email = ?, shipping = ? WHERE id = ?')
    .bind(
      email,
      JSON.stringify({
        name: 'Ada Lovelace',
        address: { line1: '1 Quay St', city: 'Oslo', postal_code: '0150', country: 'NO' },
      }),
      order.orderId,
    )
    .run();
  return { ...order, email, a, b };
}

/** Sends the row with this key through the consumer (catcher unless overridden); the queue result. */
async function send(
  key: string,
  opts: { attempts?: number; env?: Record<string, unknown>; queue?: string } = {},
) {
  const row = await rowByKey(key);
  const { env: e } = envWithNotify(opts.env);
  return runNotifyBatch(e, [{ id: row.id, attempts: opts.attempts }], opts.queue);
}

function mockFetch(respond: (req: Request) => Response | Promise<Response>) {
  const calls: Request[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const req = new Request(input, init);
    calls.push(req);
    return respond(req);
  });
  return calls;
}

describe('order mail', () => {
  it('the receipt: lines, totals, address and a signed link that opens the order without a cookie', async () => {
    const order = await paidOrder();
    await commit(queueOrderReceipt(db(), { orderId: order.orderId }));
    const result = await send(`order-receipt:${order.orderId}`);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toEqual([]);

    const row = await rowByKey(`order-receipt:${order.orderId}`);
    expect(row).toMatchObject({ status: 'sent', recipient: order.email, attempts: 1 });
    expect(row.transport_id).toMatch(/^caught_\d+$/);
    const [mail] = await caughtMail(order.email);
    expect(mail).toMatchObject({
      kind: 'order_receipt',
      subject: `Your Harbor Market order ${order.orderId}`,
    });
    expect(mail!.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail!.html).not.toContain(EVIL);
    expect(mail!.text).toContain('Total paid: $34.00');
    expect(mail!.text).toContain('1 Quay St');
    expect(mail!.headers).toMatchObject({ To: order.email, From: 'Harbor Market <shop@localhost>' });

    const link = linkIn(mail!.text, `/orders/${order.orderId}`);
    expect(link.origin).toBe(env.PUBLIC_URL);
    const page = await SELF.fetch(`http://localhost${link.pathname}${link.search}`, {
      headers: { accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Sea salt');
    // The same path without the signature is nobody's business.
    expect(
      (await SELF.fetch(`http://localhost${link.pathname}`, { headers: { accept: 'text/html' } })).status,
    ).toBe(404);
  });

  it('"new order" to each vendor with only their lines', async () => {
    const order = await paidOrder();
    await commit(
      ...queueVendorNewOrders(db(), { orderId: order.orderId, storeIds: [order.a.id, order.b.id] }),
    );
    await send(`vendor-new-order:${order.orderId}:${order.a.id}`);
    await send(`vendor-new-order:${order.orderId}:${order.b.id}`);
    const [toA] = await caughtMail(`${order.a.id}@example.com`);
    const [toB] = await caughtMail(`${order.b.id}@example.com`);
    expect(toA!.subject).toBe(`New order ${order.orderId} for Tern & Co`);
    expect(toA!.text).toContain('$25.00');
    expect(toA!.text).not.toContain('Sea salt');
    expect(toB!.text).toContain('Sea salt');
    expect(toB!.text).not.toContain('alert(1)');
    expect(toB!.text).toContain('Ada Lovelace');
  });

  it('payment failed, refund issued, shipment notice', async () => {
    const order = await paidOrder();
    const refundId = `re_${newId('t')}`;
    await env.DB.prepare(
      `INSERT INTO refunds (id, order_id, amount, currency, status) VALUES (?, ?, 400, 'usd', 'succeeded')`,
    )
      .bind(refundId, order.orderId)
      .run();
    await commit(
      queuePaymentFailed(db(), { orderId: order.orderId, attemptId: 'pi_1' }),
      queueRefundIssued(db(), { orderId: order.orderId, refundId }),
      queueShipmentNotice(db(), {
        shipmentId: `shp_${order.orderId}`,
        orderId: order.orderId,
        storeId: order.b.id,
        carrier: 'Posten',
        trackingNumber: 'AB1',
      }),
    );
    await send(`payment-failed:${order.orderId}:pi_1`);
    await send(`refund-issued:${refundId}`);
    await send(`shipment:shp_${order.orderId}`);
    const mails = await caughtMail(order.email);
    expect(mails.map((m) => m.kind)).toEqual(['shipment_notice', 'refund_issued', 'payment_failed']);
    expect(mails[1]!.subject).toBe(`Refund of $4.00 for order ${order.orderId}`);
    expect(mails[0]!.text).toContain('Tracking: Posten AB1');
    expect(mails[0]!.text).not.toContain('alert(1)');
  });

  it('a mail for a deleted order is recorded as failed and acked: no retry loop', async () => {
    const order = await paidOrder();
    await commit(queueOrderReceipt(db(), { orderId: order.orderId }));
    await env.DB.batch([
      env.DB.prepare('DELETE FROM order_lines WHERE order_id = ?').bind(order.orderId),
      env.DB.prepare('DELETE FROM orders WHERE id = ?').bind(order.orderId),
    ]);
    const result = await send(`order-receipt:${order.orderId}`);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toEqual([]);
    const row = await rowByKey(`order-receipt:${order.orderId}`);
    expect(row.status).toBe('failed');
    expect(row.last_error).toContain('no longer exists');
    expect(await caughtMail(order.email)).toEqual([]);
  });

  it('an order without an e-mail is recorded as failed (no recipient)', async () => {
    const { orderId } = await seedOrder({ status: 'paid' });
    await commit(queueOrderReceipt(db(), { orderId }));
    await send(`order-receipt:${orderId}`);
    expect(await rowByKey(`order-receipt:${orderId}`)).toMatchObject({
      status: 'failed',
      last_error: 'No recipient.',
    });
  });
});

describe('delivery', () => {
  it('a redelivered message is acked and not sent twice', async () => {
    const contactId = newId('msg');
    const to = `${contactId}@example.com`;
    await commit(
      queueContactMessage(db(), {
        contactId,
        to,
        storeName: 'S',
        fromName: 'N',
        fromEmail: 'n@example.com',
        message: 'hi',
      }),
    );
    await send(`contact:${contactId}`);
    const again = await send(`contact:${contactId}`, { attempts: 2 });
    expect(again.explicitAcks).toHaveLength(1);
    expect(await caughtMail(to)).toHaveLength(1);
  });

  it('retries a transport failure (Resend 500) with growing delays, then records it as failed', async () => {
    const contactId = newId('msg');
    await commit(
      queueContactMessage(db(), {
        contactId,
        to: 'shop@example.com',
        storeName: 'S',
        fromName: 'N',
        fromEmail: 'n@example.com',
        message: 'hi',
      }),
    );
    const calls = mockFetch(() =>
      Response.json({ name: 'internal_server_error', message: 'boom' }, { status: 500 }),
    );
    const first = await send(`contact:${contactId}`, { env: RESEND });
    expect(first.explicitAcks).toEqual([]);
    expect(first.retryMessages).toEqual([expect.objectContaining({ delaySeconds: 30 })]);
    const third = await send(`contact:${contactId}`, { env: RESEND, attempts: 3 });
    expect(third.retryMessages).toEqual([expect.objectContaining({ delaySeconds: 120 })]);
    let row = await rowByKey(`contact:${contactId}`);
    expect(row).toMatchObject({ status: 'queued', attempts: 2 });
    expect(row.last_error).toContain('Resend 500');
    // A retry is due later: the cron does not hand it over meanwhile.
    expect(row.enqueued_at).toBeGreaterThan(Math.floor(Date.now() / 1000));

    const last = await send(`contact:${contactId}`, { env: RESEND, attempts: 5 });
    expect(last.explicitAcks).toHaveLength(1);
    expect(last.retryMessages).toEqual([]);
    row = await rowByKey(`contact:${contactId}`);
    expect(row.status).toBe('failed');
    expect(row.last_error).toMatch(/^Gave up after 5 attempts: Resend 500/);
    // Every try carried the same idempotency key: Resend never sends it twice.
    expect(new Set(calls.map((c) => c.headers.get('idempotency-key')))).toEqual(
      new Set([`contact:${contactId}`]),
    );
  });

  it('a refusal (Resend 422) is recorded at once', async () => {
    const contactId = newId('msg');
    await commit(
      queueContactMessage(db(), {
        contactId,
        to: 'shop@example.com',
        storeName: 'S',
        fromName: 'N',
        fromEmail: 'n@example.com',
        message: 'hi',
      }),
    );
    mockFetch(() =>
      Response.json({ name: 'validation_error', message: 'Invalid `to` field.' }, { status: 422 }),
    );
    const result = await send(`contact:${contactId}`, { env: RESEND });
    expect(result.explicitAcks).toHaveLength(1);
    expect(await rowByKey(`contact:${contactId}`)).toMatchObject({
      status: 'failed',
      last_error: 'Resend 422 validation_error: Invalid `to` field.',
    });
  });

  it('the dead-letter consumer records what the main queue gave up on; a sent message stays sent', async () => {
    const contactId = newId('msg');
    await commit(
      queueContactMessage(db(), {
        contactId,
        to: 'shop@example.com',
        storeName: 'S',
        fromName: 'N',
        fromEmail: 'n@example.com',
        message: 'hi',
      }),
    );
    await env.DB.prepare(`UPDATE outbox SET last_error = 'Resend 503' WHERE idempotency_key = ?`)
      .bind(`contact:${contactId}`)
      .run();
    const dlq = await send(`contact:${contactId}`, { queue: 'notifications-dlq', attempts: 6 });
    expect(dlq.explicitAcks).toHaveLength(1);
    const row = await rowByKey(`contact:${contactId}`);
    expect(row.status).toBe('failed');
    expect(row.last_error).toContain('dead-letter delivery 6');
    expect(row.last_error).toContain('Resend 503');

    const sentId = newId('msg');
    await commit(
      queueContactMessage(db(), {
        contactId: sentId,
        to: 'shop@example.com',
        storeName: 'S',
        fromName: 'N',
        fromEmail: 'n@example.com',
        message: 'hi',
      }),
    );
    await send(`contact:${sentId}`);
    await send(`contact:${sentId}`, { queue: 'notifications-dlq' });
    expect((await rowByKey(`contact:${sentId}`)).status).toBe('sent');
  });

  it('a configuration problem is retried, not lost', async () => {
    const contactId = newId('msg');
    await commit(
      queueContactMessage(db(), {
        contactId,
        to: 'shop@example.com',
        storeName: 'S',
        fromName: 'N',
        fromEmail: 'n@example.com',
        message: 'hi',
      }),
    );
    const result = await send(`contact:${contactId}`, {
      env: { MAIL_TRANSPORT: 'resend', RESEND_API_KEY: '' },
    });
    expect(result.retryMessages).toHaveLength(1);
    expect((await rowByKey(`contact:${contactId}`)).last_error).toContain('RESEND_API_KEY');
  });

  it('in production a sent sign-in link is withheld from the outbox; logs hold no body and no full address', async () => {
    const to = `${newId('vendor')}@example.com`;
    await commit(
      queueVendorSignIn(db(), { to, storeName: 'Tern', path: '/vendor/login/SECRETTOKEN', minutes: 20 }),
    );
    const key = (await env.DB.prepare(`SELECT idempotency_key FROM outbox WHERE recipient = ?`)
      .bind(to)
      .first<{ idempotency_key: string }>())!.idempotency_key;
    const calls = mockFetch(() => Response.json({ id: 'resend-id-1' }));
    const logs: string[] = [];
    for (const level of ['log', 'warn', 'error'] as const)
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logs.push(args.join(' ')));
    const result = await send(key, {
      env: {
        ...RESEND,
        ENVIRONMENT: 'production',
        PUBLIC_URL: 'https://shop.example.com',
        MAIL_FROM: 'Shop <shop@example.com>',
      },
    });
    expect(result.explicitAcks).toHaveLength(1);
    const body = await calls[0]!.json<{ to: string[]; text: string; from: string }>();
    expect(body.to).toEqual([to]);
    expect(body.text).toContain('https://shop.example.com/vendor/login/SECRETTOKEN');
    const row = await rowByKey(key);
    expect(row).toMatchObject({ status: 'sent', transport_id: 'resend-id-1', html: null });
    expect(JSON.stringify(row)).not.toContain('SECRETTOKEN');
    expect(logs.join('\n')).not.toContain('SECRETTOKEN');
    expect(logs.join('\n')).not.toContain(to);
    expect(logs.join('\n')).toContain(`${to[0]}•••@example.com`);
  });

  it('the subscription welcome renders from its own data', async () => {
    const to = `${newId('sub')}@example.com`;
    await commit(
      queueSubscriptionWelcome(db(), {
        subscriptionId: to,
        to,
        planName: 'Coffee club',
        currency: 'usd',
        amount: 1500,
        interval: 'month',
        managePath: '/account',
      }),
    );
    await send(`subscription-welcome:${to}`);
    const [mail] = await caughtMail(to);
    expect(mail!.text).toContain('$15.00 per month');
    expect(mail!.text).toContain(`${env.PUBLIC_URL}/account`);
  });
});
