// Order mail: the receipt, a vendor's "new order", payment failed, refund issued, shipment notice.
import { formatMoney } from '../../lib/money';
import { displayName, oneLine } from '../text';
import {
  AddressBlock,
  addressLines,
  Button,
  LinesTable,
  linesText,
  MailLayout,
  toHtml,
  Totals,
} from './layout';
import type {
  OrderReceiptData,
  PaymentFailedData,
  RefundIssuedData,
  ShipmentNoticeData,
  Template,
  VendorNewOrderData,
} from './types';

const addressText = (title: string, a: OrderReceiptData['shippingAddress']) =>
  a ? `\n${title}:\n${addressLines(a).join('\n')}\n` : '';

/** The shopper's receipt: lines, totals, shipping address and the signed link to the order. */
export const orderReceipt: Template<OrderReceiptData> = async (d, ctx) => {
  const subject = oneLine(`Your ${ctx.marketplace} order ${d.orderId}`);
  const rows: [string, number][] = [['Subtotal', d.subtotal]];
  if (d.shippingAmount) rows.push(['Shipping', d.shippingAmount]);
  if (d.taxAmount) rows.push(['Tax', d.taxAmount]);
  rows.push(['Total paid', d.total]);
  const text = [
    `Thank you for your order ${d.orderId}. Your payment was received.`,
    '',
    linesText(d.lines, d.currency, true),
    '',
    ...rows.map(([label, amount]) => `${label}: ${formatMoney(amount, d.currency)}`),
    addressText('Shipping to', d.shippingAddress),
    `See your order at any time: ${d.orderUrl}`,
  ].join('\n');
  const html = toHtml(
    <MailLayout ctx={ctx} title={subject}>
      <h1 style="font-size:20px">Thank you for your order</h1>
      <p>
        Order <strong>{d.orderId}</strong>: your payment was received.
      </p>
      <LinesTable lines={d.lines} currency={d.currency} showVendor />
      <Totals rows={rows} currency={d.currency} />
      {d.shippingAddress ? <AddressBlock title="Shipping to" address={d.shippingAddress} /> : null}
      <Button href={d.orderUrl}>View your order</Button>
      <p style="font-size:12px;color:#5b6b6e">This link opens your order from any device.</p>
    </MailLayout>,
  );
  return { subject, text, html };
};

/** One vendor's "new order": only that vendor's lines, and where to ship them. */
export const vendorNewOrder: Template<VendorNewOrderData> = async (d, ctx) => {
  const store = displayName(d.storeName, 'your shop');
  const subject = oneLine(`New order ${d.orderId} for ${store}`);
  const text = [
    `${store} has a new paid order on ${ctx.marketplace}: ${d.orderId}.`,
    '',
    linesText(d.lines, d.currency),
    '',
    `Your lines: ${formatMoney(d.total, d.currency)} (before the platform fee)`,
    addressText('Ship to', d.shippingAddress),
    `Your dashboard: ${d.dashboardUrl}`,
  ].join('\n');
  const html = toHtml(
    <MailLayout ctx={ctx} title={subject}>
      <h1 style="font-size:20px">New order for {store}</h1>
      <p>
        Order <strong>{d.orderId}</strong> was paid.
      </p>
      <LinesTable lines={d.lines} currency={d.currency} />
      <Totals rows={[['Your lines (before the platform fee)', d.total]]} currency={d.currency} />
      {d.shippingAddress ? <AddressBlock title="Ship to" address={d.shippingAddress} /> : null}
      <Button href={d.dashboardUrl}>Open your dashboard</Button>
    </MailLayout>,
  );
  return { subject, text, html };
};

/** The shopper's payment did not go through: nothing was charged, and where to try again. */
export const paymentFailed: Template<PaymentFailedData> = async (d, ctx) => {
  const subject = oneLine(`Your payment for order ${d.orderId} did not go through`);
  const text = [
    `The payment for your ${ctx.marketplace} order ${d.orderId} (${formatMoney(d.total, d.currency)}) did not go through. Nothing was charged.`,
    '',
    linesText(d.lines, d.currency, true),
    '',
    `Try again from your cart: ${d.retryUrl}`,
    `Your order: ${d.orderUrl}`,
  ].join('\n');
  const html = toHtml(
    <MailLayout ctx={ctx} title={subject}>
      <h1 style="font-size:20px">Your payment did not go through</h1>
      <p>
        The payment of {formatMoney(d.total, d.currency)} for order <strong>{d.orderId}</strong> did not go
        through. Nothing was charged.
      </p>
      <LinesTable lines={d.lines} currency={d.currency} showVendor />
      <Button href={d.retryUrl}>Try again</Button>
      <p>
        <a href={d.orderUrl}>View the order</a>
      </p>
    </MailLayout>,
  );
  return { subject, text, html };
};

/** A refund on the shopper's order: this refund's amount, the total refunded, the lines. */
export const refundIssued: Template<RefundIssuedData> = async (d, ctx) => {
  const amount = formatMoney(d.amount, d.currency);
  const subject = oneLine(`Refund of ${amount} for order ${d.orderId}`);
  const full = d.totalRefunded >= d.orderTotal;
  const text = [
    `${ctx.marketplace} refunded ${amount} for your order ${d.orderId}.`,
    full
      ? 'Your order is refunded in full.'
      : `Refunded so far: ${formatMoney(d.totalRefunded, d.currency)} of ${formatMoney(d.orderTotal, d.currency)}.`,
    'It may take 5 to 10 business days to appear on your statement.',
    '',
    linesText(d.lines, d.currency, true),
    '',
    `Your order: ${d.orderUrl}`,
  ].join('\n');
  const html = toHtml(
    <MailLayout ctx={ctx} title={subject}>
      <h1 style="font-size:20px">We refunded {amount}</h1>
      <p>
        For order <strong>{d.orderId}</strong>.{' '}
        {full
          ? 'Your order is refunded in full.'
          : `Refunded so far: ${formatMoney(d.totalRefunded, d.currency)} of ${formatMoney(d.orderTotal, d.currency)}.`}
      </p>
      <p>It may take 5 to 10 business days to appear on your statement.</p>
      <LinesTable lines={d.lines} currency={d.currency} showVendor />
      <Button href={d.orderUrl}>View your order</Button>
    </MailLayout>,
  );
  return { subject, text, html };
};

/** A vendor shipped their part of an order (used by the fulfilment work). */
export const shipmentNotice: Template<ShipmentNoticeData> = async (d, ctx) => {
  const store = displayName(d.storeName, 'A shop');
  const subject = oneLine(`${store} shipped part of your order ${d.orderId}`);
  const tracking = [d.carrier, d.trackingNumber]
    .filter(Boolean)
    .map((v) => displayName(v))
    .join(' ');
  const text = [
    `${store} shipped these items of your ${ctx.marketplace} order ${d.orderId}:`,
    '',
    d.lines.map((l) => `- ${l.quantity} x ${displayName(l.name, 'Item')}`).join('\n'),
    tracking ? `\nTracking: ${tracking}` : '',
    d.trackingUrl ? `Track the parcel: ${d.trackingUrl}` : '',
    addressText('Shipping to', d.shippingAddress),
    `Your order: ${d.orderUrl}`,
  ].join('\n');
  const html = toHtml(
    <MailLayout ctx={ctx} title={subject}>
      <h1 style="font-size:20px">On its way from {store}</h1>
      <ul>
        {d.lines.map((l) => (
          <li>
            {l.quantity} × {displayName(l.name, 'Item')}
          </li>
        ))}
      </ul>
      {tracking ? <p>Tracking: {tracking}</p> : null}
      {d.trackingUrl ? <Button href={d.trackingUrl}>Track the parcel</Button> : null}
      {d.shippingAddress ? <AddressBlock title="Shipping to" address={d.shippingAddress} /> : null}
      <p>
        <a href={d.orderUrl}>View your order</a>
      </p>
    </MailLayout>,
  );
  return { subject, text, html };
};
