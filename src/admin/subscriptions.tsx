// Admin: the Subscriptions list and one subscription (customer, products, vendors, status, periods with
// their orders and transfers, events), with cancel; JSON under /admin/api/subscriptions. Mounted behind
// the admin guard by routes.tsx.
import { formatUtc } from '../lib/time';
import { Hono } from 'hono';
import * as z from 'zod';
import { getDb } from '../db/client';
import { SUBSCRIPTION_STATUSES } from '../db/schema';
import { storeConfig } from '../lib/config';
import { NotFoundError } from '../lib/errors';
import { body, validate } from '../lib/input';
import { formatMoney } from '../lib/money';
import { DataTable, PostButton } from '../pages/components';
import { renderPage } from '../pages/document';
import { cancelNow, setCancelAtPeriodEnd } from '../subscriptions/actions';
import {
  getSubscriptionAdminDetail,
  listSubscriptions,
  type SubscriptionAdminDetail,
  type SubscriptionListItem,
} from '../subscriptions/admin-queries';
import { getSubscription } from '../subscriptions/records';
import { AdminLayout } from './pages';

const when = (seconds: number | null | undefined) => (seconds ? formatUtc(seconds, 'minute') : '—');

function SubscriptionsPage(props: {
  storeName: string;
  rows: SubscriptionListItem[];
  status?: string | undefined;
}) {
  return (
    <AdminLayout title="Subscriptions" storeName={props.storeName} current="/admin/subscriptions">
      <h1>Subscriptions</h1>
      <nav class="filters">
        <a href="/admin/subscriptions" aria-current={props.status ? undefined : 'page'}>
          All
        </a>
        {['active', 'past_due', 'canceled'].map((s) => (
          <a href={`/admin/subscriptions?status=${s}`} aria-current={props.status === s ? 'page' : undefined}>
            {s}
          </a>
        ))}
      </nav>
      <DataTable
        columns={[
          'Subscription',
          'Customer',
          'Products',
          'Vendors',
          'Status',
          'Amount',
          'Period ends',
          'Since',
        ]}
      >
        {props.rows.map((r) => (
          <tr data-subscription-id={r.id}>
            <td>
              <a href={`/admin/subscriptions/${encodeURIComponent(r.id)}`}>
                <code>{r.id}</code>
              </a>
            </td>
            <td>{r.email ?? r.customerId}</td>
            <td>{r.products}</td>
            <td>{r.vendors}</td>
            <td>
              {r.status}
              {r.cancelAtPeriodEnd ? ' (ends at period end)' : ''}
            </td>
            <td>
              {formatMoney(r.amount, r.currency)} / {r.interval}
            </td>
            <td>{when(r.currentPeriodEnd)}</td>
            <td>{when(r.createdAt)}</td>
          </tr>
        ))}
      </DataTable>
      {props.rows.length === 0 ? <p>No subscriptions.</p> : null}
    </AdminLayout>
  );
}

function SubscriptionPage(props: {
  storeName: string;
  d: SubscriptionAdminDetail;
  notice?: string | undefined;
}) {
  const s = props.d.subscription;
  const money = (n: number) => formatMoney(n, s.currency);
  return (
    <AdminLayout
      title={s.id}
      storeName={props.storeName}
      current="/admin/subscriptions"
      notice={props.notice}
    >
      <h1>
        Subscription <code>{s.id}</code>
      </h1>
      <dl class="facts">
        <dt>Status</dt>
        <dd data-status={s.status}>
          {s.statusLabel}
          {s.cancelAtPeriodEnd && s.live ? ` — ends ${when(s.currentPeriodEnd)}` : ''}
        </dd>
        <dt>Customer</dt>
        <dd>
          <a href={`/admin/customers/${encodeURIComponent(s.customerId)}`}>{s.email ?? s.customerId}</a>
        </dd>
        <dt>Billing</dt>
        <dd>
          {money(s.amount)} / {s.interval}; current period {when(s.currentPeriodStart)} to{' '}
          {when(s.currentPeriodEnd)}
        </dd>
        <dt>First order</dt>
        <dd>{s.orderId ? <a href={`/admin/orders/${s.orderId}`}>{s.orderId}</a> : '—'}</dd>
      </dl>
      <h2>Products</h2>
      <DataTable columns={['Product', 'Vendor', 'Price', 'Qty']}>
        {s.items.map((i) => (
          <tr>
            <td>{i.name}</td>
            <td>
              <a href={`/admin/stores/${encodeURIComponent(i.storeId)}`}>{i.storeName}</a>
            </td>
            <td>{money(i.unitAmount)}</td>
            <td>{i.quantity}</td>
          </tr>
        ))}
      </DataTable>
      <h2>Periods</h2>
      <DataTable columns={['Invoice', 'Period', 'Amount', 'Status', 'Order', 'Transfers']}>
        {s.invoices.map((i) => (
          <tr data-invoice-id={i.id}>
            <td>{i.hostedInvoiceUrl ? <a href={i.hostedInvoiceUrl}>{i.id}</a> : <code>{i.id}</code>}</td>
            <td>
              {when(i.periodStart)} to {when(i.periodEnd)}
            </td>
            <td>{money(i.amount)}</td>
            <td>{i.status}</td>
            <td>{i.orderId ? <a href={`/admin/orders/${i.orderId}`}>{i.orderId}</a> : '—'}</td>
            <td>
              {props.d.transfers
                .filter((t) => t.orderId === i.orderId)
                .map((t) => `${money(t.amount)} to ${t.storeId} (${t.status})`)
                .join('; ') || '—'}
            </td>
          </tr>
        ))}
      </DataTable>
      <h2>Events</h2>
      <DataTable columns={['Event', 'Type', 'Status', 'Created']}>
        {props.d.events.map((e) => (
          <tr>
            <td>
              <a href={`/admin/events/${e.id}`}>{e.id}</a>
            </td>
            <td>{e.type}</td>
            <td>{e.status}</td>
            <td>{when(e.created)}</td>
          </tr>
        ))}
      </DataTable>
      {s.live ? (
        <div class="actions">
          {s.cancelAtPeriodEnd ? null : (
            <PostButton action={`/admin/subscriptions/${s.id}/cancel`} fields={{ at_period_end: 'true' }}>
              Cancel at period end
            </PostButton>
          )}
          <PostButton action={`/admin/subscriptions/${s.id}/cancel`} class="button button-danger">
            Cancel now (no refund)
          </PostButton>
        </div>
      ) : null}
    </AdminLayout>
  );
}

const listQuery = z.object({ status: z.enum(SUBSCRIPTION_STATUSES).optional() });
const cancelBody = body(
  ['form', 'json', 'empty'],
  z.object({ at_period_end: z.union([z.boolean(), z.enum(['true', 'false'])]).optional() }),
);

async function detailOr404(env: Env, id: string): Promise<SubscriptionAdminDetail> {
  const d = await getSubscriptionAdminDetail(getDb(env), id);
  if (!d) throw new NotFoundError('There is no such subscription.');
  return d;
}

/** Cancels now, or at the period end; the subscription must exist. */
async function cancel(env: Env, id: string, atPeriodEnd: boolean): Promise<void> {
  const row = await getSubscription(getDb(env), id);
  if (!row) throw new NotFoundError('There is no such subscription.');
  if (atPeriodEnd) await setCancelAtPeriodEnd(env, row, true);
  else await cancelNow(env, row);
}

const NOTICES: Record<string, string> = {
  canceled: 'Subscription canceled (no refund).',
  'ends-at-period-end': 'The subscription ends at the end of its period.',
};

/** The operator's subscription pages and JSON. */
export const adminSubscriptionRoutes = new Hono<{ Bindings: Env }>()
  .get('/admin/subscriptions', validate('query', listQuery), async (c) => {
    const { status } = c.req.valid('query');
    const rows = await listSubscriptions(getDb(c.env), { status });
    return renderPage(
      c,
      <SubscriptionsPage storeName={storeConfig(c.env).storeName} rows={rows} status={status} />,
    );
  })
  .get('/admin/subscriptions/:id', async (c) => {
    const d = await detailOr404(c.env, c.req.param('id'));
    return renderPage(
      c,
      <SubscriptionPage
        storeName={storeConfig(c.env).storeName}
        d={d}
        notice={NOTICES[c.req.query('notice') ?? '']}
      />,
    );
  })
  .post('/admin/subscriptions/:id/cancel', cancelBody, async (c) => {
    const id = c.req.param('id');
    const atEnd = String(c.req.valid('json').at_period_end) === 'true';
    await cancel(c.env, id, atEnd);
    return c.redirect(
      `/admin/subscriptions/${encodeURIComponent(id)}?notice=${atEnd ? 'ends-at-period-end' : 'canceled'}`,
      303,
    );
  })
  .get('/admin/api/subscriptions', validate('query', listQuery), async (c) =>
    c.json({ subscriptions: await listSubscriptions(getDb(c.env), { status: c.req.valid('query').status }) }),
  )
  .get('/admin/api/subscriptions/:id', async (c) => c.json(await detailOr404(c.env, c.req.param('id'))))
  .post('/admin/api/subscriptions/:id/cancel', cancelBody, async (c) => {
    const id = c.req.param('id');
    await cancel(c.env, id, String(c.req.valid('json').at_period_end) === 'true');
    return c.json(await detailOr404(c.env, id));
  });
