// The operator's admin pages (server-rendered, no JavaScript): listings, one order, one event, actions.
import { formatUtc } from '../lib/time';
import { type Child } from '../lib/jsx/jsx-runtime';
import { LineDiscount } from '../pages/line-discount';
import { MESSAGE_STATUSES, ORDER_STATUSES, TRANSFER_STATUSES, WEBHOOK_STATUSES } from '../db/schema';
import { formatMoney, refundableOf } from '../lib/money';
import type { MessageListItem } from '../notifications/outbox';
import { reversalCause, type ReversalCause } from '../payouts/plan';
import { OrderDisputes } from '../disputes/section';
import { DataTable, PostButton } from '../pages/components';
import { AdminOrderParts } from './fulfilment-pages';
import type {
  getOrderDetail,
  getStoreDetail,
  getWebhookEvent,
  listOrders,
  listStores,
  listTransfers,
  listWebhookEvents,
  overview,
} from './queries';

type Awaited2<T> = T extends (...args: never[]) => Promise<infer R> ? R : never;

function when(seconds: number | null | undefined): string {
  return seconds ? formatUtc(seconds, 'second') : '—';
}

const NAV: [string, string][] = [
  ['/admin', 'Overview'],
  ['/admin/stores', 'Stores'],
  ['/admin/orders', 'Orders'],
  ['/admin/customers', 'Customers'],
  ['/admin/subscriptions', 'Subscriptions'],
  ['/admin/transfers', 'Transfers'],
  ['/admin/events', 'Webhook events'],
  ['/admin/messages', 'Messages'],
  ['/admin/discounts', 'Discounts'],
];

/** The admin's own shell: never cached, never indexed. */
export function AdminLayout(props: {
  title: string;
  storeName: string;
  current?: string;
  notice?: string;
  children?: Child;
}) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} · ${props.storeName} admin`}</title>
        <link rel="stylesheet" href="/static/app.css" />
      </head>
      <body class="admin">
        <header class="site-header">
          <div class="wrap header-inner">
            <a class="brand" href="/admin">
              <span>{props.storeName} admin</span>
            </a>
            {props.current !== undefined ? (
              <nav aria-label="Admin" class="main-nav">
                {NAV.map(([href, label]) => (
                  <a href={href} aria-current={props.current === href ? 'page' : undefined}>
                    {label}
                  </a>
                ))}
                <PostButton action="/admin/logout" class="button button-ghost" formClass="inline">
                  Sign out
                </PostButton>
              </nav>
            ) : null}
          </div>
        </header>
        <main id="main" class="wrap">
          {props.notice ? (
            <p class="notice notice-ok" role="status">
              {props.notice}
            </p>
          ) : null}
          {props.children}
        </main>
      </body>
    </html>
  );
}

export function AdminLoginPage(props: { storeName: string; error?: string }) {
  return (
    <AdminLayout title="Sign in" storeName={props.storeName}>
      <section class="panel narrow">
        <h1>Operator sign-in</h1>
        {props.error ? (
          <p class="notice notice-error" role="alert">
            {props.error}
          </p>
        ) : null}
        <form method="post" action="/admin/login" class="form">
          <div class="field">
            <label for="f-token">Admin token</label>
            <input id="f-token" name="token" type="password" autocomplete="current-password" required />
          </div>
          <button class="button button-primary" type="submit">
            Sign in
          </button>
        </form>
      </section>
    </AdminLayout>
  );
}

function StatusFilter(props: {
  action: string;
  statuses: readonly string[];
  current?: string;
  extra?: Child;
}) {
  return (
    <form method="get" action={props.action} class="filters">
      {props.extra}
      <label for="f-status">Status</label>
      <select id="f-status" name="status">
        <option value="">any</option>
        {props.statuses.map((s) => (
          <option value={s} selected={props.current === s}>
            {s}
          </option>
        ))}
      </select>
      <button class="button" type="submit">
        Filter
      </button>
    </form>
  );
}

export function AdminHome(props: { storeName: string; data: Awaited2<typeof overview> }) {
  const d = props.data;
  return (
    <AdminLayout title="Overview" storeName={props.storeName} current="/admin">
      <h1>Overview</h1>
      <ul class="stats">
        <li>
          <a href="/admin/stores">{d.stores} stores</a>
        </li>
        {Object.entries(d.ordersByStatus).map(([status, n]) => (
          <li>
            <a href={`/admin/orders?status=${status}`}>
              {n} {status} orders
            </a>
          </li>
        ))}
        <li>{d.flaggedOrders} flagged orders</li>
        <li>
          <a href="/admin/transfers?status=failed">{d.failedTransfers} failed transfers</a>
        </li>
        <li>
          <a href="/admin/transfers">{d.failedReversals} failed reversals</a>
        </li>
        <li>
          <a href="/admin/events?status=failed">{d.failedEvents} failed webhook events</a>
        </li>
        <li>
          <a href="/admin/messages?status=queued">{d.pendingEmails} messages waiting</a>
        </li>
      </ul>
    </AdminLayout>
  );
}

export function StoresPage(props: { storeName: string; stores: Awaited2<typeof listStores> }) {
  return (
    <AdminLayout title="Stores" storeName={props.storeName} current="/admin/stores">
      <h1>Stores</h1>
      <DataTable columns={['Store', 'Status', 'Stripe account', 'Products', 'E-mail']}>
        {props.stores.map((s) => (
          <tr data-store-id={s.id}>
            <td>
              <a href={`/admin/stores/${s.id}`}>{s.name}</a>
            </td>
            <td>{s.status}</td>
            <td>
              <code>{s.stripeAccountId ?? '—'}</code>
            </td>
            <td>{s.productCount}</td>
            <td>{s.email ?? '—'}</td>
          </tr>
        ))}
      </DataTable>
    </AdminLayout>
  );
}

export function StorePage(props: { storeName: string; detail: Awaited2<typeof getStoreDetail> }) {
  const { store, products, transfers, contactMessages } = props.detail;
  return (
    <AdminLayout title={store.name} storeName={props.storeName} current="/admin/stores">
      <h1>{store.name}</h1>
      <dl class="facts">
        <dt>Status</dt>
        <dd>{store.status}</dd>
        <dt>Public page</dt>
        <dd>
          <a href={`/shops/${store.slug}`}>/shops/{store.slug}</a>
        </dd>
        <dt>Stripe account</dt>
        <dd>
          <code>{store.stripeAccountId ?? '—'}</code>
        </dd>
        <dt>Charges / payouts / details</dt>
        <dd>
          {String(store.chargesEnabled)} / {String(store.payoutsEnabled)} / {String(store.detailsSubmitted)}
        </dd>
        <dt>Disconnected</dt>
        <dd>{when(store.deauthorizedAt)}</dd>
        <dt>E-mail</dt>
        <dd>{store.email ?? '—'}</dd>
      </dl>
      <h2>Products ({products.length})</h2>
      <ul>
        {products.map((p) => (
          <li>
            {p.name} · {formatMoney(p.unitAmount, p.currency)} {p.active ? '' : '(hidden)'}
          </li>
        ))}
      </ul>
      <h2>Transfers</h2>
      <TransferTable transfers={transfers} />
      <h2>Contact messages</h2>
      <ul>
        {contactMessages.map((m) => (
          <li>
            {when(m.createdAt)} · {m.name} &lt;{m.email}&gt;: {m.message}
          </li>
        ))}
      </ul>
    </AdminLayout>
  );
}

export function OrdersPage(props: {
  storeName: string;
  orders: Awaited2<typeof listOrders>;
  status?: string;
}) {
  return (
    <AdminLayout title="Orders" storeName={props.storeName} current="/admin/orders">
      <h1>Orders</h1>
      <StatusFilter action="/admin/orders" statuses={ORDER_STATUSES} current={props.status} />
      <DataTable columns={['Order', 'Created', 'Status', 'Total', 'Refunded', 'E-mail', 'Flag']}>
        {props.orders.map((o) => (
          <tr data-order-id={o.id}>
            <td>
              <a href={`/admin/orders/${o.id}`}>
                <code>{o.id}</code>
              </a>
            </td>
            <td>{when(o.createdAt)}</td>
            <td>{o.status}</td>
            <td>{formatMoney(o.total, o.currency)}</td>
            <td>{o.amountRefunded ? formatMoney(o.amountRefunded, o.currency) : '—'}</td>
            <td>{o.email ?? '—'}</td>
            <td>{o.flag ?? ''}</td>
          </tr>
        ))}
      </DataTable>
    </AdminLayout>
  );
}

/** The operator's retry of a failed row (a transfer or a reversal). */
function RetryButton(props: { action: string }) {
  return (
    <form method="post" action={props.action}>
      <button class="button button-small" type="submit">
        Retry
      </button>
    </form>
  );
}

type TransferLike = {
  id: string;
  orderId: string;
  storeId: string;
  amount: number;
  fee: number;
  currency: string;
  status: string;
  stripeTransferId: string | null;
  amountReversed: number;
  attempts: number;
  lastError: string | null;
  storeName?: string | null;
};

// Rows carry a space between cells ({' '}): copied or read as text, "sent" and the next cell's id
// stay two words.
function TransferTable(props: { transfers: TransferLike[]; retry?: boolean }) {
  return (
    <DataTable
      columns={['Transfer', 'Order', 'Store', 'Amount', 'Fee', 'Reversed', 'Status', 'Stripe', 'Last error']}
      actions
    >
      {props.transfers.map((t) => (
        <tr data-transfer-id={t.id} data-status={t.status}>
          <td>
            <code>{t.id}</code>
          </td>{' '}
          <td>
            <a href={`/admin/orders/${t.orderId}`}>
              <code>{t.orderId}</code>
            </a>
          </td>{' '}
          <td>
            <a href={`/admin/stores/${t.storeId}`}>{t.storeName ?? t.storeId}</a>
          </td>{' '}
          <td>{formatMoney(t.amount, t.currency)}</td> <td>{formatMoney(t.fee, t.currency)}</td>{' '}
          <td>{t.amountReversed ? formatMoney(t.amountReversed, t.currency) : '—'}</td> <td>{t.status}</td>{' '}
          <td>
            <code>{t.stripeTransferId ?? '—'}</code>
          </td>{' '}
          <td>{t.lastError ?? ''}</td>{' '}
          <td>
            {t.status === 'failed' ? <RetryButton action={`/admin/transfers/${t.id}/retry`} /> : null}
          </td>{' '}
        </tr>
      ))}
    </DataTable>
  );
}

type ReversalLike = {
  id: string;
  transferId: string;
  refundId: string;
  amount: number;
  status: string;
  stripeReversalId: string | null;
  lastError: string | null;
  currency?: string;
  orderId?: string;
};

/** Why a reversal exists, in an operator's words. */
function ReversalCauseCell(props: { cause: ReversalCause; currency: string }) {
  const { cause } = props;
  if (cause.kind === 'refunds')
    return <>reversal: vendor's share of {formatMoney(cause.refunded, props.currency)} refunded in all</>;
  if (cause.kind === 'correction')
    return (
      <>
        reversal correcting over-sent <code>{cause.stripeTransferId}</code>
      </>
    );
  if (cause.kind === 'dispute_return')
    return (
      <>
        given back: dispute <code>{cause.disputeId}</code> won
      </>
    );
  return <code>{cause.refundId}</code>;
}

function ReversalTable(props: { reversals: ReversalLike[]; currency?: string }) {
  if (props.reversals.length === 0) return <p class="empty">No reversals.</p>;
  return (
    <DataTable
      columns={['Reversal', 'Transfer', 'Cause', 'Amount', 'Status', 'Stripe', 'Last error']}
      actions
    >
      {props.reversals.map((r) => (
        <tr data-reversal-id={r.id} data-status={r.status}>
          <td>
            <code>{r.id}</code>
          </td>{' '}
          <td>
            <code>{r.transferId}</code>
          </td>{' '}
          <td>
            <ReversalCauseCell
              cause={reversalCause(r.refundId)}
              currency={r.currency ?? props.currency ?? 'usd'}
            />
          </td>{' '}
          <td>{formatMoney(r.amount, r.currency ?? props.currency ?? 'usd')}</td>{' '}
          <td>{r.status === 'applied' ? 'applied (transfer reduced before sending)' : r.status}</td>{' '}
          <td>
            <code>{r.stripeReversalId ?? '—'}</code>
          </td>{' '}
          <td>{r.lastError ?? ''}</td>{' '}
          <td>
            {r.status === 'failed' ? <RetryButton action={`/admin/reversals/${r.id}/retry`} /> : null}
          </td>{' '}
        </tr>
      ))}
    </DataTable>
  );
}

export function OrderPage(props: {
  storeName: string;
  detail: Awaited2<typeof getOrderDetail>;
  requestId: string;
  notice?: string;
  error?: string;
}) {
  const { order, lines, payment, transfers, refunds, events } = props.detail;
  const remaining = refundableOf(order);
  const refundable = (order.status === 'paid' || order.status === 'partially_refunded') && remaining > 0;
  return (
    <AdminLayout
      title={`Order ${order.id}`}
      storeName={props.storeName}
      current="/admin/orders"
      notice={props.notice}
    >
      <h1>
        Order <code>{order.id}</code>
      </h1>
      {props.error ? (
        <p class="notice notice-error" role="alert">
          {props.error}
        </p>
      ) : null}
      <dl class="facts">
        <dt>Status</dt>
        <dd data-order-status>{order.status}</dd>
        <dt>Flag</dt>
        <dd>{order.flag ?? '—'}</dd>
        <dt>E-mail</dt>
        <dd>{order.email ?? '—'}</dd>
        <dt>Total</dt>
        <dd>{formatMoney(order.total, order.currency)}</dd>
        <dt>Received</dt>
        <dd>{formatMoney(order.amountReceived, order.currency)}</dd>
        <dt>Refunded</dt>
        <dd>{formatMoney(order.amountRefunded, order.currency)}</dd>
        <dt>Paid</dt>
        <dd>{when(order.paidAt)}</dd>
      </dl>
      <h2>Lines</h2>
      <DataTable columns={['Product', 'Store', 'Qty', 'Unit', 'Amount', 'Note']}>
        {lines.map((l) => (
          <tr>
            <td>{l.name}</td>
            <td>{l.storeName}</td>
            <td>{l.quantity}</td>
            <td>{formatMoney(l.unitAmount, order.currency)}</td>
            <td>
              {formatMoney(l.amount, order.currency)}
              <LineDiscount line={l} currency={order.currency} />
            </td>
            <td>{l.note}</td>
          </tr>
        ))}
      </DataTable>
      {props.detail.discount ? (
        <p data-order-discount>
          Discount code <code>{props.detail.discount.code}</code>: −
          {formatMoney(props.detail.discount.amount, order.currency)} on the lines
          {props.detail.discount.shippingAmount > 0
            ? ` and −${formatMoney(props.detail.discount.shippingAmount, order.currency)} shipping`
            : ''}
          , funded by {props.detail.discount.fundedBy}.
          {order.flag?.includes('discount_over_limit')
            ? ' Paid after the code’s last redemption was taken: not counted against its limit.'
            : ''}
        </p>
      ) : null}
      <h2>Payment</h2>
      <dl class="facts">
        <dt>Payment status</dt>
        <dd>{payment.status}</dd>
        <dt>PaymentIntent</dt>
        <dd>
          <code>{payment.paymentIntentId ?? '—'}</code>
        </dd>
        <dt>Charge</dt>
        <dd>
          <code>{payment.chargeId ?? '—'}</code>
        </dd>
        <dt>Checkout Session</dt>
        <dd>
          <code>{payment.checkoutSessionId ?? '—'}</code>
        </dd>
        <dt>Attempts</dt>
        <dd>
          {payment.attempts.map((a) => (
            <div>
              {a.kind} <code>{a.stripeId ?? a.id}</code> {a.status} {formatMoney(a.amount, a.currency)}
            </div>
          ))}
        </dd>
      </dl>
      <h2>Refund</h2>
      {refundable ? (
        <form method="post" action={`/admin/orders/${order.id}/refund`} class="form">
          <input type="hidden" name="request_id" value={props.requestId} />
          <div class="field">
            <label for="f-amount">Amount ({order.currency.toUpperCase()})</label>
            <input
              id="f-amount"
              name="amount_decimal"
              inputmode="decimal"
              placeholder={`all ${formatMoney(remaining, order.currency)}`}
            />
            <p class="hint">
              Leave empty to refund everything left ({formatMoney(remaining, order.currency)}).
            </p>
          </div>
          <button class="button button-secondary" type="submit">
            Refund
          </button>
        </form>
      ) : (
        <p class="empty">Nothing to refund.</p>
      )}
      <h3>Refunds</h3>
      {refunds.length ? (
        <ul>
          {refunds.map((r) => (
            <li data-refund-id={r.id}>
              <code>{r.id}</code> {formatMoney(r.amount, r.currency)} {r.status} {when(r.createdAt)}
            </li>
          ))}
        </ul>
      ) : (
        <p class="empty">No refunds.</p>
      )}
      <AdminOrderParts detail={props.detail} />
      <h2>Transfers</h2>
      <TransferTable transfers={transfers} />
      <h3>Reversals</h3>
      <ReversalTable reversals={transfers.flatMap((t) => t.reversals)} currency={order.currency} />
      <OrderDisputes disputes={props.detail.disputes} detail />
      <h2>Events</h2>
      <ul>
        {events.map((e) => (
          <li>
            <a href={`/admin/events/${e.id}`}>
              <code>{e.id}</code>
            </a>{' '}
            {e.type} · {e.status} · {when(e.created)} {e.lastError ? `· ${e.lastError}` : ''}
          </li>
        ))}
      </ul>
    </AdminLayout>
  );
}

export function TransfersPage(props: {
  storeName: string;
  data: Awaited2<typeof listTransfers>;
  status?: string;
  notice?: string;
}) {
  return (
    <AdminLayout
      title="Transfers"
      storeName={props.storeName}
      current="/admin/transfers"
      notice={props.notice}
    >
      <h1>Transfers</h1>
      <StatusFilter action="/admin/transfers" statuses={TRANSFER_STATUSES} current={props.status} />
      <TransferTable transfers={props.data.transfers} />
      <h2>Reversals</h2>
      <ReversalTable reversals={props.data.reversals} />
    </AdminLayout>
  );
}

export function EventsPage(props: {
  storeName: string;
  events: Awaited2<typeof listWebhookEvents>;
  type?: string;
  status?: string;
}) {
  return (
    <AdminLayout title="Webhook events" storeName={props.storeName} current="/admin/events">
      <h1>Webhook events</h1>
      <StatusFilter
        action="/admin/events"
        statuses={WEBHOOK_STATUSES}
        current={props.status}
        extra={
          <>
            <label for="f-type">Type</label>
            <input id="f-type" name="type" value={props.type ?? ''} placeholder="e.g. account.updated" />
          </>
        }
      />
      <DataTable columns={['Event', 'Type', 'Account', 'Status', 'Attempts', 'Received', 'Error']}>
        {props.events.map((e) => (
          <tr data-event-id={e.id} data-status={e.status}>
            <td>
              <a href={`/admin/events/${e.id}`}>
                <code>{e.id}</code>
              </a>
            </td>
            <td>{e.type}</td>
            <td>
              <code>{e.account ?? ''}</code>
            </td>
            <td>{e.status}</td>
            <td>{e.attempts}</td>
            <td>{when(e.receivedAt)}</td>
            <td>{e.lastError ?? ''}</td>
          </tr>
        ))}
      </DataTable>
    </AdminLayout>
  );
}

export function EventPage(props: {
  storeName: string;
  event: Awaited2<typeof getWebhookEvent>;
  notice?: string;
}) {
  const e = props.event;
  return (
    <AdminLayout
      title={`Event ${e.id}`}
      storeName={props.storeName}
      current="/admin/events"
      notice={props.notice}
    >
      <h1>
        Event <code>{e.id}</code>
      </h1>
      <dl class="facts">
        <dt>Type</dt>
        <dd>{e.type}</dd>
        <dt>Status</dt>
        <dd data-event-status>{e.status}</dd>
        <dt>Attempts</dt>
        <dd>{e.attempts}</dd>
        <dt>Last error</dt>
        <dd>{e.lastError ?? '—'}</dd>
        <dt>Account</dt>
        <dd>{e.account ?? '—'}</dd>
        <dt>Created / received / processed</dt>
        <dd>
          {when(e.created)} / {when(e.receivedAt)} / {when(e.processedAt)}
        </dd>
      </dl>
      <PostButton action={`/admin/events/${e.id}/replay`}>Replay this event</PostButton>
      <h2>Payload</h2>
      <pre class="payload">{JSON.stringify(e.payload, null, 2)}</pre>
    </AdminLayout>
  );
}

/** Every message the system sends, with its state; failed and sent ones can be resent. */
export function MessagesPage(props: {
  storeName: string;
  rows: MessageListItem[];
  status?: string;
  notice?: string;
}) {
  return (
    <AdminLayout title="Messages" storeName={props.storeName} current="/admin/messages" notice={props.notice}>
      <h1>Messages</h1>
      <p class="hint">
        E-mails queue in the same write as what caused them and are sent by the notifications queue; a
        transient failure is retried with growing delays, then recorded here. Sign-in links are never resent
        (their owner asks for a new one).
      </p>
      <nav class="filters">
        <a href="/admin/messages" aria-current={props.status ? undefined : 'page'}>
          All
        </a>
        {MESSAGE_STATUSES.map((s) => (
          <>
            {' · '}
            <a href={`/admin/messages?status=${s}`} aria-current={props.status === s ? 'page' : undefined}>
              {s}
            </a>
          </>
        ))}
      </nav>
      <DataTable
        columns={['Created', 'Kind', 'To', 'Subject', 'Status', 'Attempts', 'Last error', 'Sent']}
        actions
      >
        {props.rows.map((r) => (
          <tr data-message-id={r.id}>
            <td>{when(r.createdAt)}</td>
            <td>{r.kind}</td>
            <td>{r.recipient ?? ''}</td>
            <td>{r.subject ?? ''}</td>
            <td>{r.status}</td>
            <td>{r.attempts}</td>
            <td>{r.lastError ?? ''}</td>
            <td>{when(r.sentAt)}</td>
            <td>
              {r.canResend ? <PostButton action={`/admin/messages/${r.id}/resend`}>Resend</PostButton> : null}
            </td>
          </tr>
        ))}
      </DataTable>
    </AdminLayout>
  );
}
