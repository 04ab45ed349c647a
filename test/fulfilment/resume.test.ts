// Resume payment and the unpaid-order sweep through SELF.fetch and the emulator: a shopper who left
// Stripe's page gets "Complete payment", a fresh session for the same order (the old one expired), and
// pays; an order nobody pays is canceled after PENDING_ORDER_TTL_MINUTES with its stock back once.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { cancelUnpaidOrders } from '../../src/checkout/resume';
import { getStripe } from '../../src/stripe/client';
import { seedCatalog, stockOf } from '../helpers/checkout-fixtures';
import { shopper } from '../helpers/checkout-flow';
import { heldEmulator } from '../helpers/emulator';

const emu = heldEmulator();

function post(buyer: Awaited<ReturnType<typeof shopper>>, path: string) {
  return buyer.fetch(path, { method: 'POST', headers: { origin: 'http://localhost' } });
}

describe('resume payment', () => {
  it('opens a fresh session for the same order, expires the old one, and the order is paid once', async () => {
    const { products } = await seedCatalog([{ unitAmount: 1800, stock: 3 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!, 2);
    const res = await buyer.checkout({ email: 'resume@example.com' });
    const { orderId, sessionId } = await res.json<{ orderId: string; sessionId: string }>();

    // Back on the order page without paying: "Complete payment".
    const page = await buyer.fetch(`/orders/${orderId}`, { headers: { accept: 'text/html' } });
    expect(await page.text()).toContain(`action="/orders/${orderId}/resume"`);

    const resumed = await post(buyer, `/orders/${orderId}/resume`);
    expect(resumed.status).toBe(201);
    const fresh = await resumed.json<{ orderId: string; sessionId: string; url: string }>();
    expect(fresh.orderId).toBe(orderId);
    expect(fresh.sessionId).not.toBe(sessionId);
    const old = await getStripe(env).checkout.sessions.retrieve(sessionId);
    expect(old.status).toBe('expired');
    // Paying the old one is no longer possible.
    await expect(emu.pay(sessionId)).rejects.toThrow();

    await emu.pay(fresh.sessionId);
    await emu.drain();
    const order = await buyer.order(orderId);
    expect(order).toMatchObject({ status: 'paid', total: 4100 });
    expect(await stockOf(products[0]!.id)).toBe(1);

    // Paid: resume is refused; a stranger is told the order does not exist.
    expect((await post(buyer, `/orders/${orderId}/resume`)).status).toBe(409);
    const stranger = await shopper();
    expect((await post(stranger, `/orders/${orderId}/resume`)).status).toBe(404);
  });

  it('refuses to resume once the cart changed', async () => {
    const { products } = await seedCatalog([{ unitAmount: 900 }, { unitAmount: 500 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!, 1);
    const { orderId } = await (await buyer.checkout()).json<{ orderId: string }>();
    await buyer.add(products[1]!, 1);
    const res = await post(buyer, `/orders/${orderId}/resume`);
    expect(res.status).toBe(409);
  });
});

describe('unpaid orders', () => {
  it('are canceled after the TTL, sessions expired, stock released exactly once', async () => {
    const { products } = await seedCatalog([{ unitAmount: 1200, stock: 5 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!, 2);
    const { orderId, sessionId } = await (
      await buyer.checkout()
    ).json<{ orderId: string; sessionId: string }>();
    expect(await stockOf(products[0]!.id)).toBe(3);

    // Not old enough: nothing happens.
    expect(await cancelUnpaidOrders(env)).toBe(0);
    await env.DB.prepare('UPDATE orders SET created_at = created_at - 25 * 3600 WHERE id = ?')
      .bind(orderId)
      .run();
    const counts = await Promise.all([cancelUnpaidOrders(env), cancelUnpaidOrders(env)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await cancelUnpaidOrders(env)).toBe(0);
    expect(await stockOf(products[0]!.id)).toBe(5);
    expect((await buyer.order(orderId)).status).toBe('canceled');
    expect((await getStripe(env).checkout.sessions.retrieve(sessionId)).status).toBe('expired');
    // The expiry event arriving later changes nothing.
    await emu.drain();
    expect(await stockOf(products[0]!.id)).toBe(5);
  });
});
