// Dispute mail for vendors: a shopper's bank disputed an order with their items, and how it ended.
import { formatMoney } from '../../lib/money';
import { displayName, oneLine } from '../text';
import { Button, MailLayout, toHtml } from './layout';
import type { Template } from './types';

export interface VendorDisputeNoticeData {
  orderId: string;
  storeName: string;
  event: 'opened' | 'won' | 'lost';
  /** What the dispute takes from (opened, lost) or gives back to (won) this vendor, minor units. */
  amount: number;
  currency: string;
  dashboardUrl: string;
}

const WHAT: Record<VendorDisputeNoticeData['event'], { subject: string; lead: string; money: string }> = {
  opened: {
    subject: 'disputed',
    lead: "The shopper's bank disputed the payment for this order. The platform answers the dispute and bears Stripe's dispute fee.",
    money: 'Your share of the disputed amount is held back from your payout until the dispute is decided:',
  },
  won: {
    subject: 'dispute won',
    lead: 'The dispute of this order was decided in our favour.',
    money: 'What was held back from you is paid to you again:',
  },
  lost: {
    subject: 'dispute lost',
    lead: "The shopper's bank decided the dispute of this order in the shopper's favour.",
    money: 'Your share of the disputed amount stays taken back from your payout:',
  },
};

/** A vendor is told their order was disputed, and how the dispute ended. */
export const vendorDisputeNotice: Template<VendorDisputeNoticeData> = async (d, ctx) => {
  const store = displayName(d.storeName, 'your shop');
  const what = WHAT[d.event];
  const subject = oneLine(`Order ${d.orderId}: ${what.subject} (${store})`);
  const amount = formatMoney(d.amount, d.currency);
  const text = [what.lead, '', `${what.money} ${amount}.`, '', d.dashboardUrl].join('\n');
  const html = toHtml(
    <MailLayout ctx={ctx} title={subject}>
      <h1 style="font-size:20px">Order {d.orderId}</h1>
      <p>{what.lead}</p>
      <p>
        {what.money} <strong>{amount}</strong>.
      </p>
      <Button href={d.dashboardUrl}>Open your dashboard</Button>
    </MailLayout>,
  );
  return { subject, text, html };
};
