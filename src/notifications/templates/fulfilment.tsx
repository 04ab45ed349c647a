// Fulfilment mail for vendors: a shopper cancelled their part of an order, or asked to return shipped items.
import { clip, displayName, oneLine } from '../text';
import { Button, MailLayout, toHtml } from './layout';
import type { Template } from './types';

export interface VendorPartNoticeData {
  orderId: string;
  storeName: string;
  event: 'cancelled' | 'return_requested';
  reason: string | null;
  dashboardUrl: string;
}

const WHAT: Record<VendorPartNoticeData['event'], { subject: string; lead: string; next: string }> = {
  cancelled: {
    subject: 'cancelled',
    lead: 'The shopper cancelled your part of this order before it shipped. Please do not send it.',
    next: 'The shopper has been refunded; your payout for the order is reduced (or reversed) by your share.',
  },
  return_requested: {
    subject: 'return requested',
    lead: 'The shopper asked for a refund of shipped items from your part of this order.',
    next: 'Approve or decline the request from your dashboard.',
  },
};

/** A vendor is told their part of an order was cancelled, or that a return was requested. */
export const vendorPartNotice: Template<VendorPartNoticeData> = async (d, ctx) => {
  const store = displayName(d.storeName, 'your shop');
  const what = WHAT[d.event];
  const subject = oneLine(`Order ${d.orderId}: ${what.subject} (${store})`);
  const reason = d.reason ? clip(d.reason, 1000) : null;
  const text = [
    what.lead,
    ...(reason ? ['', `Reason: ${reason}`] : []),
    '',
    what.next,
    '',
    d.dashboardUrl,
  ].join('\n');
  const html = toHtml(
    <MailLayout ctx={ctx} title={subject}>
      <h1 style="font-size:20px">Order {d.orderId}</h1>
      <p>{what.lead}</p>
      {reason ? <p>Reason: {reason}</p> : null}
      <p>{what.next}</p>
      <Button href={d.dashboardUrl}>Open your dashboard</Button>
    </MailLayout>,
  );
  return { subject, text, html };
};
