// Admin pages for customers: the searchable list and one customer with their orders and refunds.
import { formatUtc } from '../lib/time';
import { formatMoney } from '../lib/money';
import { addressLines } from '../pages/address';
import { DataTable } from '../pages/components';
import type { CustomerListItem, getCustomerDetail } from './customers';
import { AdminLayout } from './pages';

const when = (seconds: number | null | undefined) => (seconds ? formatUtc(seconds, 'second') : '—');

/** An address (or shipping block) on one line for tables. */
function oneLine(value: unknown): string {
  const shipping = value as { name?: string | null; address?: unknown } | null;
  if (shipping && typeof shipping === 'object' && 'address' in shipping) {
    return [shipping.name, ...addressLines(shipping.address)].filter(Boolean).join(', ') || '—';
  }
  return addressLines(value).join(', ') || '—';
}

export function CustomersPage(props: {
  storeName: string;
  currency: string;
  customers: CustomerListItem[];
  q?: string;
}) {
  const money = (n: number) => formatMoney(n, props.currency);
  return (
    <AdminLayout title="Customers" storeName={props.storeName} current="/admin/customers">
      <h1>Customers</h1>
      <form method="get" action="/admin/customers" class="inline-form" role="search">
        <label for="customer-q">Search by e-mail or name</label>
        <input id="customer-q" name="q" type="search" maxlength={200} value={props.q ?? ''} />
        <button class="button button-small" type="submit">
          Search
        </button>
      </form>
      <DataTable
        columns={['Customer', 'Name', 'E-mail', 'Phone', 'Address', 'Orders', 'Paid', 'Refunded', 'Since']}
      >
        {props.customers.map((c) => (
          <tr data-customer-id={c.id}>
            <td>
              <a href={`/admin/customers/${encodeURIComponent(c.id)}`}>
                <code>{c.id}</code>
              </a>
              {c.deleted ? ' (deleted)' : ''}
            </td>
            <td>{c.name ?? '—'}</td>
            <td>{c.email ?? '—'}</td>
            <td>{c.phone ?? '—'}</td>
            <td>{oneLine(c.shipping ?? c.address)}</td>
            <td>{c.lifetimeOrders}</td>
            <td>{money(c.lifetimeAmount)}</td>
            <td>{c.refundedAmount ? money(c.refundedAmount) : '—'}</td>
            <td>{when(c.createdAt)}</td>
          </tr>
        ))}
      </DataTable>
      {props.customers.length === 0 ? <p>No customers{props.q ? ' match this search' : ''}.</p> : null}
    </AdminLayout>
  );
}

export function CustomerPage(props: {
  storeName: string;
  currency: string;
  detail: Awaited<ReturnType<typeof getCustomerDetail>>;
}) {
  const { customer, orders, refunds } = props.detail;
  const money = (n: number, currency = props.currency) => formatMoney(n, currency);
  return (
    <AdminLayout title={`Customer ${customer.id}`} storeName={props.storeName} current="/admin/customers">
      <h1>{customer.name ?? customer.email ?? customer.id}</h1>
      <dl class="facts">
        <dt>Stripe customer</dt>
        <dd>
          <code>{customer.id}</code> {customer.livemode ? '(live)' : '(test)'}
          {customer.deleted ? ' — deleted at Stripe' : ''}
        </dd>
        <dt>E-mail</dt>
        <dd>{customer.email ?? '—'}</dd>
        <dt>Phone</dt>
        <dd>{customer.phone ?? '—'}</dd>
        <dt>Billing address</dt>
        <dd>{oneLine(customer.address)}</dd>
        <dt>Shipping</dt>
        <dd>{oneLine(customer.shipping)}</dd>
        <dt>Lifetime</dt>
        <dd>
          {customer.lifetimeOrders} paid {customer.lifetimeOrders === 1 ? 'order' : 'orders'},{' '}
          {money(customer.lifetimeAmount)}; refunded {money(customer.refundedAmount)}
        </dd>
        <dt>Since</dt>
        <dd>{when(customer.createdAt)}</dd>
      </dl>
      <h2>Orders</h2>
      <DataTable columns={['Order', 'Created', 'Status', 'Total', 'Refunded']}>
        {orders.map((o) => (
          <tr data-order-id={o.id}>
            <td>
              <a href={`/admin/orders/${o.id}`}>
                <code>{o.id}</code>
              </a>
            </td>
            <td>{when(o.createdAt)}</td>
            <td>{o.status}</td>
            <td>{money(o.total, o.currency)}</td>
            <td>{o.amountRefunded ? money(o.amountRefunded, o.currency) : '—'}</td>
          </tr>
        ))}
      </DataTable>
      <h2>Refunds</h2>
      {refunds.length === 0 ? (
        <p>None.</p>
      ) : (
        <DataTable columns={['Refund', 'Order', 'Amount', 'Status', 'When']}>
          {refunds.map((r) => (
            <tr>
              <td>
                <code>{r.id}</code>
              </td>
              <td>
                <a href={`/admin/orders/${r.orderId}`}>
                  <code>{r.orderId}</code>
                </a>
              </td>
              <td>{money(r.amount, r.currency)}</td>
              <td>{r.status}</td>
              <td>{when(r.createdAt)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </AdminLayout>
  );
}
