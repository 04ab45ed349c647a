// The cart page: each line with its total, quantity and note, notices for unavailable or repriced
// lines, the subtotal, and the two ways to pay. Private: it shows this visitor's cart.
import { MAX_NOTE_CHARS, MAX_QTY } from '../catalog/line-limits';
import type { CartView, PricedLine } from './types';
import type { StoreConfig } from '../lib/config';
import { formatMoney } from '../lib/money';
import { DiscountBox, DiscountTotals } from './discount-form';
import { Price, ProductImage, ReceiptEmailField } from '../pages/components';
import { Layout } from '../pages/layout';

/** What the checkout routes say when they send the shopper back here (`/cart?checkout=...`). */
const CHECKOUT_MESSAGES: Record<string, string> = {
  changed:
    'Something in your cart changed (a price, the stock or a shop). Check the notes below and try again.',
  empty: 'Your cart is empty: add something before checking out.',
  retry: 'Checkout was busy with another request from this cart. Please try again.',
  subscribed:
    'You already have a subscription to a product in your cart. Manage it from "My subscription" (the link in your subscription e-mails, or your order page) instead of subscribing again.',
  email: 'Enter your e-mail address to subscribe: it is how we keep one subscription per product for you.',
  intervals:
    'Subscriptions billed at different intervals (monthly and yearly, say) must be checked out separately.',
};

export function CartPage(props: {
  view: CartView;
  config: StoreConfig;
  checkout?: string;
  /** The signed-in shopper's e-mail, to prefill the checkout form. */
  email?: string | null;
  /** Why the code just entered in the form was refused. */
  discountError?: string;
}) {
  const { view, config } = props;
  const checkoutMessage = props.checkout ? CHECKOUT_MESSAGES[props.checkout] : undefined;
  // A subscription needs the shopper's e-mail (one subscription per shopper and product).
  const subscribing = view.lines.some((l) => l.recurringInterval && l.available);
  const buyable = view.lines.filter((l) => l.available);
  return (
    <Layout title="Your cart" storeName={config.storeName} cartCount={view.count}>
      <section
        class="cart"
        id="cart-root"
        data-cart-version={String(view.version)}
        aria-labelledby="cart-title"
      >
        <h1 id="cart-title">Your cart</h1>
        {checkoutMessage ? (
          <p class="notice notice-error" role="alert">
            {checkoutMessage}
          </p>
        ) : null}
        {view.notices.length ? (
          <div class="notice notice-warn" role="status">
            <p>
              <strong>Please check your cart:</strong>
            </p>
            <ul>
              {view.notices.map((n) => (
                <li>{n}</li>
              ))}
            </ul>
          </div>
        ) : null}
        {view.lines.length === 0 ? (
          <div class="empty-cart">
            <p>Your cart is empty.</p>
            <p>
              <a class="button button-primary" href="/">
                Find something you love
              </a>
            </p>
          </div>
        ) : (
          <div class="cart-layout">
            <ol class="cart-lines" aria-label="Items in your cart">
              {view.lines.map((line) => (
                <CartLineItem line={line} />
              ))}
            </ol>
            <aside class="cart-summary" aria-labelledby="summary-title">
              <h2 id="summary-title">Summary</h2>
              <dl class="totals">
                <div>
                  <dt>Items</dt>
                  <dd>{String(buyable.reduce((n, l) => n + l.qty, 0))}</dd>
                </div>
                <div class="totals-subtotal">
                  <dt>Subtotal</dt>
                  <dd data-subtotal>{formatMoney(view.subtotal, view.currency)}</dd>
                </div>
                <DiscountTotals view={view} />
              </dl>
              <DiscountBox view={view} error={props.discountError} />
              <p class="hint">
                {config.shippingAmount > 0
                  ? `Shipping (${formatMoney(config.shippingAmount, view.currency)} flat)`
                  : 'Free shipping'}
                {config.automaticTax ? ' and tax are' : ' is'} added at checkout.
              </p>
              <form method="post" action="/checkout" class="pay-form">
                {/* The subtotal this page showed: checkout accepts prices that rose up to it. */}
                <input type="hidden" name="accepted_subtotal" value={String(view.subtotal)} />
                {/* Given, checkout reuses this shopper's Stripe Customer (else Stripe asks); a subscription needs it. */}
                <ReceiptEmailField id="checkout-email" email={props.email} required={subscribing} />
                <button
                  type="submit"
                  class="button button-primary button-large button-wide"
                  disabled={buyable.length === 0}
                >
                  Checkout
                </button>
              </form>
              <form method="get" action="/pay" class="pay-form">
                <button
                  type="submit"
                  class="button button-secondary button-wide"
                  disabled={buyable.length === 0}
                >
                  Pay with card on this page
                </button>
              </form>
              <form method="post" action="/cart/clear" class="clear-form">
                <button type="submit" class="button button-link">
                  Empty cart
                </button>
              </form>
            </aside>
          </div>
        )}
      </section>
    </Layout>
  );
}

function CartLineItem({ line }: { line: PricedLine }) {
  const base = `line-${line.productId}`;
  return (
    <li class={line.available ? 'cart-line' : 'cart-line cart-line-unavailable'} id={base}>
      <div class="cart-line-media">
        <ProductImage product={{ image: line.image, name: line.name }} size="thumb" />
      </div>
      <div class="cart-line-info">
        <h2 class="cart-line-title">{line.href ? <a href={line.href}>{line.name}</a> : line.name}</h2>
        {line.storeName ? <p class="card-meta">from {line.storeName}</p> : null}
        <p class="cart-line-unit">
          <Price amount={line.unitAmount} currency={line.currency} interval={line.recurringInterval} /> each
          {line.previousUnitAmount !== undefined ? (
            <span class="was">
              {' '}
              (was <s>{formatMoney(line.previousUnitAmount, line.currency)}</s>)
            </span>
          ) : null}
        </p>
        {line.available ? null : <p class="line-problem">{line.unavailableReason}</p>}
        <form method="post" action={`/cart/items/${line.productId}`} class="line-form" data-line-form>
          <input type="hidden" name="return_to" value="/cart" />
          <div class="field field-qty">
            <label for={`${base}-qty`}>Quantity</label>
            <input
              id={`${base}-qty`}
              name="qty"
              type="number"
              inputmode="numeric"
              min="0"
              max={String(MAX_QTY)}
              value={String(line.qty)}
              required
            />
          </div>
          <div class="field field-note">
            <label for={`${base}-note`}>
              Note for the maker <span class="optional">(optional)</span>
            </label>
            <textarea id={`${base}-note`} name="note" rows={2} maxlength={MAX_NOTE_CHARS}>
              {line.note}
            </textarea>
          </div>
          <div class="line-actions">
            <button type="submit" name="_method" value="patch" class="button button-small button-secondary">
              Update
            </button>
            <button
              type="submit"
              name="_method"
              value="delete"
              class="button button-small button-link"
              aria-label={`Remove ${line.name}`}
            >
              Remove
            </button>
          </div>
          <p class="form-status" role="status" data-status></p>
        </form>
      </div>
      <p class="cart-line-total">
        <span class="visually-hidden">Line total </span>
        {line.available ? formatMoney(line.amount, line.currency) : <span class="muted">—</span>}
        {line.available && line.discountAmount ? (
          <span class="line-discount"> (−{formatMoney(line.discountAmount, line.currency)})</span>
        ) : null}
      </p>
    </li>
  );
}
