// The read-only order page: what was bought, from whom, the totals and the payment status.
import { LineDiscount } from '../pages/line-discount';
import { formatMoney } from '../lib/money';
import { Layout } from '../pages/layout';
import type { OrderView } from './view';
import { OrderParts } from '../fulfilment/pages';
import type { PartView } from '../fulfilment/parts';
import { OrderDisputes } from '../disputes/section';
import type { DisputeView } from '../disputes/view';
import { PostButton } from '../pages/components';

type PartReturns = Parameters<typeof OrderParts>[0]['returns'];

/**
 * The order page. `retryPath` links back to paying when the last attempt failed; `subscriptionPath`
 * to "My subscription" when a subscription placed the order.
 */
export function OrderPage(props: {
  storeName: string;
  order: OrderView;
  retryPath: string | null;
  subscriptionPath?: string | null;
  parts?: PartView[];
  disputes?: DisputeView[];
  /** Shows "Complete payment" (a fresh payment page for this order). */
  resumable?: boolean;
  /** Return requests and their decisions (fulfilment/returns.ts). */
  returns?: PartReturns;
  /** A flash after a form (`?notice=`), and the signed link's `?t=` for the forms' actions. */
  notice?: string;
  query?: string;
}) {
  const { order } = props;
  const money = (n: number) => formatMoney(n, order.currency);
  return (
    <Layout title={`Order ${order.id}`} storeName={props.storeName}>
      <section class="panel order" data-order-id={order.id} data-order-status={order.status}>
        <h1>Your order</h1>
        <p class="order-id">
          Order <code>{order.id}</code>
        </p>
        {props.notice ? (
          <p class="notice notice-ok" role="status">
            {props.notice}
          </p>
        ) : null}
        <p class={`status status-${order.status}`} data-payment-status={order.paymentStatus} role="status">
          <strong>{order.statusLabel}</strong> — {order.statusDetail}
        </p>
        {props.resumable ? (
          <PostButton action={`/orders/${order.id}/resume`}>Complete payment</PostButton>
        ) : null}
        {props.retryPath ? (
          <p>
            <a class="button" href={props.retryPath}>
              Try paying again
            </a>
          </p>
        ) : null}
        {props.subscriptionPath ? (
          <p>
            <a class="button" href={props.subscriptionPath}>
              My subscription
            </a>
          </p>
        ) : null}
        <table class="table order-lines">
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Sold by</th>
              <th scope="col">Price</th>
              <th scope="col">Qty</th>
              <th scope="col">Amount</th>
            </tr>
          </thead>
          <tbody>
            {order.lines.map((l) => (
              <tr>
                <td>
                  {l.name}
                  {l.note ? <div class="note">Note: {l.note}</div> : null}
                  <LineDiscount line={l} currency={order.currency} />
                </td>
                <td>{l.vendor.name}</td>
                <td>{money(l.unitAmount)}</td>
                <td>{l.quantity}</td>
                <td>{money(l.amount)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colspan={4}>
                Subtotal
              </th>
              <td>{money(order.subtotal)}</td>
            </tr>
            <tr>
              <th scope="row" colspan={4}>
                Shipping
              </th>
              <td>{order.shippingAmount > 0 ? money(order.shippingAmount) : 'Free'}</td>
            </tr>
            {order.taxAmount > 0 ? (
              <tr>
                <th scope="row" colspan={4}>
                  Tax
                </th>
                <td>{money(order.taxAmount)}</td>
              </tr>
            ) : null}
            <tr>
              <th scope="row" colspan={4}>
                Total
              </th>
              <td>
                <strong>{money(order.total)}</strong>
              </td>
            </tr>
          </tfoot>
        </table>
        <dl class="facts payment">
          {order.amountReceived > 0 ? (
            <>
              <dt>Amount received</dt>
              <dd>{money(order.amountReceived)}</dd>
            </>
          ) : null}
          {order.amountRefunded > 0 ? (
            <>
              <dt>Refunded</dt>
              <dd>{money(order.amountRefunded)}</dd>
            </>
          ) : null}
          {order.payment.id ? (
            <>
              <dt>Payment</dt>
              <dd>
                <code>{order.payment.id}</code>
              </dd>
            </>
          ) : null}
          {order.payment.receiptUrl ? (
            <>
              <dt>Receipt</dt>
              <dd>
                <a href={order.payment.receiptUrl} rel="noopener noreferrer">
                  View your receipt
                </a>
              </dd>
            </>
          ) : null}
        </dl>
      </section>
      <OrderParts
        orderId={order.id}
        parts={props.parts ?? []}
        actions={order.status === 'paid' || order.status === 'partially_refunded'}
        returns={props.returns}
        currency={order.currency}
        names={new Map(order.lines.map((l) => [l.productId, l.name]))}
        query={props.query}
      />
      <OrderDisputes disputes={props.disputes ?? []} />
    </Layout>
  );
}
