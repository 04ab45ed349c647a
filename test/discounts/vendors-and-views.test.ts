// Vendors' own codes (funded by and limited to their store) and where a discount is shown: the order
// page (JSON and HTML), the receipt, the admin order view and the vendor dashboard, each naming the
// discount per line and who funded it.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { adminApi } from '../helpers/admin-fixtures';
import { seedCatalog } from '../helpers/checkout-fixtures';
import { shopper } from '../helpers/checkout-flow';
import { applyCode, freshCode } from '../helpers/discount-fixtures';
import { heldEmulator } from '../helpers/emulator';
import { waitForMail } from '../helpers/mail';
import { browse, vendorCookie } from '../helpers/vendor-fixtures';

const emu = heldEmulator();
const ORIGIN = 'http://localhost';

function vendorPost(path: string, cookie: string, body: unknown) {
  return SELF.fetch(`${ORIGIN}${path}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', accept: 'application/json', origin: ORIGIN },
    body: JSON.stringify(body),
    redirect: 'manual',
  });
}

describe('vendor codes', () => {
  it('a vendor creates codes for its own products only, and deactivates only its own', async () => {
    const mine = await seedCatalog([{ unitAmount: 1000 }]);
    const theirs = await seedCatalog([{ unitAmount: 1000 }]);
    const cookie = await vendorCookie(mine.storeId);
    const ok = await vendorPost('/vendor/discounts', cookie, {
      code: freshCode('V'),
      percentOff: 15,
      productIds: [mine.products[0]!.id],
    });
    expect(ok.status).toBe(201);
    const made = (await ok.json<{ discount: { id: string; storeId: string; fundedBy: string } }>()).discount;
    expect(made).toMatchObject({ storeId: mine.storeId, fundedBy: 'vendor' });

    for (const body of [
      { code: freshCode('V'), percentOff: 15, productIds: [theirs.products[0]!.id] },
      { code: freshCode('V'), percentOff: 15, storeId: theirs.storeId },
      { code: freshCode('V'), percentOff: 15, fundedBy: 'platform' },
      { code: freshCode('V'), amountOff: 100, freeShipping: true },
    ]) {
      const res = await vendorPost('/vendor/discounts', cookie, body);
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const bad = await vendorPost('/vendor/discounts', cookie, { code: freshCode('V'), percentOff: 150 });
    expect(bad.status).toBe(422);
    const list = await SELF.fetch(`${ORIGIN}/vendor/discounts`, {
      headers: { cookie, accept: 'application/json' },
    });
    expect((await list.json<{ discounts: unknown[] }>()).discounts).toHaveLength(1);

    // Its vendor can change its limits; another vendor can't touch it.
    const patched = await SELF.fetch(`${ORIGIN}/vendor/discounts/${made.id}`, {
      method: 'PATCH',
      headers: { cookie, 'content-type': 'application/json', accept: 'application/json', origin: ORIGIN },
      body: JSON.stringify({ maxRedemptions: 10, percentOff: 90 }),
    });
    // What a code takes off is fixed once created.
    expect(patched.status).toBe(422);
    const limited = await SELF.fetch(`${ORIGIN}/vendor/discounts/${made.id}`, {
      method: 'PATCH',
      headers: { cookie, 'content-type': 'application/json', accept: 'application/json', origin: ORIGIN },
      body: JSON.stringify({ maxRedemptions: 10 }),
    });
    expect((await limited.json<{ discount: { maxRedemptions: number } }>()).discount.maxRedemptions).toBe(10);
    const other = await vendorCookie(theirs.storeId);
    expect((await vendorPost(`/vendor/discounts/${made.id}/deactivate`, other, {})).status).toBe(404);
    expect((await vendorPost(`/vendor/discounts/${made.id}/deactivate`, cookie, {})).status).toBe(200);
    const page = await (await browse('/vendor', cookie)).text();
    expect(page).toContain('Discount codes');
    expect(page).toContain('inactive');
    // Not signed in: 401.
    expect((await vendorPost('/vendor/discounts', '', { code: 'x', percentOff: 1 })).status).toBe(401);
  });
});

describe('a discounted order shows its discount per line and who funded it', () => {
  it('order page, receipt, admin order view and vendor dashboard', async () => {
    const shop = await seedCatalog([
      { name: 'Oak board', unitAmount: 3000 },
      { name: 'Oil', unitAmount: 1000 },
    ]);
    const cookie = await vendorCookie(shop.storeId);
    const code = freshCode('SHOW');
    expect(
      (
        await vendorPost('/vendor/discounts', cookie, {
          code,
          amountOff: 400,
          productIds: [shop.products[0]!.id],
        })
      ).status,
    ).toBe(201);
    const s = await shopper();
    await s.add(shop.products[0]!, 1);
    await s.add(shop.products[1]!, 1);
    expect((await applyCode(s, code)).status).toBe(200);
    const email = `views.${code.toLowerCase()}@example.com`;
    const res = await s.checkout({ email });
    const { orderId, sessionId } = await res.json<{ orderId: string; sessionId: string }>();
    await emu.pay(sessionId, { email });
    await emu.drain();

    const order = await s.order(orderId);
    expect(order.lines.map((l) => [l.name, (l as { discountAmount?: number }).discountAmount])).toEqual([
      ['Oak board', 400],
      ['Oil', 0],
    ]);
    const html = await (await s.fetch(`/orders/${orderId}`, { headers: { accept: 'text/html' } })).text();
    expect(html).toContain('Discount −$4.00, funded by the seller');

    const [receipt] = await waitForMail(email, { kind: 'order_receipt' });
    expect(receipt!.text).toContain('Discount −$4.00, funded by the seller');

    const admin = await adminApi(`/admin/orders/${orderId}`, { headers: { accept: 'text/html' } });
    const adminHtml = await admin.text();
    expect(adminHtml).toContain('Discount −$4.00, funded by the seller');
    expect(adminHtml).toContain(code.toLowerCase());
    const adminJson = await (
      await adminApi(`/admin/api/orders/${orderId}`)
    ).json<{ discount: { code: string } }>();
    expect(adminJson.discount.code).toBe(code.toLowerCase());

    const dashboard = await (await browse('/vendor', cookie)).text();
    expect(dashboard).toContain('Discount −$4.00, funded by the seller');
    const row = await env.DB.prepare('SELECT redemptions FROM discounts WHERE code = ?')
      .bind(code.toLowerCase())
      .first<{ redemptions: number }>();
    expect(row!.redemptions).toBe(1);
  });
});
