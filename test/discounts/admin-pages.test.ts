// The admin's discount page: the list, the create form (its errors shown on the page) and deactivation;
// the JSON API's update and list.
import { describe, expect, it } from 'vitest';
import { adminApi, adminCookie, adminForm, adminPage } from '../helpers/admin-fixtures';
import { seedCatalog } from '../helpers/checkout-fixtures';
import { freshCode } from '../helpers/discount-fixtures';

describe('/admin/discounts', () => {
  it('creates a code from the form, shows form errors on the page, deactivates', async () => {
    const cookie = await adminCookie();
    const shop = await seedCatalog([{ unitAmount: 100 }]);
    const code = freshCode('ADM');
    const bad = await adminForm(
      '/admin/discounts',
      { code, percentOff: '150', fundedBy: 'platform' },
      cookie,
    );
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('percentOff');
    const foreign = await adminForm(
      '/admin/discounts',
      { code, percentOff: '10', fundedBy: 'vendor', storeId: shop.storeId, productIds: 'prod_nope' },
      cookie,
    );
    expect(foreign.status).toBe(422);
    expect(await foreign.text()).toContain('There is no product prod_nope.');
    const ok = await adminForm(
      '/admin/discounts',
      {
        code,
        percentOff: '10',
        fundedBy: 'vendor',
        storeId: shop.storeId,
        productIds: shop.products[0]!.id,
        maxRedemptions: '3',
        oncePerCustomer: 'on',
      },
      cookie,
    );
    expect(ok.status).toBe(303);
    const page = await (await adminPage('/admin/discounts', cookie)).text();
    expect(page).toContain(code.toLowerCase());
    expect(page).toContain('10% off');
    expect(page).toContain('0 / 3');

    const list = await (
      await adminApi('/admin/api/discounts')
    ).json<{
      discounts: { id: string; code: string; oncePerCustomer: boolean; productIds: string[] }[];
    }>();
    const made = list.discounts.find((d) => d.code === code.toLowerCase())!;
    expect(made).toMatchObject({ oncePerCustomer: true, productIds: [shop.products[0]!.id] });
    const off = await adminForm(`/admin/discounts/${made.id}/deactivate`, {}, cookie);
    expect(off.status).toBe(303);
    const one = await (
      await adminApi(`/admin/api/discounts/${made.id}`)
    ).json<{ discount: { active: boolean } }>();
    expect(one.discount.active).toBe(false);
    // Updates: dates must stay in order; unknown fields and unknown ids are refused.
    expect(
      (
        await adminApi(`/admin/api/discounts/${made.id}`, {
          method: 'PATCH',
          body: { startsAt: 2000, endsAt: 1000 },
        })
      ).status,
    ).toBe(422);
    expect(
      (await adminApi(`/admin/api/discounts/${made.id}`, { method: 'PATCH', body: { code: 'x' } })).status,
    ).toBe(422);
    expect(
      (await adminApi('/admin/api/discounts/disc_nope', { method: 'PATCH', body: { active: true } })).status,
    ).toBe(404);
    expect((await adminApi('/admin/api/discounts', { token: null })).status).toBe(401);
  });
});
