// The operator's admin: token checks (Bearer and the sign-in cookie), every listing as JSON and as a
// page, the JSON paths of the original service, and the refund, retry, replay and demo-vendor actions.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids';
import { getStripe } from '../../src/stripe/client';
import { adminApi, adminCookie, adminForm, adminPage } from '../helpers/admin-fixtures';
import { orderRow, seedOrder } from '../helpers/checkout-fixtures';
import { heldEmulator } from '../helpers/emulator';
import { envWithQueue, paidOrder, runBatch, transferRow, vendors } from '../helpers/payout-fixtures';
import { storeRow } from '../helpers/vendor-fixtures';

const emu = heldEmulator();

describe('operator authentication', () => {
  const paths = [
    '/admin/api/stores',
    '/admin/api/orders',
    '/stores',
    '/orders',
    '/customers',
    '/stores/st_x',
  ];

  it('no token → 401 problem+json', async () => {
    for (const path of paths) {
      const res = await adminApi(path, { token: null });
      expect(res.status, path).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('wrong token → 401, also one that shares a prefix or another scheme', async () => {
    for (const token of ['nope', 'test-admin-toke', 'test-admin-token-and-more']) {
      expect((await adminApi('/admin/api/stores', { token })).status).toBe(401);
    }
    const basic = await SELF.fetch('http://localhost/stores', {
      headers: { authorization: 'Basic dGVzdA==' },
    });
    expect(basic.status).toBe(401);
  });

  it('a browser without a session gets the sign-in form (401); the form sets a signed cookie', async () => {
    const page = await SELF.fetch('http://localhost/admin/orders', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('Admin token');

    const wrong = await adminForm('/admin/login', { token: 'guess' }, '');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const cookie = await adminCookie();
    const res = await SELF.fetch('http://localhost/admin/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
      body: 'token=test-admin-token',
      redirect: 'manual',
    });
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(res.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);
    expect((await adminPage('/admin', cookie)).status).toBe(200);
    // A forged cookie is not a session.
    expect((await adminPage('/admin', 'admin=operator.9999999999.forged')).status).toBe(401);
  });
});

describe('listings', () => {
  it('stores, orders (by status, and one with everything), customers, transfers, events and the messages', async () => {
    const [v] = await vendors(emu, 1);
    const order = await paidOrder(emu, [{ storeId: v!.id, storeName: v!.name, amount: 3100 }]);
    await seedOrder({ status: 'pending' });
    await env.DB.prepare(`INSERT INTO customers (id, email, name) VALUES (?, 'cx@example.com', 'Cee Ex')`)
      .bind(`cus_${newId('t')}`)
      .run();
    await env.DB.prepare(
      `INSERT INTO outbox (id, kind, idempotency_key, recipient, subject, body) VALUES (?1, 'contact_message', ?1, 'shop@example.com', 'Hello', 'Body text')`,
    )
      .bind(newId('mail'))
      .run();

    const stores = await (
      await adminApi('/admin/api/stores')
    ).json<{ stores: { id: string; status: string }[] }>();
    expect(stores.stores.find((s) => s.id === v!.id)?.status).toBe('open');
    const legacy = await adminApi('/stores');
    expect(legacy.status).toBe(200);
    expect((await legacy.json<{ stores: { id: string }[] }>()).stores.some((s) => s.id === v!.id)).toBe(true);
    const one = await (
      await adminApi(`/stores/${v!.id}`)
    ).json<{ store: { id: string }; transfers: unknown[] }>();
    expect(one.store.id).toBe(v!.id);
    expect((await adminApi('/stores/st_missing')).status).toBe(404);

    const paid = await (
      await adminApi('/admin/api/orders?status=paid')
    ).json<{ orders: { id: string; status: string }[] }>();
    expect(paid.orders.every((o) => o.status === 'paid')).toBe(true);
    expect(paid.orders.some((o) => o.id === order.orderId)).toBe(true);
    expect((await adminApi('/admin/api/orders?status=shipped')).status).toBe(422);
    expect(
      (await (await adminApi('/orders')).json<{ orders: unknown[] }>()).orders.length,
    ).toBeGreaterThanOrEqual(2);

    const detail = await (
      await adminApi(`/admin/api/orders/${order.orderId}`)
    ).json<{
      order: { id: string };
      lines: unknown[];
      payment: { chargeId: string };
      transfers: { storeName: string }[];
      refunds: unknown[];
      events: { type: string }[];
    }>();
    expect(detail.lines).toHaveLength(1);
    expect(detail.payment.chargeId).toBe(order.charge!.chargeId);
    expect(detail.transfers[0]?.storeName).toBe(v!.name);
    expect(
      detail.events.some((e) => e.type === 'payment_intent.succeeded' || e.type === 'charge.succeeded'),
    ).toBe(true);

    const customers = await (await adminApi('/customers')).json<{ customers: { email: string }[] }>();
    expect(customers.customers.some((c) => c.email === 'cx@example.com')).toBe(true);

    const transfers = await (
      await adminApi('/admin/api/transfers?status=pending')
    ).json<{ transfers: { id: string }[] }>();
    expect(transfers.transfers.some((t) => t.id === order.transfers[0]!.id)).toBe(true);

    const events = await (
      await adminApi('/admin/api/events?type=charge.succeeded')
    ).json<{ events: { id: string; type: string }[] }>();
    expect(events.events.length).toBeGreaterThan(0);
    expect(events.events.every((e) => e.type === 'charge.succeeded')).toBe(true);
    const event = await (
      await adminApi(`/admin/api/events/${events.events[0]!.id}`)
    ).json<{ payload: { type: string } }>();
    expect(event.payload.type).toBe('charge.succeeded');

    const messages = await (
      await adminApi('/admin/api/messages')
    ).json<{ messages: { subject: string }[] }>();
    expect(messages.messages.some((m) => m.subject === 'Hello')).toBe(true);

    // The same as pages.
    const cookie = await adminCookie();
    for (const path of [
      '/admin',
      '/admin/stores',
      `/admin/stores/${v!.id}`,
      '/admin/orders?status=paid',
      `/admin/orders/${order.orderId}`,
      '/admin/customers',
      '/admin/transfers',
      '/admin/events?status=processed',
      `/admin/events/${events.events[0]!.id}`,
      '/admin/messages',
      '/admin/messages?status=failed',
    ]) {
      const res = await adminPage(path, cookie);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    const orderHtml = await (await adminPage(`/admin/orders/${order.orderId}`, cookie)).text();
    expect(orderHtml).toContain(v!.name);
    expect(orderHtml).toContain('name="request_id"');
  });
});

describe('actions', () => {
  it('refunds in part then in full (idempotent per request); the order follows charge.refunded', async () => {
    const [v] = await vendors(emu, 1);
    const order = await paidOrder(emu, [{ storeId: v!.id, amount: 2000 }]); // total 2500

    const tooMuch = await adminApi(`/admin/api/orders/${order.orderId}/refunds`, {
      body: { amount: 999_999 },
    });
    expect(tooMuch.status).toBe(422);

    const first = await adminApi(`/admin/api/orders/${order.orderId}/refunds`, {
      body: { amount: 1000, request_id: 'rq1' },
    });
    expect(first.status).toBe(201);
    const { refund } = await first.json<{ refund: { id: string; amount: number } }>();
    expect(refund).toMatchObject({ amount: 1000 });
    // A double submit is the same refund.
    const twice = await adminApi(`/admin/api/orders/${order.orderId}/refunds`, {
      body: { amount: 1000, request_id: 'rq1' },
    });
    expect((await twice.json<{ refund: { id: string } }>()).refund.id).toBe(refund.id);
    await emu.drain();
    expect(await orderRow(order.orderId)).toMatchObject({
      status: 'partially_refunded',
      amount_refunded: 1000,
    });

    // The rest, from the order page's form (empty amount = everything left).
    const cookie = await adminCookie();
    const res = await adminForm(
      `/admin/orders/${order.orderId}/refund`,
      { amount_decimal: '', request_id: 'rr_form1' },
      cookie,
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('notice=refund-requested');
    await emu.drain();
    expect(await orderRow(order.orderId)).toMatchObject({ status: 'refunded', amount_refunded: 2500 });
    const charge = await getStripe(env).charges.retrieve(order.charge!.chargeId);
    expect(charge.amount_refunded).toBe(2500);

    // Nothing left: the page says why.
    const again = await adminForm(
      `/admin/orders/${order.orderId}/refund`,
      { amount_decimal: '1.00', request_id: 'rr_form2' },
      cookie,
    );
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('only a paid order can be refunded');
  });

  it('retries a failed transfer (and refuses one that is not failed)', async () => {
    const [v] = await vendors(emu, 1);
    const order = await paidOrder(emu, [{ storeId: v!.id, amount: 1200 }]);
    const id = order.transfers[0]!.id;
    expect((await adminApi(`/admin/api/transfers/${id}/retry`, { method: 'POST' })).status).toBe(409);
    await env.DB.prepare(`UPDATE transfers SET status = 'failed', last_error = 'boom' WHERE id = ?`)
      .bind(id)
      .run();

    const cookie = await adminCookie();
    const res = await adminForm(`/admin/transfers/${id}/retry`, {}, cookie);
    expect(res.status).toBe(303);
    expect(await transferRow(id)).toMatchObject({ status: 'pending', lastError: null, generation: 1 });
    const { env: e } = envWithQueue();
    await runBatch(e, [{ body: { kind: 'transfer', id } }]);
    expect((await transferRow(id))?.status).toBe('sent');
    expect((await adminApi('/admin/api/transfers/xfer_nope/retry', { method: 'POST' })).status).toBe(404);
  });

  it('replays a stored event', async () => {
    const acct = `acct_${newId('r').slice(-16)}`;
    const payload = {
      id: `evt_${newId('r')}`,
      object: 'event',
      type: 'account.updated',
      account: acct,
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: {
        object: {
          id: acct,
          object: 'account',
          charges_enabled: true,
          payouts_enabled: true,
          details_submitted: true,
          business_profile: { name: 'Replayed Shop' },
          metadata: {},
        },
      },
    };
    await env.DB.prepare(
      `INSERT INTO webhook_events (id, type, account, created, payload, status, last_error) VALUES (?, 'account.updated', ?, ?, ?, 'failed', 'D1 was down')`,
    )
      .bind(payload.id, acct, payload.created, JSON.stringify(payload))
      .run();
    const res = await adminApi(`/admin/api/events/${payload.id}/replay`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'processed' });
    expect(await storeRow({ account: acct })).toMatchObject({ name: 'Replayed Shop', charges_enabled: 1 });
    const page = await adminForm(`/admin/events/${payload.id}/replay`, {}, await adminCookie());
    expect(page.status).toBe(303);
    expect((await adminApi('/admin/api/events/evt_missing/replay', { method: 'POST' })).status).toBe(404);
  });

  it('gives demo stores onboarded emulator accounts, once', async () => {
    await env.DB.prepare(
      `INSERT INTO stores (id, slug, name, email, charges_enabled, payouts_enabled, details_submitted)
       VALUES ('st_demo_testkiln', 'test-kiln', 'Test Kiln', 'kiln@example.com', 1, 1, 1)`,
    ).run();
    const first = await adminApi('/admin/api/demo/vendors', { method: 'POST' });
    expect(first.status).toBe(200);
    const { vendors: made } = await first.json<{
      vendors: { storeId: string; accountId: string; action: string }[];
    }>();
    const kiln = made.find((m) => m.storeId === 'st_demo_testkiln')!;
    expect(kiln.action).toBe('created');
    const account = await getStripe(env).accounts.retrieve(kiln.accountId);
    expect(account).toMatchObject({ charges_enabled: true, payouts_enabled: true, details_submitted: true });
    expect(await storeRow({ id: 'st_demo_testkiln' })).toMatchObject({
      stripe_account_id: kiln.accountId,
      charges_enabled: 1,
    });

    const second = await (
      await adminApi('/admin/api/demo/vendors', { method: 'POST' })
    ).json<{ vendors: { storeId: string; accountId: string; action: string }[] }>();
    expect(second.vendors.find((m) => m.storeId === 'st_demo_testkiln')).toMatchObject({
      action: 'kept',
      accountId: kiln.accountId,
    });
    expect((await adminApi('/admin/api/demo/vendors', { method: 'POST', token: null })).status).toBe(401);
  });
});
