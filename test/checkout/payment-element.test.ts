// The Payment Element path: GET /config, POST /create-payment-intent (server amount, idempotent per
// cart version), the pay page, and the intent's events paying the order.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { getStripe } from '../../src/stripe/client';
import { seedCatalog, stockOf } from '../helpers/checkout-fixtures';
import { countRows, ordersOfCart, shopper } from '../helpers/checkout-flow';
import { heldEmulator } from '../helpers/emulator';

const emu = heldEmulator();

const createIntent = (buyer: Awaited<ReturnType<typeof shopper>>, body: Record<string, unknown> = {}) =>
  buyer.fetch('/create-payment-intent', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

interface Intent {
  clientSecret: string;
  orderId: string;
  amount: number;
  currency: string;
}

describe('GET /config', () => {
  it('gives the publishable key (the emulator key offline)', async () => {
    const buyer = await shopper();
    const res = await buyer.fetch('/config');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ publishableKey: 'pk_test_emulator' });
  });
});

describe('POST /create-payment-intent', () => {
  it('computes the amount and currency on the server, ignoring what the client sends', async () => {
    const { products } = await seedCatalog([{ unitAmount: 1999 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!, 2);
    const res = await createIntent(buyer, { amount: 1, currency: 'eur', items: [{ id: 'x', price: 1 }] });
    expect(res.status).toBe(200);
    const intent = await res.json<Intent>();
    expect(intent.clientSecret).toMatch(/^pi_.+_secret_/);
    expect(intent).toMatchObject({ amount: 1999 * 2 + 500, currency: 'usd' });
    const pi = await getStripe(env).paymentIntents.retrieve(intent.clientSecret.split('_secret_')[0]!);
    expect(pi).toMatchObject({ amount: 4498, currency: 'usd', transfer_group: intent.orderId });
    expect(pi.metadata).toMatchObject({ order_id: intent.orderId });
  });

  it('answers the same intent for the same cart version, a new one when the cart changes', async () => {
    const { products } = await seedCatalog([{ unitAmount: 500 }, { unitAmount: 700 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!);
    const [a, b] = await Promise.all([createIntent(buyer), createIntent(buyer)]);
    const first = await a.json<Intent>();
    expect(await b.json<Intent>()).toEqual(first);
    await buyer.add(products[1]!);
    const changed = await (await createIntent(buyer)).json<Intent>();
    expect(changed.clientSecret).not.toBe(first.clientSecret);
    const old = await getStripe(env).paymentIntents.retrieve(first.clientSecret.split('_secret_')[0]!);
    expect(old.status).toBe('canceled');
    expect((await ordersOfCart(buyer.cartId)).map((o) => o.status)).toEqual(['canceled', 'pending']);
  });

  it('refuses an empty cart', async () => {
    const res = await createIntent(await shopper());
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('pays the order when the intent succeeds, and empties the cart', async () => {
    const { products } = await seedCatalog([{ unitAmount: 2500, stock: 2 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!, 2);
    const intent = await (await createIntent(buyer)).json<Intent>();
    expect(await stockOf(products[0]!.id)).toBe(0);
    const id = intent.clientSecret.split('_secret_')[0]!;

    // A declined card first: the order waits, the cart stays, the shopper may try again.
    await expect(
      getStripe(env).paymentIntents.confirm(id, {
        payment_method: 'pm_card_chargeDeclined',
        return_url: 'http://localhost/',
      }),
    ).rejects.toMatchObject({ type: 'StripeCardError' });
    await emu.drain();
    expect(await buyer.order(intent.orderId)).toMatchObject({
      status: 'pending',
      statusLabel: 'Payment failed',
    });
    expect((await buyer.cart.getState()).lines).toHaveLength(1);

    await getStripe(env).paymentIntents.confirm(id, {
      payment_method: 'pm_card_visa',
      return_url: `http://localhost/orders/${intent.orderId}`,
    });
    expect((await emu.drain()).every((d) => d.status === 200)).toBe(true);
    const order = await buyer.order(intent.orderId);
    expect(order).toMatchObject({ status: 'paid', amountReceived: 5500 });
    expect(order.payment.id).toBe(id);
    expect(await countRows('transfers', intent.orderId)).toBe(1);
    expect((await buyer.cart.getState()).lines).toEqual([]);
    expect(await stockOf(products[0]!.id)).toBe(0);
  });

  it('confirms on the return page from the intent named in the URL', async () => {
    const { products } = await seedCatalog([{ unitAmount: 1500 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!);
    const intent = await (await createIntent(buyer)).json<Intent>();
    const id = intent.clientSecret.split('_secret_')[0]!;
    await getStripe(env).paymentIntents.confirm(id, {
      payment_method: 'pm_card_visa',
      return_url: 'http://localhost/',
    });
    const order = await buyer.order(
      intent.orderId,
      `?payment_intent=${id}&payment_intent_client_secret=${intent.clientSecret}&redirect_status=succeeded`,
    );
    expect(order.status).toBe('paid');
  });
});

describe('GET /pay', () => {
  it('renders the summary and mounts the Payment Element from a script file (no inline script)', async () => {
    const { products } = await seedCatalog([{ name: 'Pottery bowl', unitAmount: 2200 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!);
    const res = await buyer.fetch('/pay', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Pottery bowl');
    expect(html).toContain('$27.00');
    expect(html).toContain('id="payment-element"');
    expect(html).toContain(`src="${env.PUBLIC_URL}/__stripe/v3/stripe.js"`);
    expect(html).toContain('src="/static/pay.js"');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toContain('_secret_');
  });

  it('says the cart is empty instead of showing a form', async () => {
    const res = await (await shopper()).fetch('/pay', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Your cart is empty.');
    expect(html).not.toContain('id="payment-element"');
  });
});
