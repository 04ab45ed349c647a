// The Payment Element page: the order summary from the server and a card form mounted by /static/pay.js.
import { Layout } from '../pages/layout';
import { formatMoney } from '../lib/money';
import { ReceiptEmailField } from '../pages/components';

export interface PayPageProps {
  storeName: string;
  currency: string;
  lines: { name: string; qty: number; amount: number; storeName: string; note: string }[];
  subtotal: number;
  shippingAmount: number;
  total: number;
  /** Why the cart can't be paid now (empty, price changes); no form is shown then. */
  problems: string[];
  /** Stripe.js, or the emulator's stand-in in local development. */
  stripeJsUrl: string;
  /** The signed-in shopper's e-mail, to prefill the receipt address. */
  email?: string | null;
}

/** The pay page. Data reaches the script through data-attributes only (the CSP allows no inline script). */
export function PayPage(props: PayPageProps) {
  const money = (n: number) => formatMoney(n, props.currency);
  const blocked = props.problems.length > 0;
  return (
    <Layout title="Pay" storeName={props.storeName}>
      <section class="panel pay">
        <h1>Pay for your order</h1>
        {props.lines.length > 0 ? (
          <table class="order-lines">
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Qty</th>
                <th scope="col">Amount</th>
              </tr>
            </thead>
            <tbody>
              {props.lines.map((l) => (
                <tr>
                  <td>
                    {l.name} <small>from {l.storeName}</small>
                    {l.note ? <div class="note">Note: {l.note}</div> : null}
                  </td>
                  <td>{l.qty}</td>
                  <td>{money(l.amount)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colspan={2}>
                  Subtotal
                </th>
                <td>{money(props.subtotal)}</td>
              </tr>
              <tr>
                <th scope="row" colspan={2}>
                  Shipping
                </th>
                <td>{props.shippingAmount > 0 ? money(props.shippingAmount) : 'Free'}</td>
              </tr>
              <tr>
                <th scope="row" colspan={2}>
                  Total
                </th>
                <td>
                  <strong>{money(props.total)}</strong>
                </td>
              </tr>
            </tfoot>
          </table>
        ) : null}
        {blocked ? (
          <div class="notice" role="alert">
            {props.problems.map((p) => (
              <p>{p}</p>
            ))}
            <p>
              <a class="button" href="/cart">
                Back to your cart
              </a>
            </p>
          </div>
        ) : (
          <form
            id="payment-form"
            data-pay
            data-config-url="/config"
            data-intent-url="/create-payment-intent"
            data-order-base="/orders/"
          >
            <ReceiptEmailField id="pay-email" email={props.email} />
            <div id="payment-element"></div>
            <button type="submit" class="button" id="pay-submit" disabled>
              Pay {money(props.total)}
            </button>
            <p id="payment-message" role="alert" aria-live="polite"></p>
          </form>
        )}
      </section>
      {blocked ? null : <script src={props.stripeJsUrl}></script>}
      {blocked ? null : <script src="/static/pay.js" defer></script>}
    </Layout>
  );
}
