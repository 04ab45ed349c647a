// Codes are for one-off purchases: a cart holding a subscription product refuses a code at checkout (a
// code would take money off once while the subscription bills full price every period), and says so.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { seedCatalog } from '../helpers/checkout-fixtures';
import { shopper } from '../helpers/checkout-flow';
import { applyCode, createCode, freshCode } from '../helpers/discount-fixtures';
import { heldEmulator } from '../helpers/emulator';

heldEmulator();

describe('discount codes and subscriptions', () => {
  it('a cart with a recurring product refuses a code at checkout with a clear message, and starts no session', async () => {
    const { products } = await seedCatalog([{ name: 'Tea club', unitAmount: 1500 }]);
    const plan = products[0]!;
    await env.DB.prepare("UPDATE products SET recurring_interval = 'month' WHERE id = ?").bind(plan.id).run();
    const code = await createCode({ code: freshCode('SUB'), percentOff: 10, fundedBy: 'platform' });

    const buyer = await shopper();
    const added = await buyer.fetch('/cart/items', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ productId: plan.id, qty: 1 }),
    });
    expect(added.status).toBe(200);
    expect((await applyCode(buyer, code.code)).status).toBe(200);

    const res = await buyer.checkout({ email: 'club@example.com' });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = await res.json<{ code: string; detail: string }>();
    expect(problem.code).toBe('discount_refused');
    expect(problem.detail).toContain('one-off purchases');
    const orders = await env.DB.prepare('SELECT count(*) AS n FROM orders WHERE cart_id = ?')
      .bind(buyer.cartId)
      .first<{ n: number }>();
    expect(orders!.n).toBe(0);

    // Without the code, the same cart subscribes.
    const removed = await buyer.fetch('/cart/discount', {
      method: 'DELETE',
      headers: { origin: 'http://localhost' },
    });
    expect(removed.status).toBe(200);
    const ok = await buyer.checkout({ email: 'club@example.com' });
    expect(ok.status).toBe(200);
  });
});
