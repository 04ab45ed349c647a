// The admin order page's fulfilment section: each vendor's part with its state, shipments and tracking,
// the vendor's transfer (held, sent, reduced, reversed), the cancel refund, return requests with their
// decisions, and the operator's buttons (mark delivered, cancel with a reason, approve/decline a return).
import { formatMoney } from '../lib/money';
import { PART_LABEL, PartItems } from '../fulfilment/pages';
import type { getOrderDetail } from './queries';
import { PostButton, ReasonButton } from '../pages/components';

type Detail = Awaited<ReturnType<typeof getOrderDetail>>;
type Transfer = Detail['transfers'][number];

/** The vendor's transfer in an operator's words: held and why, sent, reduced before sending, reversed. */
function payoutSummary(t: Transfer, currency: string): string {
  const money = (n: number) => formatMoney(n, currency);
  const initial = t.initialAmount || t.amount;
  const reduced = t.amount < initial ? `reduced from ${money(initial)} to ${money(t.amount)}` : '';
  switch (t.status) {
    case 'held':
      return [
        `held ${money(t.amount)} until the part ${t.heldFor === 'delivery' ? `is delivered + ${t.holdDays} days` : 'ships'}`,
        reduced,
      ]
        .filter(Boolean)
        .join(', ');
    case 'pending':
    case 'sending':
      return [`${money(t.amount)} waiting to be sent`, reduced].filter(Boolean).join(', ');
    case 'canceled':
      return `reduced from ${money(initial)} to nothing before sending (not sent)`;
    case 'failed':
      return `failed: ${t.lastError ?? 'see Transfers'}`;
    default:
      return t.amountReversed > 0
        ? `sent ${money(t.amount)}, reversed ${money(t.amountReversed)}${t.status === 'reversed' ? ' (all)' : ''}`
        : `sent ${money(t.amount)}`;
  }
}

/** One part per vendor, with what the operator may do to it. */
export function AdminOrderParts(props: { detail: Detail }) {
  const { order, parts, returns, transfers } = props.detail;
  const money = (n: number) => formatMoney(n, order.currency);
  if (parts.length === 0) return null;
  return (
    <section class="admin-parts" aria-labelledby="parts-h">
      <h2 id="parts-h">Fulfilment</h2>
      {parts.map((part) => {
        const transfer = transfers.find((t) => t.storeId === part.storeId);
        const names = new Map(part.lines.map((l) => [l.productId, l.name]));
        const partReturns = returns.filter((r) => r.storeId === part.storeId);
        const base = `/admin/orders/${order.id}`;
        return (
          <article class="panel admin-part" data-store-id={part.storeId} data-part-status={part.status}>
            <h3>
              {part.storeName}: {PART_LABEL[part.status]}
              {part.deliveredBy ? ` (by ${part.deliveredBy})` : ''}
            </h3>
            {part.cancelReason ? (
              <p>
                Cancelled: “{part.cancelReason}” · refund {money(part.cancelRefundAmount)}{' '}
                {part.cancelRefundId ? <code>{part.cancelRefundId}</code> : '(still to be taken by Stripe)'} ·
                vendor gives back {money(part.cancelVendorAmount)}
              </p>
            ) : null}
            <PartItems part={part} empty="No shipments yet." />
            <p data-part-transfer={transfer?.status ?? 'none'}>
              Payout: {transfer ? payoutSummary(transfer, order.currency) : 'no transfer'}
            </p>
            {partReturns.length ? (
              <ul class="returns">
                {partReturns.map((r) => (
                  <li data-return-id={r.id} data-return-status={r.status}>
                    Return {r.status}:{' '}
                    {r.items.map((i) => `${i.quantity}× ${names.get(i.productId) ?? i.productId}`).join(', ')}{' '}
                    · {money(r.amount)} (vendor {money(r.vendorAmount)}) · “{r.reason}”
                    {r.decidedBy ? ` · decided by ${r.decidedBy}` : ''}
                    {r.decisionReason ? `: “${r.decisionReason}”` : ''}
                    {r.restock ? ' · restocked' : ''}
                    {r.refundId ? (
                      <>
                        {' '}
                        · <code>{r.refundId}</code>
                      </>
                    ) : null}
                    {r.status === 'requested' ? (
                      <div class="actions">
                        <form method="post" action={`${base}/returns/${r.id}/approve`} class="inline">
                          <label>
                            <input type="checkbox" name="restock" value="on" /> goods came back: restock
                          </label>{' '}
                          <button class="button button-small" type="submit">
                            Approve return
                          </button>
                        </form>
                        <ReasonButton action={`${base}/returns/${r.id}/decline`}>Decline return</ReasonButton>
                      </div>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : null}
            <div class="actions">
              {part.status === 'shipped' ? (
                <PostButton
                  action={`${base}/parts/${part.storeId}/delivered`}
                  class="button button-small"
                  formClass="inline"
                >
                  Mark delivered
                </PostButton>
              ) : null}
              {part.status === 'unfulfilled' || part.status === 'partially_shipped' ? (
                <ReasonButton action={`${base}/parts/${part.storeId}/cancel`}>Cancel part</ReasonButton>
              ) : null}
            </div>
          </article>
        );
      })}
    </section>
  );
}
