// The whole purchase through SELF.fetch against the Stripe emulator: cart → checkout → pay → signed
// events delivered → order paid and cart emptied; a declined card leaves the order unpaid and the cart.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { getStripe } from '../../src/stripe/client';
import { seedCatalog, stockOf } from '../helpers/checkout-fixtures';
import { countRows, ordersOfCart, reservations, shopper } from '../helpers/checkout-flow';
import { heldEmulator } from '../helpers/emulator';

const emu = heldEmulator();

/** Two vendors, one product each; the second has limited stock. */
async function twoVendorCatalog() {
  const a = await seedCatalog([{ name: 'Linen apron', unitAmount: 2400 }], { name: 'Apron Atelier' });
  const b = await seedCatalog([{ name: 'Beeswax candle', unitAmount: 900, stock: 5 }], {
    name: 'Hive & Wick',
  });
  return { apron: a.products[0]!, candle: b.products[0]!, stores: [a, b] };
}

describe('purchase with Stripe Checkout', () => {
  it('pays with 4242: events delivered, order paid with one transfer per vendor, cart empty, stock kept', async () => {
    const { apron, candle } = await twoVendorCatalog();
    const buyer = await shopper();
    await buyer.add(apron, 1, 'Gift wrap, please');
    await buyer.add(candle, 2);

    const res = await buyer.checkout();
    expect(res.status).toBe(200);
    const started = await res.json<{ url: string; orderId: string; sessionId: string }>();
    expect(started.url).toMatch(/^http/);
    expect(started.sessionId).toMatch(/^cs_/);
    expect(await stockOf(candle.id)).toBe(3); // reserved while the shopper pays

    const before = await buyer.order(started.orderId);
    expect(before).toMatchObject({
      status: 'pending',
      statusLabel: 'Processing',
      subtotal: 4200,
      total: 4700,
    });
    expect(before.lines.map((l) => [l.name, l.quantity, l.vendor.name, l.note])).toEqual([
      ['Linen apron', 1, 'Apron Atelier', 'Gift wrap, please'],
      ['Beeswax candle', 2, 'Hive & Wick', ''],
    ]);

    const paid = await emu.pay(started.sessionId, {
      card: '4242424242424242',
      email: 'ada@example.com',
      shipping: {
        name: 'Ada Lovelace',
        address: { line1: '1 Loom St', city: 'London', postal_code: 'N1', country: 'GB' },
      },
    });
    expect(paid.redirect).toContain(`/orders/${started.orderId}?session_id=${started.sessionId}`);
    const deliveries = await emu.drain();
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.every((d) => d.status === 200)).toBe(true);

    const after = await buyer.order(started.orderId);
    expect(after).toMatchObject({ status: 'paid', statusLabel: 'Paid', amountReceived: 4700 });
    expect(after.payment.id).toMatch(/^pi_/);
    expect(await countRows('transfers', started.orderId)).toBe(2);
    const row = await env.DB.prepare('SELECT email, shipping, charge_id FROM orders WHERE id = ?')
      .bind(started.orderId)
      .first<{ email: string; shipping: string; charge_id: string | null }>();
    expect(row?.email).toBe('ada@example.com');
    expect(JSON.parse(row!.shipping)).toMatchObject({ name: 'Ada Lovelace', address: { city: 'London' } });
    expect(row?.charge_id).toMatch(/^ch_/);
    expect((await buyer.cart.getState()).lines).toEqual([]);
    expect(await stockOf(candle.id)).toBe(3);
    expect((await reservations(started.orderId)).map((r) => r.status)).toEqual(['committed']);

    // The HTML page says it too.
    const page = await buyer.fetch(`/orders/${started.orderId}`, { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(html).toContain('Paid');
    expect(html).toContain('Hive &amp; Wick');
    expect(html).toContain('Gift wrap, please');
  });

  it('declines 4000 0000 0000 0002: the order is not paid and the cart is kept', async () => {
    const { apron } = await twoVendorCatalog();
    const buyer = await shopper();
    await buyer.add(apron, 2);
    const started = await (await buyer.checkout()).json<{ orderId: string; sessionId: string }>();

    const declined = await emu.call('POST', `/_emulator/checkout/sessions/${started.sessionId}/pay`, {
      card: '4000000000000002',
    });
    expect(declined.status).toBe(402);
    await emu.drain();

    const order = await buyer.order(started.orderId);
    expect(order.status).toBe('pending');
    expect(order.statusLabel).not.toBe('Paid');
    expect(await countRows('transfers', started.orderId)).toBe(0);
    expect((await buyer.cart.getState()).lines.map((l) => [l.productId, l.qty])).toEqual([[apron.id, 2]]);
  });

  it('shows the order as paid on return from Stripe even before the webhook arrives', async () => {
    const { apron } = await twoVendorCatalog();
    const buyer = await shopper();
    await buyer.add(apron);
    const started = await (await buyer.checkout()).json<{ orderId: string; sessionId: string }>();
    await emu.pay(started.sessionId);
    // No drain: the order page retrieves the session named in its return URL.
    const order = await buyer.order(started.orderId, `?session_id=${started.sessionId}`);
    expect(order.status).toBe('paid');
    expect((await buyer.cart.getState()).lines).toEqual([]);
    // The webhooks arrive later and change nothing more.
    expect((await emu.drain()).every((d) => d.status === 200)).toBe(true);
    expect(await countRows('transfers', started.orderId)).toBe(1);
  });
});

describe('checkout idempotency', () => {
  it('gives one session and one order for a double click', async () => {
    const { apron } = await twoVendorCatalog();
    const buyer = await shopper();
    await buyer.add(apron);
    const [a, b] = await Promise.all([buyer.checkout(), buyer.checkout()]);
    const first = await a.json<{ orderId: string; sessionId: string; url: string }>();
    const second = await b.json<{ orderId: string; sessionId: string; url: string }>();
    expect(second).toEqual(first);
    const third = await (await buyer.checkout()).json<{ sessionId: string }>();
    expect(third.sessionId).toBe(first.sessionId);
    expect(await ordersOfCart(buyer.cartId)).toHaveLength(1);
    expect(await countRows('checkouts', first.orderId)).toBe(1);
  });

  it('expires the previous session when the cart changed mid-checkout', async () => {
    const { apron, candle } = await twoVendorCatalog();
    const buyer = await shopper();
    await buyer.add(candle, 2);
    const old = await (await buyer.checkout()).json<{ orderId: string; sessionId: string }>();
    expect(await stockOf(candle.id)).toBe(3);

    await buyer.add(apron);
    const res = await buyer.checkout();
    expect(res.status).toBe(200);
    const fresh = await res.json<{ orderId: string; sessionId: string }>();
    expect(fresh.sessionId).not.toBe(old.sessionId);
    expect(fresh.orderId).not.toBe(old.orderId);

    const stale = await getStripe(env).checkout.sessions.retrieve(old.sessionId);
    expect(stale.status).toBe('expired');
    // The stale session can't be paid any more.
    const payStale = await emu.call('POST', `/_emulator/checkout/sessions/${old.sessionId}/pay`, {
      card: '4242424242424242',
    });
    expect(payStale.status).toBeGreaterThanOrEqual(400);
    const orders = await ordersOfCart(buyer.cartId);
    expect(orders.map((o) => o.status)).toEqual(['canceled', 'pending']);
    // The old reservation came back; the new one holds the same two units once.
    expect(await stockOf(candle.id)).toBe(3);

    await emu.drain(); // checkout.session.expired for the old one: nothing more changes
    expect(await stockOf(candle.id)).toBe(3);
    expect((await buyer.order(old.orderId)).status).toBe('canceled');
  });

  it('keeps the order but makes a new session when the e-mail sent changes', async () => {
    const { apron } = await twoVendorCatalog();
    const buyer = await shopper();
    await buyer.add(apron);
    const first = await (
      await buyer.checkout({ email: 'one@example.com' })
    ).json<{ orderId: string; sessionId: string }>();
    const second = await (
      await buyer.checkout({ email: 'two@example.com' })
    ).json<{ orderId: string; sessionId: string }>();
    expect(second.orderId).toBe(first.orderId);
    expect(second.sessionId).not.toBe(first.sessionId);
    expect((await getStripe(env).checkout.sessions.retrieve(first.sessionId)).status).toBe('expired');
    await emu.drain();
    // The expiry of the first session doesn't cancel the order the second one pays.
    expect((await buyer.order(first.orderId)).status).toBe('pending');
    await emu.pay(second.sessionId);
    await emu.drain();
    expect((await buyer.order(first.orderId)).status).toBe('paid');
  });
});

describe('session expiry', () => {
  it('cancels the order and gives its stock back exactly once', async () => {
    const { candle } = await twoVendorCatalog();
    const buyer = await shopper();
    await buyer.add(candle, 4);
    const started = await (await buyer.checkout()).json<{ orderId: string; sessionId: string }>();
    expect(await stockOf(candle.id)).toBe(1);

    await getStripe(env).checkout.sessions.expire(started.sessionId);
    const [delivery] = (await emu.drain()).filter((d) => d.type === 'checkout.session.expired');
    expect(delivery?.status).toBe(200);
    expect((await buyer.order(started.orderId)).status).toBe('canceled');
    expect(await stockOf(candle.id)).toBe(5);

    // Stripe delivers it again (at least once): still five.
    await emu.resend(delivery!.event_id);
    await emu.duplicate(delivery!.event_id);
    expect(await stockOf(candle.id)).toBe(5);
    // The cart is untouched and can be checked out again: a new order.
    const again = await (await buyer.checkout()).json<{ orderId: string }>();
    expect(again.orderId).not.toBe(started.orderId);
    expect(await stockOf(candle.id)).toBe(1);
  });
});
