// "My subscription": status, next billing, past invoices and the shopper's actions (props only).
import { formatUtc } from '../lib/time';
import { formatMoney } from '../lib/money';
import { Layout } from '../pages/layout';
import type { SubscriptionView } from './view';

const date = (t: number | null) => (t === null ? '—' : formatUtc(t, 'day'));

/** One action button: a form posting to the subscription's action path, carrying the signed link. */
function Action(props: {
  id: string;
  action: string;
  token: string | null;
  label: string;
  danger?: boolean;
}) {
  return (
    <form method="post" action={`/subscriptions/${props.id}/${props.action}`} class="inline-form">
      {props.token ? <input type="hidden" name="t" value={props.token} /> : null}
      <button type="submit" class={props.danger ? 'button button-danger' : 'button'}>
        {props.label}
      </button>
    </form>
  );
}

/** The shopper's page of one subscription. `token` is the signed link it was opened with, if any. */
export function SubscriptionPage(props: { storeName: string; sub: SubscriptionView; token: string | null }) {
  const { sub, token } = props;
  const money = (n: number) => formatMoney(n, sub.currency);
  return (
    <Layout title="My subscription" storeName={props.storeName}>
      <section class="panel subscription" data-subscription-id={sub.id} data-status={sub.status}>
        <h1>My subscription</h1>
        <p class={`status status-${sub.status}`} role="status">
          <strong>{sub.statusLabel}</strong>
          {sub.cancelAtPeriodEnd && sub.live ? ` — ends on ${date(sub.currentPeriodEnd)}` : null}
        </p>
        <ul class="subscription-items">
          {sub.items.map((i) => (
            <li>
              {i.quantity} × {i.name} from {i.storeName} — {money(i.unitAmount)} / {sub.interval}
            </li>
          ))}
        </ul>
        <dl class="facts">
          <dt>Next billing</dt>
          <dd>
            {sub.nextBillingAt !== null
              ? `${date(sub.nextBillingAt)}: ${money(sub.amount)}`
              : 'No further billing'}
          </dd>
          <dt>Current period</dt>
          <dd>
            {date(sub.currentPeriodStart)} to {date(sub.currentPeriodEnd)}
          </dd>
        </dl>
        {sub.payUrl ? (
          <p class="notice notice-warn">
            Your last payment failed.{' '}
            <a class="button" href={sub.payUrl} rel="noopener noreferrer">
              Pay the open invoice
            </a>
          </p>
        ) : null}
        {sub.live ? (
          <div class="actions">
            {sub.cancelAtPeriodEnd ? (
              <Action id={sub.id} action="resume" token={token} label="Resume subscription" />
            ) : (
              <Action id={sub.id} action="cancel" token={token} label="Cancel at period end" />
            )}
            <Action id={sub.id} action="update-card" token={token} label="Update card" />
            <Action id={sub.id} action="cancel-now" token={token} label="Cancel now (no refund)" danger />
          </div>
        ) : null}
        <h2>Invoices</h2>
        <table class="table subscription-invoices">
          <thead>
            <tr>
              <th scope="col">Period</th>
              <th scope="col">Amount</th>
              <th scope="col">Status</th>
              <th scope="col">Invoice</th>
            </tr>
          </thead>
          <tbody>
            {sub.invoices.map((i) => (
              <tr data-invoice-id={i.id}>
                <td>{date(i.periodStart)}</td>
                <td>{formatMoney(i.amount, i.currency)}</td>
                <td>{i.status === 'paid' ? 'Paid' : i.status === 'failed' ? 'Failed' : i.status}</td>
                <td>
                  {i.hostedInvoiceUrl ? (
                    <a href={i.hostedInvoiceUrl} rel="noopener noreferrer">
                      View invoice
                    </a>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Layout>
  );
}
