/** @jsxImportSource hono/jsx */
// The hosted test checkout page at a session's `url`: line items, total, a card form with Stripe's
// test cards; submitting pays the session and redirects to `success_url`.
import type { Context } from 'hono';
import type { Ctx } from '../context';
import { StripeError } from '../errors';
import type { AppEnv } from '../http';
import type { CustomerObj, SessionObj, ShippingRateObj } from '../types';
import { getSession, paySession, type PayInput } from '../api/checkout';
import { formatAmount } from './format';
import { Document, htmlPage, messagePage, seeOther } from './layout';

function TestCardsHint() {
  return (
    <div class="hint">
      <strong>Test cards</strong>
      <br />
      <code>4242 4242 4242 4242</code> succeeds · <code>4000 0000 0000 0002</code> is declined ·{' '}
      <code>4000 0000 0000 9995</code> is declined for insufficient funds.
      <br />
      Any future expiry date and any CVC.
    </div>
  );
}

/** A labelled input; extra props become the input's attributes. */
function Field({
  name,
  label,
  value,
  ...attrs
}: { name: string; label: string; value: string } & Record<string, string | boolean>) {
  return (
    <>
      <label for={name}>{label}</label>
      <input id={name} name={name} value={value} {...attrs} />
    </>
  );
}

interface CheckoutProps {
  session: SessionObj;
  rates: ShippingRateObj[];
  values: Record<string, string>;
  error?: string;
  /** The session's Customer's e-mail: Stripe shows it without letting the shopper change it. */
  lockedEmail?: string | null;
}

function LineItems({ session: s }: { session: SessionObj }) {
  return (
    <>
      {s._line_items.map((li) => {
        const r = li.price.recurring;
        return (
          <tr>
            <td>
              {li.description ?? 'Item'}
              <div class="muted">
                Qty {li.quantity}
                {r
                  ? ` · billed every ${r.interval_count > 1 ? `${r.interval_count} ` : ''}${r.interval}`
                  : ''}
              </div>
            </td>
            <td class="num">{formatAmount(li.amount_total, li.currency)}</td>
          </tr>
        );
      })}
    </>
  );
}

function ShippingAddressFields({
  session: s,
  values,
}: {
  session: SessionObj;
  values: Record<string, string>;
}) {
  if (!s.shipping_address_collection) return null;
  return (
    <>
      <h2>Shipping address</h2>
      <Field name="ship_name" label="Full name" value={values.ship_name ?? ''} autocomplete="shipping name" />
      <Field
        name="ship_line1"
        label="Address"
        value={values.ship_line1 ?? ''}
        autocomplete="shipping address-line1"
      />
      <div class="row">
        <div>
          <Field
            name="ship_city"
            label="City"
            value={values.ship_city ?? ''}
            autocomplete="shipping address-level2"
          />
        </div>
        <div>
          <Field
            name="ship_postal_code"
            label="Postal code"
            value={values.ship_postal_code ?? ''}
            autocomplete="shipping postal-code"
          />
        </div>
      </div>
      <div class="row">
        <div>
          <Field name="ship_state" label="State / region" value={values.ship_state ?? ''} />
        </div>
        <div>
          <label for="ship_country">Country</label>
          <select id="ship_country" name="ship_country">
            {s.shipping_address_collection.allowed_countries.map((country) => (
              <option selected={values.ship_country === country}>{country}</option>
            ))}
          </select>
        </div>
      </div>
    </>
  );
}

function ShippingRateFields({ rates, chosen }: { rates: ShippingRateObj[]; chosen: string }) {
  if (rates.length <= 1) return null;
  return (
    <>
      <h2>Shipping method</h2>
      {rates.map((r) => (
        <label>
          <input
            type="radio"
            name="shipping_rate"
            value={r.id}
            style="width:auto"
            checked={chosen === r.id}
          />{' '}
          {r.display_name} — {formatAmount(r.fixed_amount.amount, r.fixed_amount.currency)}
        </label>
      ))}
    </>
  );
}

/** The checkout page: order summary beside the card form (with the last error, if any). */
export function CheckoutPage({ session: s, rates, values, error, lockedEmail }: CheckoutProps) {
  const chosen = values.shipping_rate || (s.shipping_cost?.shipping_rate as string | undefined) || '';
  const total = formatAmount(s.amount_total, s.currency);
  const submit = s.mode === 'subscription' ? 'Subscribe' : s.mode === 'setup' ? 'Save card' : `Pay ${total}`;
  return (
    <Document title={`Checkout — ${total}`}>
      <main class="split">
        <section aria-labelledby="summary">
          {s.cancel_url ? (
            <p class="muted">
              <a href={s.cancel_url}>← Back (cancel)</a>
            </p>
          ) : null}
          <h1 id="summary">Order summary</h1>
          <p class="total" data-testid="total">
            {total}
          </p>
          <table>
            <LineItems session={s} />
            {s.total_details.amount_shipping ? (
              <tr>
                <td>Shipping</td>
                <td class="num">{formatAmount(s.total_details.amount_shipping, s.currency)}</td>
              </tr>
            ) : null}
            <tr>
              <td>
                <strong>Total due today</strong>
              </td>
              <td class="num">
                <strong>{total}</strong>
              </td>
            </tr>
          </table>
        </section>
        <form class="card" method="post" action="" aria-labelledby="pay">
          <h1 id="pay">Pay with card</h1>
          {error ? (
            <div class="error" role="alert">
              {error}
            </div>
          ) : null}
          {lockedEmail ? (
            <Field name="email" label="Email" value={lockedEmail} type="email" readonly />
          ) : (
            <Field
              name="email"
              label="Email"
              value={values.email ?? s.customer_email ?? ''}
              type="email"
              autocomplete="email"
              required
            />
          )}
          {(s.phone_number_collection as { enabled?: boolean } | null)?.enabled ? (
            <Field
              name="phone"
              label="Phone number"
              value={values.phone ?? ''}
              type="tel"
              autocomplete="tel"
            />
          ) : null}
          <Field
            name="card_number"
            label="Card number"
            value={values.card_number ?? ''}
            inputmode="numeric"
            autocomplete="cc-number"
            placeholder="1234 1234 1234 1234"
            required
          />
          <div class="row">
            <div>
              <Field
                name="exp"
                label="Expiry (MM / YY)"
                value={values.exp ?? ''}
                autocomplete="cc-exp"
                placeholder="12 / 34"
              />
            </div>
            <div>
              <Field
                name="cvc"
                label="CVC"
                value={values.cvc ?? ''}
                autocomplete="cc-csc"
                placeholder="123"
              />
            </div>
          </div>
          <Field name="name" label="Name on card" value={values.name ?? ''} autocomplete="cc-name" />
          <ShippingAddressFields session={s} values={values} />
          <ShippingRateFields rates={rates} chosen={chosen} />
          <button type="submit">{submit}</button>
          <TestCardsHint />
        </form>
      </main>
    </Document>
  );
}

function render(
  c: Context<AppEnv>,
  ctx: Ctx,
  s: SessionObj,
  values: Record<string, string>,
  error?: string,
  status = 200,
): Response | Promise<Response> {
  const rates = s.shipping_options
    .map((o) => ctx.store.get<ShippingRateObj>(o.shipping_rate, ctx.account, 'shipping_rate'))
    .filter((r): r is ShippingRateObj => !!r);
  const lockedEmail = s.customer
    ? (ctx.store.get<CustomerObj>(s.customer, ctx.account, 'customer')?.email ?? null)
    : null;
  return htmlPage(
    c,
    <CheckoutPage session={s} rates={rates} values={values} error={error} lockedEmail={lockedEmail} />,
    status,
  );
}

function closed(c: Context<AppEnv>, s: SessionObj): Response | Promise<Response> {
  if (s.status === 'complete') {
    const target = (s.success_url ?? s.return_url ?? '').replaceAll('{CHECKOUT_SESSION_ID}', s.id);
    return messagePage(
      c,
      'Payment complete',
      'This checkout session has already been paid.',
      target ? { href: target, label: 'Continue' } : undefined,
    );
  }
  return messagePage(
    c,
    'This checkout session has expired',
    'The session is no longer available. Go back to the store and check out again.',
    s.cancel_url ? { href: s.cancel_url, label: 'Back to the store' } : undefined,
    410,
  );
}

function parseExp(exp: string | undefined): { month?: number; year?: number } {
  const m = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(exp ?? '');
  if (!m) return {};
  const year = Number(m[2]);
  return { month: Number(m[1]), year: year < 100 ? 2000 + year : year };
}

/** GET and POST of /c/pay/:id. */
export async function checkoutPage(c: Context<AppEnv>): Promise<Response> {
  const id = c.req.param('id')!;
  const ctx = c.var.ctx;
  const found = ctx.store.getAny<SessionObj>(id, 'checkout.session');
  if (!found)
    return messagePage(
      c,
      'Checkout session not found',
      'There is no checkout session at this address.',
      undefined,
      404,
    );
  const scoped = ctx.as(found.account);
  const s = getSession(scoped, id);
  if (s.status !== 'open') return closed(c, s);
  if (c.req.method !== 'POST') return render(c, scoped, s, {});
  const form = Object.fromEntries([...(await c.req.formData()).entries()].map(([k, v]) => [k, String(v)]));
  const exp = parseExp(form.exp);
  const input: PayInput = {
    card: form.card_number ?? '',
    email: form.email,
    name: form.name,
    phone: form.phone || undefined,
    exp_month: exp.month,
    exp_year: exp.year,
    shipping_rate: form.shipping_rate || undefined,
    shipping: s.shipping_address_collection
      ? {
          name: form.ship_name,
          address: {
            line1: form.ship_line1 || undefined,
            city: form.ship_city || undefined,
            state: form.ship_state || undefined,
            postal_code: form.ship_postal_code || undefined,
            country: form.ship_country || undefined,
          },
        }
      : undefined,
  };
  if (!input.card.trim()) return render(c, scoped, s, form, 'Your card number is incomplete.', 400);
  try {
    const { redirect } = paySession(scoped, s, input);
    return seeOther(c, redirect);
  } catch (err) {
    if (err instanceof StripeError) {
      const fresh = getSession(scoped, id);
      if (fresh.status !== 'open') return closed(c, fresh);
      return render(c, scoped, fresh, form, err.message, err.status === 402 ? 402 : 400);
    }
    throw err;
  }
}
