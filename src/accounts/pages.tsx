// Shopper account pages: sign-in by e-mail, the link's confirmation, and the account (orders, addresses).
import { formatUtc } from '../lib/time';
import { formatMoney } from '../lib/money';
import { addressLines } from '../pages/address';
import { DataTable } from '../pages/components';
import { Layout } from '../pages/layout';
import type { AccountOrder, AddressOnFile } from './account';
import { LOGIN_LINK_SECONDS } from './tokens';

const date = (unix: number) => formatUtc(unix, 'day');

export function AccountLoginPage(props: {
  storeName: string;
  sent?: boolean;
  error?: string;
  email?: string;
  status?: number;
}) {
  return (
    <Layout title="Sign in" storeName={props.storeName}>
      <section class="panel narrow">
        <h1>Your orders</h1>
        {props.sent ? (
          <p class="notice notice-ok" role="status">
            If we have orders for that address, a sign-in link is on its way. It works once, for{' '}
            {String(LOGIN_LINK_SECONDS / 60)} minutes.
          </p>
        ) : (
          <p>Enter the e-mail you shop with: we send you a one-time link, no password needed.</p>
        )}
        {props.error ? (
          <p class="notice notice-error" role="alert">
            {props.error}
          </p>
        ) : null}
        <form method="post" action="/account/login" class="form">
          <div class="field">
            <label for="account-email">E-mail</label>
            <input
              id="account-email"
              name="email"
              type="email"
              autocomplete="email"
              maxlength={254}
              required
              value={props.email ?? ''}
            />
          </div>
          <button class="button button-primary" type="submit">
            E-mail me a sign-in link
          </button>
        </form>
      </section>
    </Layout>
  );
}

/** The page a link opens: signing in takes a click, so mail scanners that open links don't use it up. */
export function AccountLoginConfirmPage(props: { storeName: string; token: string }) {
  return (
    <Layout title="Sign in" storeName={props.storeName}>
      <section class="panel narrow">
        <h1>Sign in to see your orders</h1>
        <form method="post" action={`/account/login/${props.token}`} class="form">
          <button class="button button-primary" type="submit">
            Sign in
          </button>
        </form>
      </section>
    </Layout>
  );
}

/** The stored shipping block ({ name, phone, address } as Stripe gives it; JSON, so unknown), or null. */
function shippingOnFile(value: unknown): { name: string | null; address: unknown } | null {
  if (!value || typeof value !== 'object') return null;
  const s = value as { name?: unknown; address?: unknown };
  return { name: typeof s.name === 'string' ? s.name : null, address: s.address };
}

function Address(props: { title: string; value: unknown; name?: string | null; phone?: string | null }) {
  const lines = addressLines(props.value);
  if (lines.length === 0 && !props.phone) return null;
  return (
    <div class="address">
      <h3>{props.title}</h3>
      <address>
        {props.name ? (
          <>
            {props.name}
            <br />
          </>
        ) : null}
        {lines.map((l) => (
          <>
            {l}
            <br />
          </>
        ))}
        {props.phone ? props.phone : null}
      </address>
    </div>
  );
}

export function AccountPage(props: {
  storeName: string;
  email: string;
  orders: AccountOrder[];
  addresses: AddressOnFile[];
  /** The shopper's subscriptions, each linking to its page (the signed-in account may manage it). */
  subscriptions?: {
    id: string;
    status: string;
    amount: number;
    currency: string;
    interval: string;
    name: string;
  }[];
}) {
  return (
    <Layout title="Your account" storeName={props.storeName}>
      <section class="panel">
        <h1>Your orders</h1>
        <p>
          Signed in as <strong data-account-email>{props.email}</strong>.
        </p>
        <form method="post" action="/account/logout" class="inline-form">
          <button type="submit" class="button button-link">
            Sign out
          </button>
        </form>
        {props.orders.length === 0 ? (
          <p>No orders yet.</p>
        ) : (
          <DataTable columns={['Order', 'Date', 'Items', 'Total', 'Status', 'Receipt']}>
            {props.orders.map((o) => (
              <tr data-order-id={o.id}>
                <td>
                  <a href={o.orderUrl}>{o.id}</a>
                </td>
                <td>{date(o.createdAt)}</td>
                <td>
                  {o.items.map((i) => (
                    <div>
                      {i.quantity} × {i.name} <small>from {i.storeName}</small>
                    </div>
                  ))}
                </td>
                <td>{formatMoney(o.total, o.currency)}</td>
                <td>{o.statusLabel}</td>
                <td>
                  {o.receiptUrl ? (
                    <a href={o.receiptUrl} rel="noopener noreferrer">
                      Receipt
                    </a>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        {props.subscriptions?.length ? (
          <>
            <h2>My subscriptions</h2>
            <ul class="plain">
              {props.subscriptions.map((sub) => (
                <li data-subscription-id={sub.id}>
                  <a href={`/subscriptions/${sub.id}`}>{sub.name || sub.id}</a> —{' '}
                  {formatMoney(sub.amount, sub.currency)} / {sub.interval} ({sub.status})
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <h2>Addresses on file</h2>
        {props.addresses.length === 0 ? (
          <p>None yet: the address you give at checkout is kept here.</p>
        ) : (
          props.addresses.map((a) => {
            const shipping = shippingOnFile(a.shipping);
            return (
              <div class="addresses">
                <Address title="Billing" value={a.address} name={a.name} phone={a.phone} />
                {shipping ? <Address title="Shipping" value={shipping.address} name={shipping.name} /> : null}
              </div>
            );
          })
        )}
      </section>
    </Layout>
  );
}
