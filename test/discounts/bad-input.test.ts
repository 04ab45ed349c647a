// Codes that must not apply, and code bodies that must not be stored: each a clear 4xx
// (problem+json) and the cart, or the code list, unchanged.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { adminApi } from '../helpers/admin-fixtures';
import { seedCatalog } from '../helpers/checkout-fixtures';
import { shopper } from '../helpers/checkout-flow';
import { applyCode, createCode, freshCode } from '../helpers/discount-fixtures';
import type { CartView } from '../../src/cart/types';

async function cartWith(unitAmount = 1000) {
  const shop = await seedCatalog([{ unitAmount }]);
  const s = await shopper();
  await s.add(shop.products[0]!, 1);
  return { s, shop };
}

async function expectRefused(res: Response, status: number, text?: RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const problem = await res.json<{ detail: string }>();
  if (text) expect(problem.detail).toMatch(text);
  return problem;
}

describe('POST /cart/discount refuses codes that do not apply, leaving the cart as it was', () => {
  it('unknown, inactive, expired, not started, exhausted, out of scope, below minimum, 10 KB, empty', async () => {
    const { s } = await cartWith(1000);
    const other = await seedCatalog([{ unitAmount: 500 }]);
    const now = Math.floor(Date.now() / 1000);
    const inactive = freshCode();
    const made = await createCode({ code: inactive, percentOff: 10, fundedBy: 'platform' });
    expect((await adminApi(`/admin/api/discounts/${made.id}/deactivate`, { method: 'POST' })).status).toBe(
      200,
    );
    const expired = freshCode();
    await createCode({
      code: expired,
      percentOff: 10,
      fundedBy: 'platform',
      startsAt: now - 100,
      endsAt: now - 10,
    });
    const later = freshCode();
    await createCode({ code: later, percentOff: 10, fundedBy: 'platform', startsAt: now + 3600 });
    const exhausted = freshCode();
    const ex = await createCode({ code: exhausted, amountOff: 100, fundedBy: 'platform', maxRedemptions: 1 });
    await env.DB.prepare('UPDATE discounts SET redemptions = 1 WHERE id = ?').bind(ex.id).run();
    const otherVendor = freshCode();
    await createCode({ code: otherVendor, percentOff: 10, fundedBy: 'vendor', storeId: other.storeId });
    const minimum = freshCode();
    await createCode({ code: minimum, amountOff: 100, fundedBy: 'platform', minSubtotal: 5000 });

    const before = await (await s.fetch('/cart')).json<CartView>();
    await expectRefused(await applyCode(s, 'NOSUCHCODE'), 422, /no such code/i);
    await expectRefused(await applyCode(s, inactive), 422, /no longer active/);
    await expectRefused(await applyCode(s, expired), 422, /expired/);
    await expectRefused(await applyCode(s, later), 422, /not valid yet/);
    await expectRefused(await applyCode(s, exhausted), 422, /used up/);
    await expectRefused(await applyCode(s, otherVendor), 422, /does not apply to anything/);
    await expectRefused(await applyCode(s, minimum), 422, /at least \$50\.00/);
    await expectRefused(await applyCode(s, 'x'.repeat(10 * 1024)), 422);
    await expectRefused(await applyCode(s, '   '), 422);
    await expectRefused(await applyCode(s, 'two words'), 422);
    const after = await (await s.fetch('/cart')).json<CartView>();
    expect(after.version).toBe(before.version);
    expect(after.discount).toBeUndefined();
  });

  it('the cart page form shows the reason on the page', async () => {
    const { s } = await cartWith();
    const res = await s.fetch('/cart/discount', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html',
        origin: 'http://localhost',
      },
      body: 'code=NOSUCHCODE',
    });
    expect(res.status).toBe(422);
    const page = await res.text();
    // The cart page again, with the reason by the code box.
    expect(page).toContain('There is no such code.');
    expect(page).toContain('data-discount-error');
    expect(page).toContain('action="/checkout"');
    const long = await s.fetch('/cart/discount', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html',
        origin: 'http://localhost',
      },
      body: `code=${'x'.repeat(10 * 1024)}`,
    });
    expect(long.status).toBe(422);
    expect(await long.text()).toContain('A code has at most 64 characters.');
  });

  it('codes differing only in case or spaces are the same code', async () => {
    const code = freshCode();
    await createCode({ code, percentOff: 10, fundedBy: 'platform' });
    const dup = await adminApi('/admin/api/discounts', {
      body: { code: `  ${code.toLowerCase()}  `, percentOff: 20, fundedBy: 'platform' },
    });
    await expectRefused(dup, 409);
    const { s } = await cartWith();
    expect((await applyCode(s, ` ${code.toLowerCase()}`)).status).toBe(200);
  });
});

describe('a code that stops applying after it was entered', () => {
  it('the cart says why and checkout refuses (409) instead of charging more than shown', async () => {
    const { s } = await cartWith(2000);
    const code = freshCode();
    const made = await createCode({ code, amountOff: 300, fundedBy: 'platform' });
    expect((await applyCode(s, code)).status).toBe(200);
    await adminApi(`/admin/api/discounts/${made.id}`, { method: 'PATCH', body: { maxRedemptions: 1 } });
    await env.DB.prepare('UPDATE discounts SET redemptions = 1 WHERE id = ?').bind(made.id).run();
    const view = await (await s.fetch('/cart')).json<CartView>();
    expect(view.discount).toMatchObject({ applied: false, amount: 0 });
    expect(view.discount?.reason).toMatch(/used up/);
    expect(view.notices.join(' ')).toMatch(/does not apply/);
    expect(view.lines[0]!.discountAmount ?? 0).toBe(0);
    await expectRefused(await s.checkout(), 409, /no longer applies/);
    // Removing the code lets the shopper check out at the full price.
    expect(
      (await s.fetch('/cart/discount', { method: 'DELETE', headers: { origin: 'http://localhost' } })).status,
    ).toBe(200);
    expect((await s.checkout()).status).toBe(200);
  });
});

describe('admin API refuses bad codes', () => {
  it('percent above 100, negative amount, both kinds, none, bad dates, unknown store or product, vendor without store', async () => {
    const shop = await seedCatalog([{ unitAmount: 100 }]);
    const other = await seedCatalog([{ unitAmount: 100 }]);
    const bodies: Record<string, unknown>[] = [
      { code: freshCode(), percentOff: 101, fundedBy: 'platform' },
      { code: freshCode(), percentOff: 0, fundedBy: 'platform' },
      { code: freshCode(), amountOff: -5, fundedBy: 'platform' },
      { code: freshCode(), amountOff: 1.5, fundedBy: 'platform' },
      { code: freshCode(), percentOff: 10, amountOff: 100, fundedBy: 'platform' },
      { code: freshCode(), fundedBy: 'platform' },
      { code: freshCode(), percentOff: 10, fundedBy: 'platform', startsAt: 2000, endsAt: 1000 },
      { code: freshCode(), percentOff: 10, fundedBy: 'platform', storeId: 'store_nope' },
      { code: freshCode(), percentOff: 10, fundedBy: 'platform', productIds: ['prod_nope'] },
      { code: freshCode(), percentOff: 10, fundedBy: 'vendor' },
      {
        code: freshCode(),
        percentOff: 10,
        fundedBy: 'vendor',
        storeId: shop.storeId,
        productIds: [other.products[0]!.id],
      },
      { code: 'x'.repeat(10 * 1024), percentOff: 10, fundedBy: 'platform' },
      { code: freshCode(), percentOff: 10, fundedBy: 'platform', surprise: true },
    ];
    const before = await (await adminApi('/admin/api/discounts')).json<{ discounts: unknown[] }>();
    for (const body of bodies) await expectRefused(await adminApi('/admin/api/discounts', { body }), 422);
    expect(
      (await adminApi('/admin/api/discounts', { body: { code: 'x', percentOff: 5 }, token: null })).status,
    ).toBe(401);
    const after = await (await adminApi('/admin/api/discounts')).json<{ discounts: unknown[] }>();
    expect(after.discounts.length).toBe(before.discounts.length);
  });
});
