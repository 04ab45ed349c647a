// Subscription mail beyond the welcome: a renewal whose payment failed, with the invoice to pay.
import { formatMoney } from '../../lib/money';
import { displayName, oneLine } from '../text';
import { Button, MailLayout, toHtml } from './layout';
import type { Template } from './types';

/** What the renewal-failed notice needs. */
export interface RenewalFailedData {
  name?: string | null;
  planName: string;
  currency: string;
  /** The amount due, minor units. */
  amount: number;
  /** Stripe's hosted invoice page, where the open invoice can be paid. */
  payUrl?: string | null;
  manageUrl?: string | null;
}

/** "Your renewal payment failed": the subscription is past due until the invoice is paid. */
export const subscriptionRenewalFailed: Template<RenewalFailedData> = async (d, ctx) => {
  const plan = displayName(d.planName, 'your subscription');
  const subject = oneLine(`Payment failed for ${plan} on ${ctx.marketplace}`);
  const amount = formatMoney(d.amount, d.currency);
  const hello = d.name ? `Hello ${displayName(d.name)},` : 'Hello,';
  const text = [
    hello,
    '',
    `we could not collect ${amount} for your subscription to ${plan}. It is past due: we will try again,`,
    'or you can pay now with another card.',
    d.payUrl ? `Pay the invoice: ${d.payUrl}` : '',
    d.manageUrl ? `Manage your subscription: ${d.manageUrl}` : '',
  ].join('\n');
  const html = toHtml(
    <MailLayout ctx={ctx} title={subject}>
      <h1 style="font-size:20px">Your payment for {plan} failed</h1>
      <p>{hello}</p>
      <p>
        We could not collect {amount}. Your subscription is past due: we will try again, or you can pay now
        with another card.
      </p>
      {d.payUrl ? <Button href={d.payUrl}>Pay the invoice</Button> : null}
      {d.manageUrl ? (
        <p>
          <a href={d.manageUrl}>Manage your subscription</a>
        </p>
      ) : null}
    </MailLayout>,
  );
  return { subject, text, html };
};
