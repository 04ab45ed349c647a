// The vendor's and the operator's after-payment pages and forms through SELF.fetch and the emulator: the
// vendor ships from the dashboard form, sees shipped parts with tracking and marks them delivered, decides
// return requests on /vendor/returns; the admin order page shows each part's state, shipments, payout and
// returns and its forms act through the same domain functions. Bad input is a 4xx page that says why,
// another vendor's return is 404, a second approval 409.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { heldEmulator } from '../helpers/emulator';
import { eventually, paidMultiVendorOrder, vendorClient } from '../helpers/fulfilment';
import { transfersOf } from '../helpers/payout-fixtures';

const emu = heldEmulator();
const ORIGIN = 'http://localhost';

type Buyer = Awaited<ReturnType<typeof paidMultiVendorOrder>>['buyer'];

function requestReturn(buyer: Buyer, orderId: string, storeId: string, productId: string, qty = 1) {
  return buyer.fetch(`/orders/${orderId}/returns`, {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'application/json' },
    body: JSON.stringify({ storeId, reason: 'Cracked in the post', items: [{ productId, quantity: qty }] }),
  });
}

/** The operator's browser: the admin pages with the token, posting forms. */
const adminPage = (path: string) =>
  SELF.fetch(`${ORIGIN}${path}`, {
    headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, accept: 'text/html' },
  });
const adminForm = (path: string, fields: Record<string, string>) =>
  SELF.fetch(`${ORIGIN}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${env.ADMIN_TOKEN}`,
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });

function section(html: string, marker: string, end = '</article>'): string {
  const start = html.indexOf(marker);
  expect(start, marker).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf(end, start));
}

describe('vendor fulfilment pages', () => {
  it('ship from the form, refusals re-render the page with the reason, shipped parts get Mark delivered', async () => {
    const { orderId, stores } = await paidMultiVendorOrder(emu, [[{ unitAmount: 1000, qty: 3 }]]);
    const [a] = stores;
    const productId = a!.products[0]!.id;
    const vendor = await vendorClient(a!.storeId);
    const path = `/vendor/orders/${orderId}/shipments`;
    const form = { carrier: 'UPS', tracking_number: '1Z999', tracking_url: 'https://ups.example/1Z999' };

    for (const [fields, message] of [
      [{ ...form, tracking_url: 'javascript:alert(1)', [`qty.${productId}`]: '1' }, 'http(s) address'],
      [{ ...form, [`qty.${productId}`]: '4' }, 'only 3 of'],
      [{ ...form, [`qty.${productId}`]: '1.5' }, 'whole number'],
      [{ ...form, carrier: '', [`qty.${productId}`]: '1' }, 'Enter the carrier'],
    ] as const) {
      const res = await vendor.postForm(path, fields);
      expect(res.status, JSON.stringify(fields)).toBe(422);
      const html = await res.text();
      expect(html).toContain(message);
      // The page again, with its forms, not a dead end.
      expect(html).toContain('To fulfil');
      expect(html).toContain(`action="${path}"`);
    }

    const part = await vendor.postForm(path, { ...form, [`qty.${productId}`]: '2' });
    expect(part.status).toBe(303);
    let html = await (await vendor.get('/vendor/fulfilment?notice=shipped', 'text/html')).text();
    expect(html).toContain('Shipment recorded');
    expect(html).toContain('href="/vendor/returns"');
    // Still one to ship: the form stays, prefilled with what is left.
    expect(section(html, `data-order-id="${orderId}"`, '</section>')).toContain('max="1"');

    // Marking delivered before everything shipped: the page with the reason, 409.
    const early = await vendor.postForm(`/vendor/orders/${orderId}/delivered`, {});
    expect(early.status).toBe(409);
    expect(await early.text()).toContain('shipped in full');

    expect(
      (await vendor.postForm(path, { ...form, tracking_number: 'LAST', [`qty.${productId}`]: '1' })).status,
    ).toBe(303);
    html = await (await vendor.get('/vendor/fulfilment', 'text/html')).text();
    const shipped = section(html, `class="shipped-part" data-order-id="${orderId}"`);
    expect(shipped).toContain('Shipped');
    expect(shipped).toContain('href="https://ups.example/1Z999"');
    expect(shipped).toContain('LAST');
    expect(shipped).toContain('Mark delivered');

    const delivered = await vendor.postForm(`/vendor/orders/${orderId}/delivered`, {});
    expect(delivered.status).toBe(303);
    expect(delivered.headers.get('location')).toBe('/vendor/fulfilment?notice=delivered');
    html = await (await vendor.get('/vendor/fulfilment?notice=delivered', 'text/html')).text();
    expect(html).toContain('Marked as delivered.');
    expect(section(html, `class="shipped-part" data-order-id="${orderId}"`)).not.toContain('Mark delivered');
  });

  it('returns page: lists requests with lines and reason; approve, decline, 404 for another vendor, 409 twice', async () => {
    const { orderId, stores, buyer } = await paidMultiVendorOrder(emu, [
      [{ unitAmount: 2500, qty: 2, stock: 10 }],
      [{ unitAmount: 900, qty: 1 }],
    ]);
    const [a, b] = stores;
    const productId = a!.products[0]!.id;
    const vendor = await vendorClient(a!.storeId);
    expect(
      (await vendor.post(`/vendor/orders/${orderId}/shipments`, { carrier: 'DHL', trackingNumber: 'D' }))
        .status,
    ).toBe(201);
    const first = await requestReturn(buyer, orderId, a!.storeId, productId);
    const second = await requestReturn(buyer, orderId, a!.storeId, productId);
    const [r1, r2] = await Promise.all(
      [first, second].map(async (r) => (await r.json<{ return: { id: string } }>()).return.id),
    );

    const page = await vendor.get('/vendor/returns', 'text/html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    const card = section(html, `data-return-id="${r1}"`, '</section>');
    expect(card).toContain(a!.products[0]!.name);
    expect(card).toContain('Cracked in the post');
    expect(card).toContain('$25.00');
    expect(card).toContain('name="restock"');
    expect(card).toContain(`action="/vendor/returns/${r1}/decline"`);

    // Another vendor: 404, form or JSON.
    const other = await vendorClient(b!.storeId);
    expect((await other.postForm(`/vendor/returns/${r1}/approve`, { restock: 'on' })).status).toBe(404);
    expect(await (await other.get('/vendor/returns', 'text/html')).text()).toContain(
      'No open return requests',
    );

    // Decline without a reason: the page again with the message.
    const noReason = await vendor.postForm(`/vendor/returns/${r2}/decline`, { reason: '  ' });
    expect(noReason.status).toBe(422);
    expect(await noReason.text()).toContain('Give a reason.');

    const approved = await vendor.postForm(`/vendor/returns/${r1}/approve`, { restock: 'on' });
    expect(approved.status).toBe(303);
    expect(approved.headers.get('location')).toBe('/vendor/returns?notice=approved');
    const twice = await vendor.postForm(`/vendor/returns/${r1}/approve`, { restock: 'on' });
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain('already approved');

    const declined = await vendor.postForm(`/vendor/returns/${r2}/decline`, { reason: 'Not ours' });
    expect(declined.status).toBe(303);
    const after = await (await vendor.get('/vendor/returns?notice=declined', 'text/html')).text();
    expect(after).toContain('Return declined');
    expect(after).not.toContain(`data-return-id="${r1}"`);
    const row = await env.DB.prepare('SELECT status, restock FROM return_requests WHERE id = ?')
      .bind(r1)
      .first<{ status: string; restock: number }>();
    expect(row).toEqual({ status: 'approved', restock: 1 });
  });
});

describe('admin order page: fulfilment', () => {
  it('shows parts, tracking, payouts and returns; delivered, cancel, approve and decline from its forms', async () => {
    const { orderId, stores, buyer } = await paidMultiVendorOrder(
      emu,
      [[{ unitAmount: 2000, qty: 2 }], [{ unitAmount: 1000, qty: 1 }], [{ unitAmount: 500, qty: 1 }]],
      { onboarded: true },
    );
    const [a, b, c] = stores;
    await eventually(async () => (await transfersOf(orderId)).every((t) => t.status === 'sent'));
    const vendor = await vendorClient(a!.storeId);
    await vendor.post(`/vendor/orders/${orderId}/shipments`, {
      carrier: 'Royal Mail',
      trackingNumber: 'RM1',
      trackingUrl: 'https://track.example/RM1',
    });
    const askForReturn = async () =>
      (
        await (
          await requestReturn(buyer, orderId, a!.storeId, a!.products[0]!.id)
        ).json<{
          return: { id: string };
        }>()
      ).return.id;
    const r1 = await askForReturn();
    const r2 = await askForReturn();

    let html = await (await adminPage(`/admin/orders/${orderId}`)).text();
    const partA = section(html, `class="panel admin-part" data-store-id="${a!.storeId}"`);
    expect(partA).toContain('Shipped');
    expect(partA).toContain('href="https://track.example/RM1"');
    expect(partA).toContain('Payout: sent $36.00');
    expect(partA).toContain('Cracked in the post');
    expect(partA).toContain('Mark delivered');
    expect(partA).toContain(`/admin/orders/${orderId}/returns/${r1}/approve`);
    expect(section(html, `data-store-id="${b!.storeId}"`)).toContain('Cancel part');

    // Cancel B with no reason: the order page again, 422, saying so.
    const noReason = await adminForm(`/admin/orders/${orderId}/parts/${b!.storeId}/cancel`, { reason: '' });
    expect(noReason.status).toBe(422);
    expect(await noReason.text()).toContain('Give a reason.');
    const cancelled = await adminForm(`/admin/orders/${orderId}/parts/${b!.storeId}/cancel`, {
      reason: 'Vendor out of stock',
    });
    expect(cancelled.status).toBe(303);
    expect(cancelled.headers.get('location')).toBe(`/admin/orders/${orderId}?notice=part-cancelled`);
    await emu.drain();

    const delivered = await adminForm(`/admin/orders/${orderId}/parts/${a!.storeId}/delivered`, {});
    expect(delivered.status).toBe(303);
    // C has shipped nothing: delivered is refused, on the page, with the reason.
    const early = await adminForm(`/admin/orders/${orderId}/parts/${c!.storeId}/delivered`, {});
    expect(early.status).toBe(409);
    expect(await early.text()).toContain('shipped in full');

    expect((await adminForm(`/admin/orders/${orderId}/returns/${r1}/approve`, {})).status).toBe(303);
    const again = await adminForm(`/admin/orders/${orderId}/returns/${r1}/approve`, {});
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('already approved');
    expect(
      (await adminForm(`/admin/orders/${orderId}/returns/${r2}/decline`, { reason: 'Photo shows wear' }))
        .status,
    ).toBe(303);
    // A return of another order through this order's URL: 404.
    const elsewhere = await paidMultiVendorOrder(emu, [[{ unitAmount: 100, qty: 1 }]]);
    expect(
      (await adminForm(`/admin/orders/${elsewhere.orderId}/returns/${r2}/decline`, { reason: 'x' })).status,
    ).toBe(404);
    await emu.drain();

    await eventually(async () => {
      html = await (await adminPage(`/admin/orders/${orderId}?notice=return-declined`)).text();
      return /Payout: sent \$9\.00, reversed \$9\.00 \(all\)/.test(
        section(html, `data-store-id="${b!.storeId}"`),
      );
    });
    expect(html).toContain('Return declined.');
    const partB = section(html, `data-store-id="${b!.storeId}"`);
    expect(partB).toContain('Cancelled: “Vendor out of stock” · refund $10.00');
    expect(partB).not.toContain('Cancel part');
    const partA2 = section(html, `class="panel admin-part" data-store-id="${a!.storeId}"`);
    expect(partA2).toContain('Delivered (by operator)');
    expect(partA2).toMatch(/Return approved:[^<]*decided by operator/);
    expect(partA2).toContain('Return declined');
    expect(partA2).toContain('“Photo shows wear”');
    expect(partA2).not.toContain('Approve return');
  });
});
