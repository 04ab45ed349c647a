// Racing for the last redemption: 20 shoppers check out with a code that has one use left. Checkout
// lets each start (none has paid yet); the paid batch counts exactly one redemption, and every other
// order that still paid at the code's price is flagged for an operator (never a silent over-redemption).
// Once the code is used up, a new checkout is refused. Once-per-customer codes work the same way by e-mail.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { seedCatalog } from '../helpers/checkout-fixtures';
import { shopper } from '../helpers/checkout-flow';
import { applyCode, codeRow, createCode, freshCode } from '../helpers/discount-fixtures';
import { heldEmulator } from '../helpers/emulator';

const emu = heldEmulator();

async function redemptionsOf(discountId: string) {
  const row = await env.DB.prepare('SELECT count(*) AS n FROM discount_redemptions WHERE discount_id = ?')
    .bind(discountId)
    .first<{ n: number }>();
  return row!.n;
}

describe('20 concurrent checkouts on a code with 1 redemption left', () => {
  it('records exactly one redemption; the other paid orders are flagged; the next checkout is refused', async () => {
    const shop = await seedCatalog([{ unitAmount: 1500 }]);
    const code = freshCode('LAST');
    const made = await createCode({
      code,
      amountOff: 200,
      fundedBy: 'vendor',
      storeId: shop.storeId,
      maxRedemptions: 5,
    });
    await env.DB.prepare('UPDATE discounts SET redemptions = 4 WHERE id = ?').bind(made.id).run();
    // Four earlier (paid) orders hold the first four redemptions.
    for (let i = 0; i < 4; i++)
      await env.DB.prepare('INSERT INTO discount_redemptions (order_id, discount_id) VALUES (?, ?)')
        .bind(`ord_earlier_${made.id}_${i}`, made.id)
        .run();

    const shoppers = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const s = await shopper();
        await s.add(shop.products[0]!, 1);
        expect((await applyCode(s, code)).status).toBe(200);
        return s;
      }),
    );
    // One more shopper enters the code now but checks out only after the others paid.
    const early = await shopper();
    await early.add(shop.products[0]!, 1);
    expect((await applyCode(early, code)).status).toBe(200);
    const started = await Promise.all(shoppers.map((s) => s.checkout()));
    expect(started.map((r) => r.status)).toEqual(Array(20).fill(200));
    const sessions = await Promise.all(started.map((r) => r.json<{ orderId: string; sessionId: string }>()));
    await Promise.all(sessions.map((x) => emu.pay(x.sessionId)));
    const deliveries = await emu.drain();
    expect(deliveries.every((d) => d.status === 200)).toBe(true);

    expect(await redemptionsOf(made.id)).toBe(5);
    expect((await codeRow(made.id))!.redemptions).toBe(5);
    const orders = await env.DB.prepare(
      `SELECT o.id, o.status, o.flag, r.order_id AS redeemed FROM orders o
       LEFT JOIN discount_redemptions r ON r.order_id = o.id WHERE o.id IN (${sessions.map(() => '?').join(',')})`,
    )
      .bind(...sessions.map((x) => x.orderId))
      .all<{ id: string; status: string; flag: string | null; redeemed: string | null }>();
    expect(orders.results.every((o) => o.status === 'paid')).toBe(true);
    const winners = orders.results.filter((o) => o.redeemed !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]!.flag).toBeNull();
    const losers = orders.results.filter((o) => o.redeemed === null);
    expect(losers).toHaveLength(19);
    expect(losers.every((o) => o.flag?.includes('discount_over_limit'))).toBe(true);

    // Now used up: a new shopper can't enter it, and one who entered it earlier is refused at checkout.
    const late = await shopper();
    await late.add(shop.products[0]!, 1);
    expect((await applyCode(late, code)).status).toBe(422);
    const refused = await early.checkout();
    expect(refused.status).toBe(409);
    expect((await refused.json<{ detail: string }>()).detail).toMatch(/used up/);
  });
});

describe('a once-per-customer code', () => {
  it('is refused at checkout for an e-mail that redeemed it; a second paid order by the same e-mail is not counted', async () => {
    const shop = await seedCatalog([{ unitAmount: 1000 }]);
    const code = freshCode('ONCE');
    const made = await createCode({ code, percentOff: 10, fundedBy: 'platform', oncePerCustomer: true });
    const email = `once.${made.id.slice(-6)}@example.com`;
    const [a, b] = await Promise.all([shopper(), shopper()]);
    for (const s of [a, b]) {
      await s.add(shop.products[0]!, 1);
      expect((await applyCode(s, code)).status).toBe(200);
    }
    // Both start before either pays: both may pay, only one use is counted.
    const [ra, rb] = await Promise.all([a.checkout({ email }), b.checkout({ email })]);
    const [sa, sb] = await Promise.all([ra.json<{ sessionId: string }>(), rb.json<{ sessionId: string }>()]);
    await emu.pay(sa.sessionId, { email });
    await emu.pay(sb.sessionId, { email });
    await emu.drain();
    expect(await redemptionsOf(made.id)).toBe(1);

    const c = await shopper();
    await c.add(shop.products[0]!, 1);
    expect((await applyCode(c, code)).status).toBe(200);
    const refused = await c.checkout({ email: email.toUpperCase() });
    expect(refused.status).toBe(409);
    expect((await refused.json<{ detail: string }>()).detail).toMatch(/once per customer/);
  });
});
