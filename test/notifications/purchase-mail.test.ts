// The mail a real purchase sends, through SELF.fetch and the emulator: the shopper's receipt (lines,
// totals, address, a signed link that opens the order without a cookie), each vendor's "new order" with
// only their lines, once however often Stripe delivers the event, and a refund notice per refund.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids';
import { getStripe } from '../../src/stripe/client';
import { seedCatalog } from '../helpers/checkout-fixtures';
import { shopper } from '../helpers/checkout-flow';
import { heldEmulator } from '../helpers/emulator';
import { caughtMail, linkIn, waitForMail } from '../helpers/mail';

const emu = heldEmulator();

/** A vendor whose shop has an address to receive "new order" mail. */
async function vendor(product: { name: string; unitAmount: number }) {
  const seeded = await seedCatalog([product]);
  const email = `shop.${seeded.storeId.slice(-8)}@example.com`;
  await env.DB.prepare('UPDATE stores SET email = ? WHERE id = ?').bind(email, seeded.storeId).run();
  return { ...seeded, email };
}

/** Outbox rows of one kind for an order (the count the consumer works from). */
async function queued(kind: string, orderId: string) {
  const rows = await env.DB.prepare(
    "SELECT id, status FROM outbox WHERE kind = ? AND json_extract(data, '$.orderId') = ?",
  )
    .bind(kind, orderId)
    .all<{ id: string; status: string }>();
  return rows.results;
}

describe('a purchase e-mails the shopper and each vendor', () => {
  it('receipt with lines, totals, address and an order link; vendors see only their lines; once', async () => {
    const potter = await vendor({ name: 'Clay <script>mug</script>', unitAmount: 1800 });
    const weaver = await vendor({ name: 'Linen towel', unitAmount: 2400 });
    const email = `buyer.${newId('m').slice(2, 10)}@example.com`;
    const buyer = await shopper();
    for (const [product, qty] of [
      [potter.products[0]!, 2],
      [weaver.products[0]!, 1],
    ] as const) {
      const added = await buyer.fetch('/cart/items', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ productId: product.id, qty }),
      });
      expect(added.status).toBe(200);
    }
    const res = await buyer.checkout({ email });
    expect(res.status).toBe(200);
    const { orderId, sessionId } = await res.json<{ orderId: string; sessionId: string }>();
    await emu.pay(sessionId, {
      name: 'Ada Lovelace',
      shipping: {
        name: 'Ada Lovelace',
        address: { line1: '12 Quay St', city: 'Bristol', postal_code: 'BS1 4DJ', country: 'GB' },
      },
    });
    const deliveries = await emu.drain();
    expect(deliveries.every((d) => d.status === 200)).toBe(true);

    // Stripe redelivers the completion twice more: still one receipt and one mail per vendor.
    const completed = deliveries.find((d) => d.type === 'checkout.session.completed')!;
    await emu.resend(completed.event_id);
    await emu.resend(completed.event_id);

    const [receipt] = await waitForMail(email, { kind: 'order_receipt' });
    expect(receipt!.subject).toContain(orderId);
    // 2 × 18.00 + 24.00 + 5.00 shipping
    expect(receipt!.text).toContain('$65.00');
    expect(receipt!.text).toContain('Linen towel');
    expect(receipt!.text).toContain('12 Quay St');
    // A product named like markup stays text in the HTML part.
    expect(receipt!.html).not.toContain('<script>mug');
    expect(receipt!.html).toContain('&lt;script&gt;');

    // The order link opens the order in a browser that has no cookie at all.
    const link = linkIn(receipt!.text, `/orders/${orderId}`);
    expect(link.origin).toBe(env.PUBLIC_URL);
    const page = await SELF.fetch(link.href, { headers: { accept: 'application/json' } });
    expect(page.status).toBe(200);
    expect((await page.json<{ order: { id: string; status: string } }>()).order).toMatchObject({
      id: orderId,
      status: 'paid',
    });

    const [potterMail] = await waitForMail(potter.email, { kind: 'vendor_new_order' });
    expect(potterMail!.text).toContain('mug');
    expect(potterMail!.text).not.toContain('Linen towel');
    const [weaverMail] = await waitForMail(weaver.email, { kind: 'vendor_new_order' });
    expect(weaverMail!.text).toContain('Linen towel');
    expect(weaverMail!.text).not.toContain('mug');

    expect(await queued('order_receipt', orderId)).toHaveLength(1);
    expect(await queued('vendor_new_order', orderId)).toHaveLength(2);
    expect((await caughtMail(email)).filter((m) => m.kind === 'order_receipt')).toHaveLength(1);

    // A partial refund, its event delivered twice: one refund notice with the amount.
    const order = await env.DB.prepare('SELECT charge_id FROM orders WHERE id = ?')
      .bind(orderId)
      .first<{ charge_id: string }>();
    await getStripe(env).refunds.create({ charge: order!.charge_id, amount: 2400 });
    const refundEvents = await emu.drain();
    const refunded = refundEvents.find((d) => d.type === 'charge.refunded')!;
    await emu.resend(refunded.event_id);
    const [notice] = await waitForMail(email, { kind: 'refund_issued' });
    expect(notice!.text).toContain('$24.00');
    expect(await queued('refund_issued', orderId)).toHaveLength(1);
  });
});
