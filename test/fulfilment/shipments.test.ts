// Fulfilment through SELF.fetch and the emulator: a paid two-vendor order splits into two parts; a vendor
// ships some then all of their lines (tracking, notice to the shopper), marks delivered; the shopper sees
// each part; another vendor's part is 404; bad quantities and URLs are 422; states only move forward.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { handleScheduled } from '../../src/ops/scheduled';
import { heldEmulator } from '../helpers/emulator';
import { admin, paidMultiVendorOrder, vendorClient, type PartJson } from '../helpers/fulfilment';
import { waitForMail } from '../helpers/mail';

const emu = heldEmulator();

type Problem = { status: number; detail: string };

describe('order parts', () => {
  it('are written with the payment, one per vendor, listed to each vendor with address and notes', async () => {
    const { orderId, stores } = await paidMultiVendorOrder(emu, [
      [{ unitAmount: 1200, qty: 2, note: 'Gift wrap please' }],
      [{ unitAmount: 800, qty: 1 }],
    ]);
    const parts = await env.DB.prepare('SELECT store_id, status FROM order_parts WHERE order_id = ?')
      .bind(orderId)
      .all<{ store_id: string; status: string }>();
    expect(parts.results.map((p) => p.status)).toEqual(['unfulfilled', 'unfulfilled']);

    const potter = await vendorClient(stores[0]!.storeId);
    const res = await potter.get('/vendor/fulfilment');
    expect(res.status).toBe(200);
    const { parts: todo } = await res.json<{
      parts: (PartJson & { shipping: { address: { line1: string } } })[];
    }>();
    const mine = todo.find((p) => p.orderId === orderId)!;
    expect(mine.lines).toHaveLength(1);
    expect(mine.lines[0]).toMatchObject({ quantity: 2, shipped: 0, note: 'Gift wrap please' });
    expect(mine.shipping.address.line1).toBe('12 Quay St');
    // Only the vendor's own lines.
    expect(mine.lines.every((l) => l.productId === stores[0]!.products[0]!.id)).toBe(true);

    const html = await potter.get('/vendor/fulfilment', 'text/html');
    expect(html.status).toBe(200);
    const body = await html.text();
    expect(body).toContain('Special request: Gift wrap please');
    expect(body).toContain('12 Quay St');
    expect(body).toContain(`action="/vendor/orders/${orderId}/shipments"`);
  });

  it('ship some, then the rest; the shopper sees parts and tracking; mail per shipment; delivered', async () => {
    const { orderId, stores, buyer, email } = await paidMultiVendorOrder(emu, [
      [
        { unitAmount: 1000, qty: 3 },
        { unitAmount: 500, qty: 1 },
      ],
      [{ unitAmount: 700, qty: 1 }],
    ]);
    const [a, b] = stores;
    const vendor = await vendorClient(a!.storeId);
    const [mug, bowl] = a!.products;

    const first = await vendor.post(`/vendor/orders/${orderId}/shipments`, {
      carrier: 'Royal Mail',
      trackingNumber: 'RM123',
      trackingUrl: 'https://track.example/RM123',
      items: [{ productId: mug!.id, quantity: 2 }],
    });
    expect(first.status).toBe(201);
    const { part } = await first.json<{ part: PartJson }>();
    expect(part.status).toBe('partially_shipped');
    expect(part.lines.find((l) => l.productId === mug!.id)!.shipped).toBe(2);

    // Marking delivered before everything shipped is refused.
    const early = await vendor.post(`/vendor/orders/${orderId}/delivered`);
    expect(early.status).toBe(409);

    // No items = everything left to ship (1 mug, 1 bowl), from the dashboard's form.
    const second = await vendor.postForm(`/vendor/orders/${orderId}/shipments`, {
      carrier: 'DHL',
      tracking_number: 'DHL9',
      tracking_url: '',
      [`qty.${mug!.id}`]: '1',
      [`qty.${bowl!.id}`]: '1',
    });
    expect(second.status).toBe(303);

    const order = await buyer.order(orderId);
    const parts = (order as unknown as { parts: PartJson[] }).parts;
    expect(parts.map((p) => p.status).sort()).toEqual(['shipped', 'unfulfilled']);
    const shipped = parts.find((p) => p.storeId === a!.storeId)!;
    expect(shipped.shipments).toHaveLength(2);
    expect(shipped.shipments[0]).toMatchObject({
      carrier: 'Royal Mail',
      trackingUrl: 'https://track.example/RM123',
    });

    const page = await buyer.fetch(`/orders/${orderId}`, { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(html).toContain('href="https://track.example/RM123"');
    expect(html).toContain('I received it');

    const mails = await waitForMail(email, { kind: 'shipment_notice', count: 2 });
    expect(mails.some((m) => m.text.includes('RM123'))).toBe(true);

    // Nothing left to ship: 409.
    const more = await vendor.post(`/vendor/orders/${orderId}/shipments`, {
      carrier: 'X',
      trackingNumber: 'Y',
    });
    expect(more.status).toBe(409);

    // The shopper confirms receipt; a second click is harmless.
    const got = await buyer.fetch(`/orders/${orderId}/parts/${a!.storeId}/received`, {
      method: 'POST',
      headers: { origin: 'http://localhost' },
    });
    expect(got.status).toBe(200);
    expect((await got.json<{ part: PartJson }>()).part).toMatchObject({
      status: 'delivered',
      deliveredBy: 'shopper',
    });
    const again = await vendor.post(`/vendor/orders/${orderId}/delivered`);
    expect((await again.json<{ part: PartJson }>()).part.deliveredBy).toBe('shopper');

    // Delivered never moves back: no more shipments, no cancel.
    const late = await admin(`/admin/api/orders/${orderId}/parts/${a!.storeId}/cancel`, { reason: 'late' });
    expect(late.status).toBe(409);
    expect((await late.json<Problem>()).detail).toMatch(/already shipped/);

    // The other vendor's part is untouched; the first vendor cannot see or ship it.
    expect(parts.find((p) => p.storeId === b!.storeId)!.status).toBe('unfulfilled');
  });

  it("a vendor never sees or changes another vendor's part (404)", async () => {
    const { orderId, stores } = await paidMultiVendorOrder(emu, [
      [{ unitAmount: 900, qty: 1 }],
      [{ unitAmount: 900, qty: 1 }],
    ]);
    const [a, b] = stores;
    const vendorA = await vendorClient(a!.storeId);
    // B's product through A's part: not one of A's lines (422); A acting on an order without A: 404.
    const cross = await vendorA.post(`/vendor/orders/${orderId}/shipments`, {
      carrier: 'X',
      trackingNumber: 'Y',
      items: [{ productId: b!.products[0]!.id, quantity: 1 }],
    });
    expect(cross.status).toBe(422);

    const other = await paidMultiVendorOrder(emu, [[{ unitAmount: 900, qty: 1 }]]);
    for (const path of [
      `/vendor/orders/${other.orderId}/shipments`,
      `/vendor/orders/${other.orderId}/delivered`,
    ]) {
      const res = await vendorA.post(path, { carrier: 'X', trackingNumber: 'Y' });
      expect(res.status).toBe(404);
    }
    const list = await (await vendorA.get('/vendor/fulfilment')).json<{ parts: PartJson[] }>();
    expect(list.parts.some((p) => p.orderId === other.orderId)).toBe(false);
    // Signed out: 401.
    const anon = await SELF.fetch(`http://localhost/vendor/orders/${orderId}/shipments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: '{}',
    });
    expect(anon.status).toBe(401);
  });

  it('refuses bad quantities, a javascript: tracking link and over-long text with 422', async () => {
    const { orderId, stores } = await paidMultiVendorOrder(emu, [[{ unitAmount: 900, qty: 2 }]]);
    const vendor = await vendorClient(stores[0]!.storeId);
    const productId = stores[0]!.products[0]!.id;
    const base = { carrier: 'UPS', trackingNumber: '1Z' };
    for (const bad of [
      { ...base, items: [{ productId, quantity: 3 }] },
      { ...base, items: [{ productId, quantity: -1 }] },
      { ...base, items: [{ productId, quantity: 0 }] },
      { ...base, items: [{ productId, quantity: 1.5 }] },
      { ...base, items: [{ productId, quantity: '1' }] },
      { ...base, items: [] },
      {
        ...base,
        items: [
          { productId, quantity: 1 },
          { productId, quantity: 1 },
        ],
      },
      { ...base, trackingUrl: 'javascript:alert(1)' },
      { ...base, trackingUrl: 'ftp://example.com/x' },
      { ...base, carrier: 'x'.repeat(5000) },
      { ...base, carrier: '' },
      { trackingNumber: '1Z' },
    ]) {
      const res = await vendor.post(`/vendor/orders/${orderId}/shipments`, bad);
      expect(res.status, JSON.stringify(bad).slice(0, 80)).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const rows = await env.DB.prepare('SELECT count(*) AS n FROM shipments WHERE order_id = ?')
      .bind(orderId)
      .first<{ n: number }>();
    expect(rows!.n).toBe(0);
  });

  it('concurrent shipments of the last units: one wins, the other is refused', async () => {
    const { orderId, stores } = await paidMultiVendorOrder(emu, [[{ unitAmount: 900, qty: 1 }]]);
    const vendor = await vendorClient(stores[0]!.storeId);
    const results = await Promise.all(
      [1, 2, 3].map((i) =>
        vendor.post(`/vendor/orders/${orderId}/shipments`, { carrier: 'UPS', trackingNumber: `T${i}` }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    const shipped = await env.DB.prepare(
      'SELECT COALESCE(SUM(quantity), 0) AS n FROM shipment_lines WHERE order_id = ?',
    )
      .bind(orderId)
      .first<{ n: number }>();
    expect(shipped!.n).toBe(1);
  });

  it('the admin JSON carries parts; the operator marks delivered or cancels with a reason; the cron auto-delivers', async () => {
    const { orderId, stores } = await paidMultiVendorOrder(emu, [
      [{ unitAmount: 900, qty: 1 }],
      [{ unitAmount: 900, qty: 1 }],
      [{ unitAmount: 900, qty: 1 }],
    ]);
    const [a, b, c] = stores;
    await (
      await vendorClient(a!.storeId)
    ).post(`/vendor/orders/${orderId}/shipments`, { carrier: 'UPS', trackingNumber: 'A' });
    await (
      await vendorClient(b!.storeId)
    ).post(`/vendor/orders/${orderId}/shipments`, { carrier: 'UPS', trackingNumber: 'B' });

    const delivered = await admin(`/admin/api/orders/${orderId}/parts/${a!.storeId}/delivered`, {});
    expect(delivered.status).toBe(200);
    expect((await delivered.json<{ part: PartJson }>()).part.deliveredBy).toBe('operator');

    const badReason = await admin(`/admin/api/orders/${orderId}/parts/${c!.storeId}/cancel`, {
      reason: 'r'.repeat(5000),
    });
    expect(badReason.status).toBe(422);
    const noReason = await admin(`/admin/api/orders/${orderId}/parts/${c!.storeId}/cancel`, {});
    expect(noReason.status).toBe(422);
    const cancel = await admin(`/admin/api/orders/${orderId}/parts/${c!.storeId}/cancel`, {
      reason: 'Out of stock',
    });
    expect(cancel.status).toBe(200);
    const unknown = await admin(`/admin/api/orders/${orderId}/parts/st_nope/delivered`, {});
    expect(unknown.status).toBe(404);

    // B shipped long ago: the cron marks it delivered.
    await env.DB.prepare(
      'UPDATE order_parts SET shipped_at = shipped_at - 15 * 86400 WHERE order_id = ? AND store_id = ?',
    )
      .bind(orderId, b!.storeId)
      .run();
    await handleScheduled({} as ScheduledController, env);

    const detail = await (await admin(`/admin/api/orders/${orderId}`)).json<{ parts: PartJson[] }>();
    const byStore = new Map(detail.parts.map((p) => [p.storeId, p]));
    expect(byStore.get(a!.storeId)!.status).toBe('delivered');
    expect(byStore.get(b!.storeId)).toMatchObject({ status: 'delivered', deliveredBy: 'auto' });
    expect(byStore.get(c!.storeId)).toMatchObject({ status: 'cancelled', cancelReason: 'Out of stock' });
    expect(byStore.get(b!.storeId)!.shipments).toHaveLength(1);
  });
});
