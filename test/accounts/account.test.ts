// /account and who may open an order: the signed-in shopper sees exactly the orders of their e-mail
// (guest orders from before included); the order page opens for the buyer's cookie, a signed link,
// or the owner's account, and is a 404 for everyone else.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids';
import { linkIn, waitForMail } from '../helpers/mail';
import { orderLink } from '../../src/orders/access';
import { cartCookie, seedCatalog, seedOrder } from '../helpers/checkout-fixtures';
import { shopper } from '../helpers/checkout-flow';
import { heldEmulator } from '../helpers/emulator';

const emu = heldEmulator();
const ORIGIN = 'http://localhost';

const uniqueEmail = (tag: string) => `${tag}.${newId('x').slice(2, 12)}@example.com`;

async function orderWithEmail(email: string | null, status: 'paid' | 'pending' = 'paid') {
  const order = await seedOrder({ status });
  if (email)
    await env.DB.prepare('UPDATE orders SET email = ? WHERE id = ?').bind(email, order.orderId).run();
  return order;
}

/** Signs in through the real flow (request, e-mailed link, click) and returns the session cookie. */
async function signIn(email: string): Promise<string> {
  const requested = await SELF.fetch(`${ORIGIN}/account/login`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'cf-connecting-ip': `2001:db8::${newId('i').slice(2, 6)}`,
    },
    body: JSON.stringify({ email }),
  });
  expect(requested.status).toBe(202);
  const queued = await env.DB.prepare(
    "SELECT count(*) AS n FROM outbox WHERE recipient = ? AND kind = 'shopper_sign_in'",
  )
    .bind(email)
    .first<{ n: number }>();
  const [mail] = await waitForMail(email, { kind: 'shopper_sign_in', count: queued!.n });
  const link = linkIn(mail!.text, '/account/login/').href;
  const res = await SELF.fetch(`${ORIGIN}${new URL(link).pathname}`, {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
    body: '',
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

function account(cookie?: string, accept = 'application/json') {
  return SELF.fetch(`${ORIGIN}/account`, {
    headers: { accept, ...(cookie ? { cookie } : {}) },
    redirect: 'manual',
  });
}

function orderPage(path: string, cookie?: string) {
  return SELF.fetch(`${ORIGIN}${path}`, {
    headers: { accept: 'application/json', ...(cookie ? { cookie } : {}) },
    redirect: 'manual',
  });
}

describe('/account', () => {
  it('shows exactly the shopper’s orders: by e-mail, by customer, guest ones from before', async () => {
    const email = uniqueEmail('ada');
    const other = uniqueEmail('bob');
    const byEmail = await orderWithEmail(email);
    const pending = await orderWithEmail(email, 'pending');
    // An order linked to a customer of this e-mail, placed with no e-mail of its own.
    const customerId = `cus_${newId('t').slice(2)}`;
    await env.DB.prepare(
      `INSERT INTO customers (id, email, email_normalized, name, phone, address, shipping, livemode, created_at, updated_at)
       VALUES (?, ?, ?, 'Ada L', '+1 555 0101', ?, ?, 0, unixepoch(), unixepoch())`,
    )
      .bind(
        customerId,
        email,
        email,
        JSON.stringify({ line1: '12 Analytical Way', city: 'London', postal_code: 'W1', country: 'GB' }),
        JSON.stringify({ name: 'Ada L', address: { line1: '9 Engine St', city: 'Bath', country: 'GB' } }),
      )
      .run();
    const byCustomer = await orderWithEmail(null);
    await env.DB.prepare('UPDATE orders SET customer_id = ? WHERE id = ?')
      .bind(customerId, byCustomer.orderId)
      .run();
    const notMine = await orderWithEmail(other);
    await orderWithEmail(null);

    const cookie = await signIn(email);
    const res = await account(cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('no-store');
    const body = await res.json<{
      email: string;
      orders: { id: string; orderUrl: string; statusLabel: string }[];
      addresses: { phone: string; address: { city: string } }[];
    }>();
    expect(body.email).toBe(email);
    expect(body.orders.map((o) => o.id).sort()).toEqual(
      [byEmail.orderId, pending.orderId, byCustomer.orderId].sort(),
    );
    expect(body.addresses).toMatchObject([{ phone: '+1 555 0101', address: { city: 'London' } }]);

    const html = await (await account(cookie, 'text/html')).text();
    expect(html).toContain(byEmail.orderId);
    expect(html).toContain(`href="/orders/${byCustomer.orderId}"`);
    expect(html).toContain('12 Analytical Way');
    expect(html).toContain('9 Engine St');
    expect(html).not.toContain(notMine.orderId);
  });

  it('a guest purchase made earlier appears after signing in with its e-mail', async () => {
    const email = uniqueEmail('guest');
    const { products } = await seedCatalog([{ name: 'Wool scarf', unitAmount: 3200 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!);
    const started = await (await buyer.checkout({ email })).json<{ orderId: string; sessionId: string }>();
    await emu.pay(started.sessionId);
    expect((await emu.drain()).every((d) => d.status === 200)).toBe(true);

    const cookie = await signIn(email);
    const body = await (
      await account(cookie)
    ).json<{ orders: { id: string; statusLabel: string; receiptUrl: string | null }[] }>();
    expect(body.orders).toMatchObject([{ id: started.orderId, statusLabel: 'Paid' }]);
    expect(body.orders[0]!.receiptUrl).toMatch(/^http/);
  });

  it('without a session: 401 for the API, the sign-in page for browsers; a forged cookie is nobody', async () => {
    const api = await account();
    expect(api.status).toBe(401);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    const page = await account(undefined, 'text/html');
    expect([page.status, page.headers.get('location')]).toEqual([303, '/account/login']);
    const forged = await account(`shopper=${btoa('someone@example.com')}.9999999999.bm90LWEtc2lnbmF0dXJl`);
    expect(forged.status).toBe(401);
  });

  it('signs out', async () => {
    const email = uniqueEmail('bye');
    await orderWithEmail(email);
    const cookie = await signIn(email);
    const out = await SELF.fetch(`${ORIGIN}/account/logout`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: '',
      redirect: 'manual',
    });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/^shopper=;.*Max-Age=0/);
  });
});

describe('who may open an order page', () => {
  it('the buyer’s cookie, a signed link, the owner’s account; everyone else gets 404', async () => {
    const email = uniqueEmail('owner');
    const order = await orderWithEmail(email);
    const someoneElse = uniqueEmail('else');
    await orderWithEmail(someoneElse);
    const path = `/orders/${order.orderId}`;

    expect((await orderPage(path, await cartCookie(order.cartId))).status).toBe(200);

    const link = await orderLink(env, order.orderId);
    expect(link.startsWith(`${env.PUBLIC_URL}/orders/${order.orderId}?t=`)).toBe(true);
    const url = new URL(link);
    expect((await orderPage(`${url.pathname}${url.search}`)).status).toBe(200);
    // A signed link of one order opens no other.
    const otherOrder = await orderWithEmail(email);
    expect((await orderPage(`/orders/${otherOrder.orderId}${url.search}`)).status).toBe(404);

    expect((await orderPage(path, await signIn(email))).status).toBe(200);
    expect((await orderPage(path, await signIn(someoneElse))).status).toBe(404);
    expect((await orderPage(path, await cartCookie(newId('cart')))).status).toBe(404);
    expect((await orderPage(path)).status).toBe(404);
  });
});
