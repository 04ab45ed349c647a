// The cart page's discount code box: the code held (applied, or why not), the form to enter one and
// the button to remove it. Props only.
import type { CartView } from './types';
import { formatMoney } from '../lib/money';

/** The code box under the cart's totals. */
export function DiscountBox(props: { view: CartView; error?: string }) {
  const { view } = props;
  const d = view.discount;
  return (
    <div class="discount-box" data-discount>
      {props.error ? (
        <p class="notice notice-error" role="alert" data-discount-error>
          {props.error}
        </p>
      ) : null}
      {d ? (
        <p class={d.applied ? 'discount-applied' : 'discount-refused'} role="status">
          Code <strong>{d.code}</strong>
          {d.applied
            ? `: −${formatMoney(d.amount, view.currency)}${d.shippingOff > 0 ? ' and free shipping' : ''}` +
              ` (funded by ${d.fundedBy === 'vendor' ? 'the seller' : 'the marketplace'}).`
            : ` does not apply: ${d.reason ?? ''}`}
        </p>
      ) : null}
      <form method="post" action="/cart/discount" class="discount-form">
        <label for="discount-code">Discount code</label>
        <input id="discount-code" name="code" type="text" maxlength={64} autocomplete="off" required />
        <button type="submit" class="button button-secondary button-small">
          Apply
        </button>
      </form>
      {d ? (
        <form method="post" action="/cart/discount/remove" class="discount-remove">
          <button type="submit" class="button button-link button-small">
            Remove code
          </button>
        </form>
      ) : null}
    </div>
  );
}

/** The totals rows a code adds: the discount and the subtotal after it. */
export function DiscountTotals(props: { view: CartView }) {
  const { view } = props;
  const d = view.discount;
  if (!d?.applied) return null;
  return (
    <>
      <div class="totals-discount">
        <dt>Discount ({d.code})</dt>
        <dd data-discount-amount>−{formatMoney(d.amount, view.currency)}</dd>
      </div>
      <div class="totals-after-discount">
        <dt>After discount</dt>
        <dd>{formatMoney(view.discountedSubtotal ?? view.subtotal, view.currency)}</dd>
      </div>
    </>
  );
}
