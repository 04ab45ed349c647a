// Customers from real purchases through SELF.fetch and the emulator: one Stripe Customer per shopper
// e-mail, one customers row with what checkout collected, every order linked (hosted Checkout and the
// Payment Element), and the admin's view of them.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids';
import { getStripe } from '../../src/stripe/client';
import { adminApi } from '../helpers/admin-fixtures';
import { seedCatalog } from '../helpers/checkout-fixtures';
import { shopper } from '../helpers/checkout-flow';
import { heldEmulator } from '../helpers/emulator';

const emu = heldEmulator();

interface CustomerRow {
  id: string;
  email: string | null;
  email_normalized: string | null;
  name: string | null;
  phone: string | null;
  address: string | null;
  shipping: string | null;
}

const uniqueEmail = (tag: string) => `${tag}.${newId('x').slice(2, 12)}@example.com`;

async function customerRows(email: string) {
  const rows = await env.DB.prepare('SELECT * FROM customers WHERE email_normalized = ?')
    .bind(email.toLowerCase())
    .all<CustomerRow>();
  return rows.results;
}

async function orderCustomer(orderId: string) {
  return env.DB.prepare('SELECT customer_id, email FROM orders WHERE id = ?')
    .bind(orderId)
    .first<{ customer_id: string | null; email: string | null }>();
}

/** One purchase on the hosted page: add, POST /checkout (with the e-mail given, or not), pay, deliver. */
async function buyWithCheckout(opts: {
  email?: string;
  pageEmail?: string;
  name?: string;
  city?: string;
  phone?: string;
}) {
  const { products } = await seedCatalog([{ name: 'Clay mug', unitAmount: 1800 }]);
  const buyer = await shopper();
  await buyer.add(products[0]!);
  const res = await buyer.checkout(opts.email ? { email: opts.email } : {});
  expect(res.status).toBe(200);
  const started = await res.json<{ orderId: string; sessionId: string }>();
  await emu.pay(started.sessionId, {
    email: opts.pageEmail,
    name: opts.name ?? 'Grace Hopper',
    phone: opts.phone ?? '+1 555 0100',
    shipping: {
      name: opts.name ?? 'Grace Hopper',
      address: { line1: '7 Harbor Rd', city: opts.city ?? 'Arlington', postal_code: '22201', country: 'US' },
    },
  });
  const deliveries = await emu.drain();
  expect(deliveries.every((d) => d.status === 200)).toBe(true);
  return { buyer, ...started };
}

describe('checkout makes one Stripe Customer per shopper e-mail', () => {
  it('two purchases by one e-mail: one Customer, one row with the checkout address, both orders linked', async () => {
    const email = uniqueEmail('grace');
    const first = await buyWithCheckout({ email, city: 'Arlington' });
    // The second time the shopper types the address in another case: still the same shopper.
    const second = await buyWithCheckout({ email: email.toUpperCase(), city: 'Baltimore' });

    const atStripe = await getStripe(env).customers.list({ email, limit: 10 });
    expect(atStripe.data).toHaveLength(1);
    const customerId = atStripe.data[0]!.id;

    const sessions = await Promise.all(
      [first.sessionId, second.sessionId].map((id) => getStripe(env).checkout.sessions.retrieve(id)),
    );
    expect(sessions.map((s) => s.customer)).toEqual([customerId, customerId]);

    const rows = await customerRows(email);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({ id: customerId, email, name: 'Grace Hopper', phone: '+1 555 0100' });
    // The newest checkout's addresses: shipping from collected_information, billing from customer_details.
    expect(JSON.parse(row.shipping!)).toMatchObject({
      name: 'Grace Hopper',
      address: { line1: '7 Harbor Rd', city: 'Baltimore', country: 'US' },
    });
    expect(JSON.parse(row.address!)).toMatchObject({ country: 'US', postal_code: '22201' });

    for (const orderId of [first.orderId, second.orderId]) {
      expect(await orderCustomer(orderId)).toEqual({ customer_id: customerId, email });
    }
    // Stripe holds the same details, so a later customer.updated can't wipe them.
    const stripeCustomer = await getStripe(env).customers.retrieve(customerId);
    expect(stripeCustomer).toMatchObject({
      phone: '+1 555 0100',
      shipping: { address: { city: 'Baltimore' } },
    });
  });

  it('an e-mail given only on Stripe’s page finds the same Customer after payment', async () => {
    const email = uniqueEmail('ada');
    const withForm = await buyWithCheckout({ email });
    const withoutForm = await buyWithCheckout({ pageEmail: email });

    const atStripe = await getStripe(env).customers.list({ email, limit: 10 });
    expect(atStripe.data).toHaveLength(1);
    const customerId = atStripe.data[0]!.id;
    expect((await orderCustomer(withForm.orderId))?.customer_id).toBe(customerId);
    expect(await orderCustomer(withoutForm.orderId)).toEqual({ customer_id: customerId, email });
    expect(await customerRows(email)).toHaveLength(1);
  });

  it('a malformed e-mail is refused before anything is written', async () => {
    const { products } = await seedCatalog([{ unitAmount: 900 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!);
    for (const bad of ['no-at-sign', 'a@b\r\nBcc: victim@example.com', `${'x'.repeat(10_000)}@example.com`]) {
      const res = await buyer.checkout({ email: bad });
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(
      (
        await env.DB.prepare('SELECT count(*) AS n FROM orders WHERE cart_id = ?')
          .bind(buyer.cartId)
          .first<{ n: number }>()
      )?.n,
    ).toBe(0);
  });

  it('a 10 KB name from checkout is kept to Stripe’s limit, and the webhook still answers 200', async () => {
    const email = uniqueEmail('long');
    const name = 'N'.repeat(10 * 1024);
    const { orderId } = await buyWithCheckout({ email, name });
    const [row] = await customerRows(email);
    expect(row!.name!.length).toBeLessThanOrEqual(256);
    expect((await orderCustomer(orderId))?.customer_id).toBe(row!.id);
  });
});

describe('the Payment Element path', () => {
  it('passes the shopper’s Customer to the PaymentIntent and links the order on payment', async () => {
    const email = uniqueEmail('pi');
    const { products } = await seedCatalog([{ unitAmount: 2500 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!);
    const res = await buyer.fetch('/create-payment-intent', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email }),
    });
    expect(res.status).toBe(200);
    const intent = await res.json<{ clientSecret: string; orderId: string }>();
    const id = intent.clientSecret.split('_secret_')[0]!;
    const pi = await getStripe(env).paymentIntents.retrieve(id);
    const [customer] = (await getStripe(env).customers.list({ email, limit: 10 })).data;
    expect(pi.customer).toBe(customer!.id);

    await getStripe(env).paymentIntents.confirm(id, {
      payment_method_data: {
        type: 'card',
        card: { number: '4242424242424242' } as never,
        billing_details: { name: 'Katherine Johnson', email },
      },
      return_url: `http://localhost/orders/${intent.orderId}`,
    } as never);
    expect((await emu.drain()).every((d) => d.status === 200)).toBe(true);

    expect(await orderCustomer(intent.orderId)).toEqual({ customer_id: customer!.id, email });
    const [row] = await customerRows(email);
    expect(row).toMatchObject({ id: customer!.id, name: 'Katherine Johnson' });
  });

  it('a guest’s receipt e-mail given at confirmation finds or makes their one Customer', async () => {
    const email = uniqueEmail('guestpi');
    const first = await buyWithCheckout({ email });
    const { products } = await seedCatalog([{ unitAmount: 1200 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!);
    const intent = await (
      await buyer.fetch('/create-payment-intent', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
    ).json<{ clientSecret: string; orderId: string }>();
    const id = intent.clientSecret.split('_secret_')[0]!;
    await getStripe(env).paymentIntents.confirm(id, {
      payment_method: 'pm_card_visa',
      receipt_email: email,
      return_url: `http://localhost/orders/${intent.orderId}`,
    });
    expect((await emu.drain()).every((d) => d.status === 200)).toBe(true);
    const linked = (await orderCustomer(first.orderId))!.customer_id;
    expect(await orderCustomer(intent.orderId)).toEqual({ customer_id: linked, email });
    expect((await getStripe(env).customers.list({ email, limit: 10 })).data).toHaveLength(1);
  });
});

describe('admin: customers with their figures', () => {
  it('lists address, phone, e-mail, lifetime orders, amount and refunds; searches by e-mail or name', async () => {
    const email = uniqueEmail('lin');
    const surname = `Lovelace${newId('s').slice(2, 8)}`;
    const a = await buyWithCheckout({ email, name: `Ada ${surname}` });
    await buyWithCheckout({ email, name: `Ada ${surname}` });
    // A refund of part of the first order.
    await env.DB.prepare('UPDATE orders SET amount_refunded = 500, status = ? WHERE id = ?')
      .bind('partially_refunded', a.orderId)
      .run();

    for (const q of [email.slice(0, 12).toUpperCase(), surname.toLowerCase()]) {
      const res = await adminApi(`/customers?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      const { customers } = await res.json<{ customers: Record<string, unknown>[] }>();
      expect(customers).toHaveLength(1);
      expect(customers[0]).toMatchObject({
        email,
        name: `Ada ${surname}`,
        phone: '+1 555 0100',
        address: { country: 'US' },
        shipping: { address: { line1: '7 Harbor Rd' } },
        lifetimeOrders: 2,
        lifetimeAmount: 2 * (1800 + 500),
        refundedAmount: 500,
      });
    }
    // The search text is taken literally: a lone % is not a wildcard.
    const literal = await adminApi(`/customers?q=${encodeURIComponent('%')}`);
    expect((await literal.json<{ customers: unknown[] }>()).customers).toEqual([]);

    const [row] = await customerRows(email);
    const detail = await adminApi(`/admin/api/customers/${row!.id}`);
    expect(detail.status).toBe(200);
    const body = await detail.json<{ customer: { id: string }; orders: { id: string }[] }>();
    expect(body.orders.map((o) => o.id)).toContain(a.orderId);
    expect(body.orders).toHaveLength(2);

    const page = await adminApi(`/admin/customers?q=${encodeURIComponent(surname)}`, {
      headers: { accept: 'text/html' },
    });
    const html = await page.text();
    expect(html).toContain('7 Harbor Rd');
    expect(html).toContain('+1 555 0100');
    expect(html).toContain(email);
    expect((await adminApi('/customers/cus_nope')).status).toBe(404);
    expect((await adminApi('/customers', { token: null })).status).toBe(401);
  });
});
