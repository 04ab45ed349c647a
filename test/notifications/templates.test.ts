// Every template: rendered from typed data into a one-line subject, a text part and an escaped HTML part.
import { describe, expect, it } from 'vitest';
import {
  contactMessage,
  shopperSignIn,
  subscriptionWelcome,
  vendorSignIn,
} from '../../src/notifications/templates/accounts';
import {
  orderReceipt,
  paymentFailed,
  refundIssued,
  shipmentNotice,
  vendorNewOrder,
} from '../../src/notifications/templates/orders';
import type { MailLine, Rendered } from '../../src/notifications/templates/types';
import { oneLine } from '../../src/notifications/text';

const ctx = { marketplace: 'Harbor Market', publicUrl: 'http://localhost:8787' };
const EVIL = '<script>alert(1)</script>';
const lines: MailLine[] = [
  { name: EVIL, quantity: 2, unitAmount: 1250, amount: 2500, vendor: 'Tern & Co', note: '<b>gift</b>' },
  { name: 'Salt', quantity: 1, unitAmount: 400, amount: 400, vendor: 'Brine' },
];
const address = { name: 'Ada <b>', line1: '1 Quay St', city: 'Oslo', postalCode: '0150', country: 'NO' };
const orderUrl = 'http://localhost:8787/orders/ord_1?t=123.abc';

/** What every rendered message must satisfy. */
function wellFormed(r: Rendered) {
  expect(r.subject).not.toMatch(/[\r\n]/);
  expect(r.subject.length).toBeLessThanOrEqual(200);
  expect(r.html.startsWith('<!DOCTYPE html>')).toBe(true);
  expect(r.html).not.toContain('<script>');
  expect(r.text.length).toBeGreaterThan(0);
}

describe('templates', () => {
  it('order receipt: lines, totals, shipping address and the signed order link, escaped', async () => {
    const r = await orderReceipt(
      {
        orderId: 'ord_1',
        currency: 'usd',
        lines,
        subtotal: 2900,
        shippingAmount: 500,
        taxAmount: 0,
        total: 3400,
        shippingAddress: address,
        orderUrl,
      },
      ctx,
    );
    wellFormed(r);
    expect(r.subject).toBe('Your Harbor Market order ord_1');
    expect(r.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(r.html).toContain('&lt;b&gt;gift&lt;/b&gt;');
    expect(r.html).toContain('Ada &lt;b&gt;');
    expect(r.html).toContain('$34.00');
    expect(r.html).toContain('href="http://localhost:8787/orders/ord_1?t=123.abc"');
    expect(r.text).toContain(`2 x ${EVIL} (from Tern & Co): $25.00`);
    expect(r.text).toContain('Shipping: $5.00');
    expect(r.text).toContain('Total paid: $34.00');
    expect(r.text).toContain('1 Quay St');
    expect(r.text).toContain(orderUrl);
  });

  it('vendor new order: only the lines given, the total, where to ship', async () => {
    const r = await vendorNewOrder(
      {
        orderId: 'ord_1',
        storeName: 'Tern\r\nBcc: all@example.com',
        currency: 'usd',
        lines: [lines[0]!],
        total: 2500,
        shippingAddress: address,
        dashboardUrl: 'http://localhost:8787/vendor',
      },
      ctx,
    );
    wellFormed(r);
    expect(r.subject).toBe('New order ord_1 for Tern Bcc: all@example.com');
    expect(r.text).not.toContain('Salt');
    expect(r.text).toContain('$25.00');
    expect(r.html).toContain('&lt;script&gt;');
  });

  it('payment failed, refund issued and shipment notice', async () => {
    const failed = await paymentFailed(
      {
        orderId: 'ord_1',
        currency: 'usd',
        total: 3400,
        lines,
        retryUrl: 'http://localhost:8787/cart',
        orderUrl,
      },
      ctx,
    );
    wellFormed(failed);
    expect(failed.text).toContain('Nothing was charged');
    expect(failed.html).toContain('href="http://localhost:8787/cart"');

    const partial = await refundIssued(
      {
        orderId: 'ord_1',
        currency: 'usd',
        amount: 400,
        totalRefunded: 400,
        orderTotal: 3400,
        lines,
        orderUrl,
      },
      ctx,
    );
    wellFormed(partial);
    expect(partial.subject).toBe('Refund of $4.00 for order ord_1');
    expect(partial.text).toContain('Refunded so far: $4.00 of $34.00');
    const full = await refundIssued(
      {
        orderId: 'ord_1',
        currency: 'jpy',
        amount: 3400,
        totalRefunded: 3400,
        orderTotal: 3400,
        lines,
        orderUrl,
      },
      ctx,
    );
    expect(full.text).toContain('refunded in full');
    expect(full.subject).toContain('¥3,400');

    const shipped = await shipmentNotice(
      {
        orderId: 'ord_1',
        storeName: 'Tern',
        lines,
        carrier: 'Posten',
        trackingNumber: 'AB123',
        trackingUrl: 'https://track.example/AB123',
        shippingAddress: null,
        orderUrl,
      },
      ctx,
    );
    wellFormed(shipped);
    expect(shipped.text).toContain('Tracking: Posten AB123');
    expect(shipped.html).toContain('href="https://track.example/AB123"');
  });

  it('sign-in links, contact message and subscription welcome', async () => {
    const vendor = await vendorSignIn(
      { storeName: 'Brine & Barley', url: 'http://localhost:8787/vendor/login/tok', minutes: 20 },
      ctx,
    );
    wellFormed(vendor);
    expect(vendor.subject).toBe('Sign in to Brine & Barley on Harbor Market');
    expect(vendor.html).toContain('Brine &amp; Barley');
    expect(vendor.text).toContain('http://localhost:8787/vendor/login/tok');

    const shopper = await shopperSignIn({ url: 'http://localhost:8787/account/login/tok', minutes: 15 }, ctx);
    wellFormed(shopper);
    expect(shopper.html).toContain('href="http://localhost:8787/account/login/tok"');

    const contact = await contactMessage(
      {
        storeName: 'Tern',
        fromName: `Eve\r\nBcc: x@example.com ${EVIL}`,
        fromEmail: 'eve@example.com',
        message: EVIL,
      },
      ctx,
    );
    wellFormed(contact);
    expect(contact.subject).toBe(`Message from Eve Bcc: x@example.com ${EVIL} via your shop Tern`);
    expect(contact.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(contact.text).toContain(EVIL);

    const welcome = await subscriptionWelcome(
      {
        name: EVIL,
        planName: 'Coffee club',
        currency: 'usd',
        amount: 1500,
        interval: 'month',
        manageUrl: 'http://localhost:8787/account',
      },
      ctx,
    );
    wellFormed(welcome);
    expect(welcome.text).toContain('$15.00 per month');
    expect(welcome.html).toContain('Hello &lt;script&gt;');
  });

  it('a 10 KB name is clipped in the subject, the text and the HTML', async () => {
    const huge = 'N'.repeat(10_240);
    const r = await contactMessage(
      { storeName: huge, fromName: huge, fromEmail: 'a@example.com', message: 'hi' },
      ctx,
    );
    wellFormed(r);
    expect(r.text.length).toBeLessThan(500);
    expect(r.html).not.toContain('N'.repeat(101));
    const receipt = await orderReceipt(
      {
        orderId: 'ord_1',
        currency: 'usd',
        lines: [{ ...lines[1]!, name: huge, vendor: huge }],
        subtotal: 400,
        shippingAmount: 0,
        taxAmount: 0,
        total: 400,
        shippingAddress: { name: huge },
        orderUrl,
      },
      ctx,
    );
    expect(receipt.html).not.toContain('N'.repeat(101));
    expect(receipt.text).not.toContain('N'.repeat(101));
  });

  it('oneLine turns every line break and control character into a space', () => {
    expect(oneLine('a\r\nb\nc\rd\u2028e\u0000f\tg')).toBe('a b c d e f g');
  });
});
