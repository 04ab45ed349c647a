// Vendor-facing pages: "Sell with us", a shop's About and Contact, vendor sign-in and the dashboard.
import { formatUtc } from '../lib/time';
import { type Child } from '../lib/jsx/jsx-runtime';
import { LineDiscount } from '../pages/line-discount';
import { ShopHeader } from '../catalog/components';
import { DataTable, PostButton } from '../pages/components';
import { Layout } from '../pages/layout';
import { shopPath } from '../catalog/urls';
import type { TransferStatus } from '../db/schema';
import { formatMoney } from '../lib/money';
import type { VendorOrder, VendorTransfer } from './dashboard';
import { toDecimal, type ProductRow } from './products';
import { STORE_STATUS_LABEL, storeStatus, type StoreRow } from '../catalog/stores';
import type { Category } from '../catalog/categories';

export interface FieldError {
  path: string;
  message: string;
}

function errorFor(errors: FieldError[] | undefined, path: string): string | undefined {
  return errors?.find((e) => e.path === path)?.message;
}

/** The list of what is wrong with a form, at its top (screen readers hear it first). */
function FormErrors(props: { errors?: FieldError[] }) {
  if (!props.errors?.length) return null;
  return (
    <div class="notice notice-error" role="alert">
      <p>Please fix the following:</p>
      <ul>
        {props.errors.map((e) => (
          <li>{e.message}</li>
        ))}
      </ul>
    </div>
  );
}

/** A labelled input with its error message wired for assistive technology. */
function Field(props: {
  name: string;
  label: string;
  value?: string;
  type?: string;
  required?: boolean;
  hint?: string;
  errors?: FieldError[];
  multiline?: boolean;
  autocomplete?: string;
  inputmode?: 'decimal' | 'email' | 'numeric' | 'text' | 'url';
}) {
  const error = errorFor(props.errors, props.name);
  const id = `f-${props.name}`;
  const describedBy = [props.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const common = {
    id,
    name: props.name,
    required: props.required,
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': describedBy || undefined,
  };
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.multiline ? (
        <textarea {...common} rows={5}>
          {props.value ?? ''}
        </textarea>
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          value={props.value ?? ''}
          autocomplete={props.autocomplete}
          inputmode={props.inputmode}
        />
      )}
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {error ? (
        <p class="error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

const COUNTRIES: [string, string][] = [
  ['US', 'United States'],
  ['GB', 'United Kingdom'],
  ['CA', 'Canada'],
  ['AU', 'Australia'],
  ['IE', 'Ireland'],
  ['FR', 'France'],
  ['DE', 'Germany'],
  ['NL', 'Netherlands'],
];

/** "Sell on <store>": what it takes, and the form that connects a Stripe account. */
export function SellPage(props: {
  storeName: string;
  feePercent: string;
  values?: Record<string, string>;
  errors?: FieldError[];
}) {
  const v = props.values ?? {};
  return (
    <Layout title={`Sell on ${props.storeName}`} storeName={props.storeName}>
      <section class="panel sell">
        <h1>Sell on {props.storeName}</h1>
        <p class="lede">
          Open your shop in minutes. Shoppers buy from several makers in one cart; you receive your share of
          each order, minus a {props.feePercent} platform fee, straight to your bank account through Stripe.
        </p>
        <ol class="steps">
          <li>Name your shop and give us the e-mail you will sign in with.</li>
          <li>Stripe asks for your business and payout details on its own secure pages.</li>
          <li>Add your products from your dashboard. Your shop opens as soon as Stripe has verified you.</li>
        </ol>
        <FormErrors errors={props.errors} />
        <form method="post" action="/vendors/connect" class="form" novalidate>
          <Field
            name="name"
            label="Shop name"
            value={v.name}
            required
            errors={props.errors}
            autocomplete="organization"
          />
          <Field
            name="email"
            label="E-mail"
            type="email"
            value={v.email}
            required
            errors={props.errors}
            autocomplete="email"
            hint="We send your sign-in links here."
          />
          <div class="field">
            <label for="f-country">Country</label>
            <select id="f-country" name="country">
              {COUNTRIES.map(([code, name]) => (
                <option value={code} selected={(v.country ?? 'US') === code}>
                  {name}
                </option>
              ))}
            </select>
          </div>
          <button class="button button-primary" type="submit">
            Connect with Stripe
          </button>
        </form>
        <p class="hint">
          Already selling? <a href="/vendor/login">Sign in to your dashboard</a>.
        </p>
      </section>
    </Layout>
  );
}

/** A banner for a shop that isn't open: "opening soon" or closed. */
function StatusNotice(props: { store: StoreRow }) {
  const status = storeStatus(props.store);
  if (status === 'open') return null;
  return (
    <p class="notice notice-warn" role="status">
      {status === 'closed'
        ? `${props.store.name} has closed and no longer sells here.`
        : `${props.store.name} is opening soon: it isn't taking orders yet.`}
    </p>
  );
}

/** A shop's About page, from its Stripe business profile. */
export function AboutPage(props: { storeName: string; store: StoreRow }) {
  const { store } = props;
  return (
    <Layout
      title={`About ${store.name}`}
      storeName={props.storeName}
      description={store.about || store.tagline}
    >
      <ShopHeader store={store} current="about" />
      <StatusNotice store={store} />
      <section class="panel about">
        <h2>About {store.name}</h2>
        {store.about ? (
          store.about.split(/\n{2,}/).map((p) => <p>{p}</p>)
        ) : (
          <p class="empty">{store.name} hasn't written about itself yet.</p>
        )}
        <dl class="facts">
          <dt>Status</dt>
          <dd>{STORE_STATUS_LABEL[storeStatus(store)]}</dd>
          {store.website ? (
            <>
              <dt>Website</dt>
              <dd>
                <a href={store.website} rel="nofollow noopener" target="_blank">
                  {store.website.replace(/^https?:\/\//, '')}
                </a>
              </dd>
            </>
          ) : null}
          {store.supportEmail ? (
            <>
              <dt>E-mail</dt>
              <dd>
                <a href={`mailto:${store.supportEmail}`}>{store.supportEmail}</a>
              </dd>
            </>
          ) : null}
          {store.supportPhone ? (
            <>
              <dt>Phone</dt>
              <dd>
                <a href={`tel:${store.supportPhone.replace(/[^\d+]/g, '')}`}>{store.supportPhone}</a>
              </dd>
            </>
          ) : null}
        </dl>
        <p>
          <a class="button" href={`${shopPath(store.slug)}/contact`}>
            Contact {store.name}
          </a>
        </p>
      </section>
    </Layout>
  );
}

/** A shop's Contact page: the form, or the thank-you after sending. */
export function ContactPage(props: {
  storeName: string;
  store: StoreRow;
  sent?: boolean;
  values?: Record<string, string>;
  errors?: FieldError[];
}) {
  const { store } = props;
  const v = props.values ?? {};
  return (
    <Layout title={`Contact ${store.name}`} storeName={props.storeName}>
      <ShopHeader store={store} current="contact" />
      <StatusNotice store={store} />
      <section class="panel contact">
        <h2>Contact {store.name}</h2>
        {props.sent ? (
          <p class="notice notice-ok" role="status">
            Thank you: your message was sent to {store.name}. They will answer by e-mail.
          </p>
        ) : null}
        {store.supportPhone || store.supportEmail ? (
          <p>
            {store.supportEmail ? (
              <>
                E-mail <a href={`mailto:${store.supportEmail}`}>{store.supportEmail}</a>
              </>
            ) : null}
            {store.supportEmail && store.supportPhone ? ' or call ' : store.supportPhone ? 'Call ' : null}
            {store.supportPhone ? store.supportPhone : null}, or write below.
          </p>
        ) : null}
        <FormErrors errors={props.errors} />
        <form method="post" action={`${shopPath(store.slug)}/contact`} class="form" novalidate>
          <Field
            name="name"
            label="Your name"
            value={v.name}
            required
            errors={props.errors}
            autocomplete="name"
          />
          <Field
            name="email"
            label="Your e-mail"
            type="email"
            value={v.email}
            required
            errors={props.errors}
            autocomplete="email"
          />
          <Field name="message" label="Message" value={v.message} required multiline errors={props.errors} />
          <button class="button button-primary" type="submit">
            Send message
          </button>
        </form>
      </section>
    </Layout>
  );
}

/** Vendor sign-in: ask for the e-mail, or say that a link is on its way. */
export function VendorLoginPage(props: {
  storeName: string;
  sent?: boolean;
  errors?: FieldError[];
  email?: string;
}) {
  return (
    <Layout title="Vendor sign-in" storeName={props.storeName}>
      <section class="panel narrow">
        <h1>Vendor sign-in</h1>
        {props.sent ? (
          <p class="notice notice-ok" role="status">
            If a shop uses that address, a sign-in link is on its way. It works once, for 20 minutes.
          </p>
        ) : (
          <p>We e-mail you a one-time link: no password to remember.</p>
        )}
        <FormErrors errors={props.errors} />
        <form method="post" action="/vendor/login" class="form" novalidate>
          <Field
            name="email"
            label="Your shop's e-mail"
            type="email"
            value={props.email}
            required
            errors={props.errors}
            autocomplete="email"
          />
          <button class="button button-primary" type="submit">
            E-mail me a sign-in link
          </button>
        </form>
        <p class="hint">
          No shop yet? <a href="/sell">Open one</a>.
        </p>
      </section>
    </Layout>
  );
}

/**
 * The page a sign-in link opens. Signing in takes a click (a POST): mail scanners that open links
 * must not use up the one-time token.
 */
export function VendorLoginConfirmPage(props: { storeName: string; store: StoreRow; token: string }) {
  return (
    <Layout title="Sign in" storeName={props.storeName}>
      <section class="panel narrow">
        <h1>Sign in to {props.store.name}</h1>
        <PostButton action={`/vendor/login/${props.token}`} class="button button-primary" formClass="form">
          Sign in
        </PostButton>
      </section>
    </Layout>
  );
}

// Keyed by every status the payouts ledger writes: a new status can't go unlabelled.
const TRANSFER_LABEL: Record<TransferStatus, string> = {
  held: 'Held until your part ships or is delivered',
  pending: 'Scheduled',
  sending: 'Sending',
  sent: 'Sent',
  partially_reversed: 'Sent, partly taken back (refund)',
  reversed: 'Taken back in full (refunded)',
  failed: 'Failed (we are on it)',
  canceled: 'Canceled (refunded)',
};

const ORDER_LABEL: Record<string, string> = {
  paid: 'Paid',
  partially_refunded: 'Partly refunded',
  refunded: 'Refunded',
};

function date(seconds: number | null): string {
  return seconds ? formatUtc(seconds, 'day') : '';
}

/** The vendor's dashboard: shop status and Stripe, products, orders (own lines only), transfers. */
export function VendorDashboard(props: {
  storeName: string;
  store: StoreRow;
  products: ProductRow[];
  orders: VendorOrder[];
  transfers: VendorTransfer[];
  /** Live subscriptions holding the vendor's products, and what renewals paid out (subscriptions/). */
  subscriptions?: {
    subscribers: number;
    live: number;
    renewalPayouts: number;
    renewals: number;
    currency: string;
  };
  flash?: string;
  /** The store's discount codes section (vendors/discount-section.tsx). */
  discounts?: Child;
}) {
  const { store } = props;
  const status = storeStatus(store);
  return (
    <Layout title={`${store.name} · dashboard`} storeName={props.storeName}>
      <section class="panel dashboard-head">
        <p class="eyebrow">Vendor dashboard</p>
        <h1>{store.name}</h1>
        {props.flash ? (
          <p class="notice notice-ok" role="status">
            {props.flash}
          </p>
        ) : null}
        <p>
          Status: <strong data-store-status={status}>{STORE_STATUS_LABEL[status]}</strong> ·{' '}
          <a href={shopPath(store.slug)}>View your shop</a> ·{' '}
          <a href="/vendor/fulfilment">Orders to fulfil</a> · <a href="/vendor/returns">Returns</a>
        </p>
        {status === 'opening_soon' ? (
          <p class="notice notice-warn">
            Your shop opens when Stripe has your details.{' '}
            <a class="button" href="/vendor/onboarding">
              Continue onboarding with Stripe
            </a>
          </p>
        ) : null}
        <div class="actions">
          {store.detailsSubmitted && store.stripeAccountId ? (
            <PostButton action="/vendor/stripe-dashboard">Open your Stripe Express dashboard</PostButton>
          ) : null}
          <PostButton action="/vendor/logout" class="button button-ghost">
            Sign out
          </PostButton>
        </div>
      </section>

      <section class="panel" aria-labelledby="products-h">
        <h2 id="products-h">Products</h2>
        <p>
          <a class="button button-primary" href="/vendor/products/new">
            Add a product
          </a>
        </p>
        {props.products.length ? (
          <DataTable columns={['Product', 'Price', 'Stock', 'Shown']} actions>
            {props.products.map((p) => (
              <tr data-product-id={p.id}>
                <td>{p.name}</td>
                <td>{formatMoney(p.unitAmount, p.currency)}</td>
                <td>{p.stock ?? 'Unlimited'}</td>
                <td>{p.active ? 'Yes' : 'Hidden'}</td>
                <td class="row-actions">
                  <a href={`/vendor/products/${p.id}/edit`}>Edit</a>
                  <PostButton
                    action={`/vendor/products/${p.id}/visibility`}
                    class="button button-small"
                    fields={{ active: p.active ? 'false' : 'true' }}
                  >
                    {p.active ? 'Hide' : 'Show'}
                  </PostButton>
                </td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <p class="empty">No products yet.</p>
        )}
      </section>

      {props.subscriptions ? (
        <section class="panel" aria-labelledby="subscribers-h">
          <h2 id="subscribers-h">Subscriptions</h2>
          <dl class="facts" data-subscribers={props.subscriptions.subscribers}>
            <dt>Subscribers</dt>
            <dd>{props.subscriptions.subscribers}</dd>
            <dt>Active subscriptions</dt>
            <dd>{props.subscriptions.live}</dd>
            <dt>Renewal payouts</dt>
            <dd>
              {formatMoney(props.subscriptions.renewalPayouts, props.subscriptions.currency)} from{' '}
              {props.subscriptions.renewals} renewals
            </dd>
          </dl>
        </section>
      ) : null}
      {props.discounts}

      <section class="panel" aria-labelledby="orders-h">
        <h2 id="orders-h">Orders</h2>
        {props.orders.length ? (
          <DataTable columns={['Order', 'Date', 'Your items', 'Your total', 'Status']}>
            {props.orders.map((o) => (
              <tr data-order-id={o.id}>
                <td>
                  <code>{o.id}</code>
                </td>
                <td>{date(o.paidAt ?? o.createdAt)}</td>
                <td>
                  <ul class="plain">
                    {o.lines.map((l) => (
                      <li>
                        {l.quantity} × {l.name}
                        {l.note ? <span class="note"> — “{l.note}”</span> : null}
                        <LineDiscount line={l} currency={o.currency} />
                      </li>
                    ))}
                  </ul>
                </td>
                <td>{formatMoney(o.subtotal, o.currency)}</td>
                <td>{ORDER_LABEL[o.status] ?? o.status}</td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <p class="empty">No orders yet.</p>
        )}
      </section>

      <section class="panel" aria-labelledby="transfers-h">
        <h2 id="transfers-h">Payouts</h2>
        {props.transfers.length ? (
          <DataTable columns={['Order', 'Amount', 'Platform fee', 'Taken back (refunds)', 'Status']}>
            {props.transfers.map((t) => (
              <tr data-transfer-id={t.id} data-status={t.status}>
                <td>
                  <code>{t.orderId}</code>
                </td>
                <td>{formatMoney(t.amount, t.currency)}</td>
                <td>{formatMoney(t.fee, t.currency)}</td>
                <td>{t.amountReversed ? formatMoney(t.amountReversed, t.currency) : '—'}</td>
                <td>{TRANSFER_LABEL[t.status]}</td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <p class="empty">No payouts yet: they start with your first paid order.</p>
        )}
      </section>
    </Layout>
  );
}

/** Add or edit a product. */
export function ProductFormPage(props: {
  storeName: string;
  store: StoreRow;
  currency: string;
  product?: ProductRow;
  /** The platform's categories, for the category select. */
  categories: Category[];
  /** The product's category slug ('' for none). */
  category?: string;
  values?: Record<string, string>;
  errors?: FieldError[];
}) {
  const p = props.product;
  const v = props.values ?? {
    category: props.category ?? '',
    name: p?.name ?? '',
    description: p?.description ?? '',
    price: p ? toDecimal(p.unitAmount, p.currency) : '',
    image: p?.image ?? '',
    stock: p?.stock == null ? '' : String(p.stock),
    featured: p?.featured ? 'on' : '',
  };
  const title = p ? `Edit ${p.name}` : 'Add a product';
  return (
    <Layout title={title} storeName={props.storeName}>
      <section class="panel narrow">
        <p>
          <a href="/vendor">← Dashboard</a>
        </p>
        <h1>{title}</h1>
        <FormErrors errors={props.errors} />
        <form
          method="post"
          action={p ? `/vendor/products/${p.id}` : '/vendor/products'}
          class="form"
          novalidate
        >
          <Field name="name" label="Name" value={v.name} required errors={props.errors} />
          <Field
            name="description"
            label="Description"
            value={v.description}
            multiline
            errors={props.errors}
          />
          <Field
            name="price"
            label={`Price (${props.currency.toUpperCase()})`}
            value={v.price}
            required
            inputmode="decimal"
            hint="For example 12.50"
            errors={props.errors}
          />
          <Field
            name="image"
            label="Image URL"
            type="url"
            value={v.image}
            hint="An https:// address (optional)"
            errors={props.errors}
          />
          <Field
            name="stock"
            label="Stock"
            value={v.stock}
            inputmode="numeric"
            hint="Leave empty for unlimited"
            errors={props.errors}
          />
          <div class="field">
            <label for="f-category">Category</label>
            <select id="f-category" name="category">
              <option value="" selected={!v.category}>
                None
              </option>
              {props.categories.map((cat) => (
                <option value={cat.slug} selected={v.category === cat.slug}>
                  {cat.name}
                </option>
              ))}
            </select>
            {props.errors
              ?.filter((e) => e.path === 'category')
              .map((e) => (
                <p class="error">{e.message}</p>
              ))}
          </div>
          <div class="field field-check">
            <input id="f-featured" type="checkbox" name="featured" checked={v.featured === 'on'} />
            <label for="f-featured">Feature it on your shop's home</label>
          </div>
          <button class="button button-primary" type="submit">
            {p ? 'Save changes' : 'Add product'}
          </button>
        </form>
      </section>
    </Layout>
  );
}
