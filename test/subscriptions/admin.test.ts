// Operators' Subscriptions (list, detail with periods, orders, transfers and events, cancel; JSON under
// /admin/api/subscriptions) and the vendor dashboard's subscription figures.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { getStripe } from '../../src/stripe/client';
import { adminApi } from '../helpers/admin-fixtures';
import { seedCatalog } from '../helpers/checkout-fixtures';
import { shopper } from '../helpers/checkout-flow';
import { heldEmulator } from '../helpers/emulator';
import { browse, vendorCookie } from '../helpers/vendor-fixtures';

const emu = heldEmulator();
const stripe = getStripe(env);

async function subscribed() {
  const vendor = await seedCatalog([{ name: 'Bread club', unitAmount: 3000 }], { name: 'Crumb Bakery' });
  const bread = vendor.products[0]!;
  await env.DB.prepare(`UPDATE products SET recurring_interval = 'week' WHERE id = ?`).bind(bread.id).run();
  const email = `adm-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const buyer = await shopper();
  await buyer.add(bread);
  const started = await (await buyer.checkout({ email })).json<{ sessionId: string }>();
  const paid = await emu.pay(started.sessionId, { email });
  await emu.drain();
  return { vendor, subscriptionId: paid.subscription!, email };
}

describe('admin subscriptions', () => {
  it('lists and details a subscription with its periods, transfers and events; cancels it', async () => {
    const { vendor, subscriptionId, email } = await subscribed();
    const end = (await stripe.subscriptions.retrieve(subscriptionId)).items.data[0]!.current_period_end;
    const { now } = await emu.advanceClock(0);
    await emu.advanceClock(end - now + 60);
    await emu.drain();

    expect((await adminApi('/admin/api/subscriptions', { token: null })).status).toBe(401);
    const list = await (
      await adminApi('/admin/api/subscriptions?status=active')
    ).json<{
      subscriptions: { id: string; email: string; vendors: string; products: string }[];
    }>();
    expect(list.subscriptions.find((s) => s.id === subscriptionId)).toMatchObject({
      email,
      vendors: 'Crumb Bakery',
      products: '1 × Bread club',
    });
    expect((await adminApi('/admin/api/subscriptions?status=bogus')).status).toBe(422);

    const detail = await (
      await adminApi(`/admin/api/subscriptions/${subscriptionId}`)
    ).json<{
      subscription: { status: string; invoices: { status: string; orderId: string }[] };
      transfers: { orderId: string; storeId: string; amount: number }[];
      events: { type: string }[];
    }>();
    expect(detail.subscription.status).toBe('active');
    expect(detail.subscription.invoices).toHaveLength(2);
    expect(detail.transfers.map((t) => [t.storeId, t.amount])).toEqual([
      [vendor.storeId, 2700],
      [vendor.storeId, 2700],
    ]);
    expect(detail.events.map((e) => e.type)).toContain('invoice.paid');

    const page = await adminApi(`/admin/subscriptions/${subscriptionId}`, {
      headers: { accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Crumb Bakery');
    expect(html).toContain('Cancel now');
    expect((await adminApi('/admin/api/subscriptions/sub_nope')).status).toBe(404);

    // The vendor sees one subscriber and the renewal's payout.
    const dash = await browse('/vendor', await vendorCookie(vendor.storeId));
    const dashHtml = await dash.text();
    expect(dashHtml).toContain('data-subscribers="1"');
    expect(dashHtml).toContain('$27.00 from 1 renewals');

    const canceled = await adminApi(`/admin/api/subscriptions/${subscriptionId}/cancel`, {
      method: 'POST',
      body: { at_period_end: false },
    });
    expect(canceled.status).toBe(200);
    expect((await canceled.json<{ subscription: { status: string } }>()).subscription.status).toBe(
      'canceled',
    );
    await emu.drain();
    const again = await adminApi(`/admin/api/subscriptions/${subscriptionId}/cancel`, { method: 'POST' });
    expect(again.status).toBe(200);
    expect((await adminApi('/admin/api/subscriptions/sub_nope/cancel', { method: 'POST' })).status).toBe(404);
  });
});
