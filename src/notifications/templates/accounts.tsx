// Account mail: sign-in links for vendors and shoppers, the subscription welcome, the contact message.
import { formatMoney } from '../../lib/money';
import { clip, displayName, oneLine } from '../text';
import { Button, MailLayout, toHtml } from './layout';
import type {
  ContactMessageData,
  ShopperSignInData,
  SubscriptionWelcomeData,
  Template,
  VendorSignInData,
} from './types';

/** A vendor's one-time sign-in link. */
export const vendorSignIn: Template<VendorSignInData> = async (d, ctx) => {
  const store = displayName(d.storeName, 'your shop');
  const subject = oneLine(`Sign in to ${store} on ${ctx.marketplace}`);
  const text = [
    `Open this link to sign in to your vendor dashboard (it works once, for ${d.minutes} minutes):`,
    '',
    d.url,
    '',
    'If you did not ask for it, ignore this e-mail.',
  ].join('\n');
  const html = toHtml(
    <MailLayout ctx={ctx} title={subject}>
      <h1 style="font-size:20px">Sign in to {store}</h1>
      <p>The link works once, for {d.minutes} minutes.</p>
      <Button href={d.url}>Sign in to your dashboard</Button>
      <p style="font-size:12px;color:#5b6b6e">If you did not ask for it, ignore this e-mail.</p>
    </MailLayout>,
  );
  return { subject, text, html };
};

/** A shopper's one-time sign-in link (their orders at /account). */
export const shopperSignIn: Template<ShopperSignInData> = async (d, ctx) => {
  const subject = oneLine(`Your sign-in link for ${ctx.marketplace}`);
  const text = [
    `Open this link to see your orders on ${ctx.marketplace} (it works once, for ${d.minutes} minutes):`,
    '',
    d.url,
    '',
    'If you did not ask for it, ignore this e-mail.',
  ].join('\n');
  const html = toHtml(
    <MailLayout ctx={ctx} title={subject}>
      <h1 style="font-size:20px">Sign in to {ctx.marketplace}</h1>
      <p>The link works once, for {d.minutes} minutes.</p>
      <Button href={d.url}>See your orders</Button>
      <p style="font-size:12px;color:#5b6b6e">If you did not ask for it, ignore this e-mail.</p>
    </MailLayout>,
  );
  return { subject, text, html };
};

/** A shopper's message from a shop's contact form, to the shop (Reply-To is the shopper). */
export const contactMessage: Template<ContactMessageData> = async (d, ctx) => {
  const from = displayName(d.fromName, 'A shopper');
  const store = displayName(d.storeName, 'your shop');
  const subject = oneLine(`Message from ${from} via your shop ${store}`);
  const message = clip(d.message, 5000);
  const text = [
    `${from} <${d.fromEmail}> wrote:`,
    '',
    message,
    '',
    `Reply to this e-mail (or to ${d.fromEmail}) to answer.`,
  ].join('\n');
  const html = toHtml(
    <MailLayout ctx={ctx} title={subject}>
      <h1 style="font-size:20px">A message for {store}</h1>
      <p>
        {from} &lt;{d.fromEmail}&gt; wrote:
      </p>
      <blockquote style="margin:0;padding:8px 12px;border-left:3px solid #e3ded3;white-space:pre-wrap">
        {message}
      </blockquote>
      <p>Reply to this e-mail to answer.</p>
    </MailLayout>,
  );
  return { subject, text, html };
};

/** Welcome to a new subscription (used by the subscription work). */
export const subscriptionWelcome: Template<SubscriptionWelcomeData> = async (d, ctx) => {
  const plan = displayName(d.planName, 'your subscription');
  const subject = oneLine(`Welcome to ${plan} on ${ctx.marketplace}`);
  const price = `${formatMoney(d.amount, d.currency)} per ${d.interval}`;
  const hello = d.name ? `Hello ${displayName(d.name)},` : 'Hello,';
  const text = [
    hello,
    '',
    `your subscription to ${plan} (${price}) is active.`,
    d.manageUrl ? `Manage it here: ${d.manageUrl}` : '',
  ].join('\n');
  const html = toHtml(
    <MailLayout ctx={ctx} title={subject}>
      <h1 style="font-size:20px">Welcome to {plan}</h1>
      <p>{hello}</p>
      <p>Your subscription ({price}) is active.</p>
      {d.manageUrl ? <Button href={d.manageUrl}>Manage your subscription</Button> : null}
    </MailLayout>,
  );
  return { subject, text, html };
};
