// The disputes section of an order page (shopper and admin): each dispute's amount, state and outcome.
import { formatUtc } from '../lib/time';
import { formatMoney } from '../lib/money';
import type { DisputeView } from './view';

const LABEL: Record<DisputeView['outcome'], string> = {
  open: 'Disputed',
  won: 'Dispute won',
  lost: 'Dispute lost',
  closed: 'Inquiry closed',
};

const date = (s: number | null) => (s ? formatUtc(s, 'day') : '—');

/** Nothing when the order has no dispute; `detail` adds Stripe's ids and the money dates (admin). */
export function OrderDisputes(props: { disputes: readonly DisputeView[]; detail?: boolean }) {
  if (props.disputes.length === 0) return null;
  return (
    <section class="panel disputes" data-disputes={props.disputes.length}>
      <h2>Disputes</h2>
      {props.disputes.map((d) => (
        <div class="dispute" data-dispute-id={d.id} data-dispute-status={d.status}>
          <p>
            <strong>{LABEL[d.outcome]}</strong>: {formatMoney(d.amount, d.currency)} (
            {d.reason.replace(/_/g, ' ')}
            ), opened {date(d.disputedAt)}
            {d.closedAt ? `, closed ${date(d.closedAt)}` : ''}.
          </p>
          <p>{d.summary}</p>
          {props.detail ? (
            <p>
              <code>{d.id}</code> on <code>{d.chargeId}</code> · status {d.status} · funds withdrawn{' '}
              {date(d.fundsWithdrawnAt)} · reinstated {date(d.fundsReinstatedAt)}
            </p>
          ) : null}
        </div>
      ))}
    </section>
  );
}
