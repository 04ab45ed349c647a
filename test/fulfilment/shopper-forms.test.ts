// The shopper's after-payment forms on the order page through SELF.fetch and the emulator, as a browser
// without JavaScript posts them: cancel a vendor's items or the whole order (each behind a disclosure that
// asks first), ask for a return of shipped units, "I received it"; each answers 303 back to the order with
// a flash; refusals (already shipped, too many units, no reason) are 4xx pages that say why.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { signedOrderPath } from '../../src/lib/order-link';
import { heldEmulator } from '../helpers/emulator';
import { paidMultiVendorOrder, vendorClient } from '../helpers/fulfilment';

const emu = heldEmulator();
const ORIGIN = 'http://localhost';

type Buyer = Awaited<ReturnType<typeof paidMultiVendorOrder>>['buyer'];

function postForm(buyer: Buyer, path: string, fields: Record<string, string>) {
  return buyer.fetch(path, {
    method: 'POST',
    headers: { origin: ORIGIN, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

async function page(buyer: Buyer, path: string) {
  const res = await buyer.fetch(path, { headers: { accept: 'text/html' } });
  expect(res.status).toBe(200);
  return res.text();
}

/** The text of one vendor's part on the order page. */
function partHtml(html: string, storeId: string): string {
  const start = html.indexOf(`data-store-id="${storeId}"`);
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</article>', start));
}

describe("the shopper's order page forms", () => {
  it('cancel one vendor: asks first, 303 with a flash; shipped vendors offer returns, not cancel', async () => {
    const { orderId, stores, buyer } = await paidMultiVendorOrder(emu, [
      [{ unitAmount: 1500, qty: 2 }],
      [{ unitAmount: 900, qty: 1 }],
    ]);
    const [a, b] = stores;
    let html = await page(buyer, `/orders/${orderId}`);
    // Nothing shipped: each part and the whole order can be cancelled, each behind a confirmation.
    expect(partHtml(html, a!.storeId)).toContain('Cancel this vendor&#39;s items');
    expect(html).toContain('Cancel whole order');
    expect(html).toContain(`action="/orders/${orderId}/cancel"`);
    expect(html).toMatch(/<details[^>]*>\s*<summary[^>]*>Cancel whole order/);
    expect(html).not.toContain('Return items');

    // Vendor A ships one of two mugs with a tracking link.
    const vendor = await vendorClient(a!.storeId);
    const shipped = await vendor.postForm(`/vendor/orders/${orderId}/shipments`, {
      carrier: 'Royal Mail',
      tracking_number: 'RM42',
      tracking_url: 'https://track.example/RM42',
      [`qty.${a!.products[0]!.id}`]: '1',
    });
    expect(shipped.status).toBe(303);

    html = await page(buyer, `/orders/${orderId}`);
    const partA = partHtml(html, a!.storeId);
    expect(partA).toContain('Partly shipped');
    expect(partA).toContain('href="https://track.example/RM42"');
    expect(partA).not.toContain('Cancel this vendor');
    expect(partA).toContain('Return items / ask for a refund');
    expect(partA).toContain(`name="qty.${a!.products[0]!.id}"`);
    expect(partA).toContain('max="1"');
    // Something shipped: the whole order can no longer be cancelled.
    expect(html).not.toContain('Cancel whole order');

    // Cancelling A now is refused with the reason, on a page that leads back to the order.
    const late = await postForm(buyer, `/orders/${orderId}/parts/${a!.storeId}/cancel`, { reason: '' });
    expect(late.status).toBe(409);
    const lateHtml = await late.text();
    expect(lateHtml).toContain('already shipped');
    expect(lateHtml).toContain(`href="/orders/${orderId}"`);
    const whole = await postForm(buyer, `/orders/${orderId}/cancel`, {});
    expect(whole.status).toBe(409);

    // B's part is cancelled with a reason: 303 back to the order with a flash.
    const res = await postForm(buyer, `/orders/${orderId}/parts/${b!.storeId}/cancel`, {
      reason: 'Found it cheaper',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/orders/${orderId}?notice=part-cancelled`);
    html = await page(buyer, res.headers.get('location')!);
    expect(html).toContain('your refund is on its way');
    const partB = partHtml(html, b!.storeId);
    expect(partB).toContain('Cancelled');
    expect(partB).toContain('Found it cheaper');
    expect(partB).not.toContain('Cancel this vendor');
  });

  it('returns: the form takes shipped units only, 422 pages say why, history shows the decision', async () => {
    const { orderId, stores, buyer } = await paidMultiVendorOrder(emu, [
      [
        { unitAmount: 1200, qty: 2 },
        { unitAmount: 500, qty: 1 },
      ],
    ]);
    const [a] = stores;
    const [mug, bowl] = a!.products;
    const vendor = await vendorClient(a!.storeId);
    expect(
      (
        await vendor.postForm(`/vendor/orders/${orderId}/shipments`, {
          carrier: 'DPD',
          tracking_number: 'D1',
          [`qty.${mug!.id}`]: '2',
          [`qty.${bowl!.id}`]: '1',
        })
      ).status,
    ).toBe(303);
    const path = `/orders/${orderId}/returns`;
    const base = { store_id: a!.storeId, reason: 'Too small' };

    for (const [fields, message] of [
      [{ ...base, [`qty.${mug!.id}`]: '3' }, 'at most 2'],
      [{ ...base, [`qty.${mug!.id}`]: '1.5' }, 'whole number'],
      [{ ...base, [`qty.${mug!.id}`]: '-1' }, 'at least 1'],
      [{ ...base }, 'Choose at least one item'],
      [{ ...base, reason: '', [`qty.${mug!.id}`]: '1' }, 'Give a reason'],
      [{ ...base, reason: 'x'.repeat(5000), [`qty.${mug!.id}`]: '1' }, 'at most 1000 characters'],
    ] as const) {
      const res = await postForm(buyer, path, fields);
      expect(res.status, JSON.stringify(fields).slice(0, 80)).toBe(422);
      expect(await res.text()).toContain(message);
    }

    const ok = await postForm(buyer, path, { ...base, [`qty.${mug!.id}`]: '1', [`qty.${bowl!.id}`]: '0' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/orders/${orderId}?notice=return-requested`);
    let html = await page(buyer, ok.headers.get('location')!);
    expect(html).toContain('Your return request was sent to the seller.');
    expect(html).toContain('Waiting for the seller');
    expect(html).toMatch(/1× [^<]*· \$12\.00 · “Too small”/);
    // One mug left to return (max), the bowl still returnable.
    expect(partHtml(html, a!.storeId)).toContain(`name="qty.${mug!.id}" min="0" max="1"`);

    const { returns } = await (await vendor.get('/vendor/returns')).json<{ returns: { id: string }[] }>();
    const declined = await vendor.postForm(`/vendor/returns/${returns[0]!.id}/decline`, {
      reason: 'Worn, not faulty',
    });
    expect(declined.status).toBe(303);
    html = await page(buyer, `/orders/${orderId}`);
    expect(html).toContain('Declined');
    expect(html).toContain('the seller said: “Worn, not faulty”');

    // "I received it": 303 with a flash; the part is delivered.
    const got = await postForm(buyer, `/orders/${orderId}/parts/${a!.storeId}/received`, {});
    expect(got.status).toBe(303);
    html = await page(buyer, got.headers.get('location')!);
    expect(html).toContain('marked as received');
    expect(partHtml(html, a!.storeId)).toContain('Delivered');
  });

  it('cancel the whole order from the form; a signed link keeps its token through the form', async () => {
    const { orderId, buyer } = await paidMultiVendorOrder(emu, [
      [{ unitAmount: 700, qty: 1 }],
      [{ unitAmount: 800, qty: 1 }],
    ]);
    const res = await postForm(buyer, `/orders/${orderId}/cancel`, { reason: '' });
    expect(res.status).toBe(303);
    const html = await page(buyer, res.headers.get('location')!);
    expect(html).toContain('Your order is cancelled');
    expect(html.match(/data-part-status="cancelled"/g)).toHaveLength(2);
    expect(html).not.toContain('Cancel whole order');

    // From a receipt's signed link (no cookie): the forms carry the token, and so does the way back.
    const other = await paidMultiVendorOrder(emu, [[{ unitAmount: 300, qty: 1 }]]);
    const signed = await signedOrderPath(env, other.orderId);
    const t = new URL(signed, ORIGIN).searchParams.get('t')!;
    const viaLink = await SELF.fetch(`${ORIGIN}${signed}`, { headers: { accept: 'text/html' } });
    const linkHtml = await viaLink.text();
    expect(linkHtml).toContain(`action="/orders/${other.orderId}/cancel?t=${encodeURIComponent(t)}"`);
    const cancelled = await SELF.fetch(
      `${ORIGIN}/orders/${other.orderId}/cancel?t=${encodeURIComponent(t)}`,
      {
        method: 'POST',
        headers: { origin: ORIGIN, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'reason=',
        redirect: 'manual',
      },
    );
    expect(cancelled.status).toBe(303);
    expect(cancelled.headers.get('location')).toBe(
      `/orders/${other.orderId}?notice=order-cancelled&t=${encodeURIComponent(t)}`,
    );
  });

  it('is 404 for someone else, form or not', async () => {
    const { orderId, stores } = await paidMultiVendorOrder(emu, [[{ unitAmount: 700, qty: 1 }]]);
    const stranger = await paidMultiVendorOrder(emu, [[{ unitAmount: 100, qty: 1 }]]);
    const res = await postForm(stranger.buyer, `/orders/${orderId}/parts/${stores[0]!.storeId}/cancel`, {});
    expect(res.status).toBe(404);
    const ret = await postForm(stranger.buyer, `/orders/${orderId}/returns`, {
      store_id: stores[0]!.storeId,
      reason: 'x',
      [`qty.${stores[0]!.products[0]!.id}`]: '1',
    });
    expect(ret.status).toBe(404);
  });
});
