// The hosted test checkout page at a session's `url`: line items, total, a card form with Stripe's
// test cards; submitting pays the session and redirects to `success_url`.
import type { Ctx } from '../context';
import { StripeError } from '../errors';
import { esc, formatAmount } from '../render';
import type { CustomerObj, SessionObj, ShippingRateObj } from '../types';
import { getSession, paySession, type PayInput } from '../api/checkout';
import { messagePage, page, seeOther } from './layout';

const TEST_CARDS_HINT = `<div class="hint"><strong>Test cards</strong><br>
<code>4242 4242 4242 4242</code> succeeds ·
<code>4000 0000 0000 0002</code> is declined ·
<code>4000 0000 0000 9995</code> is declined for insufficient funds.<br>Any future expiry date and any CVC.</div>`;

function field(name: string, label: string, value: string, attrs = ''): string {
  return `<label for="${name}">${esc(label)}</label><input id="${name}" name="${name}" value="${esc(value)}" ${attrs}>`;
}

function render(
  ctx: Ctx,
  s: SessionObj,
  values: Record<string, string>,
  error?: string,
  status = 200,
): Response {
  const items = s._line_items
    .map(
      (li) =>
        `<tr><td>${esc(li.description ?? 'Item')}<div class="muted">Qty ${li.quantity}${
          li.price.recurring
            ? ` · billed every ${li.price.recurring.interval_count > 1 ? `${li.price.recurring.interval_count} ` : ''}${esc(li.price.recurring.interval)}`
            : ''
        }</div></td><td class="num">${esc(formatAmount(li.amount_total, li.currency))}</td></tr>`,
    )
    .join('');
  const rates = s.shipping_options
    .map((o) => ctx.store.get<ShippingRateObj>(o.shipping_rate, ctx.account, 'shipping_rate'))
    .filter((r): r is ShippingRateObj => !!r);
  const chosen = values.shipping_rate || (s.shipping_cost?.shipping_rate as string | undefined) || '';
  const shippingRow = s.total_details.amount_shipping
    ? `<tr><td>Shipping</td><td class="num">${esc(formatAmount(s.total_details.amount_shipping, s.currency))}</td></tr>`
    : '';
  const shippingFields = s.shipping_address_collection
    ? `<h2>Shipping address</h2>
${field('ship_name', 'Full name', values.ship_name ?? '', 'autocomplete="shipping name"')}
${field('ship_line1', 'Address', values.ship_line1 ?? '', 'autocomplete="shipping address-line1"')}
<div class="row"><div>${field('ship_city', 'City', values.ship_city ?? '', 'autocomplete="shipping address-level2"')}</div>
<div>${field('ship_postal_code', 'Postal code', values.ship_postal_code ?? '', 'autocomplete="shipping postal-code"')}</div></div>
<div class="row"><div>${field('ship_state', 'State / region', values.ship_state ?? '')}</div>
<div><label for="ship_country">Country</label><select id="ship_country" name="ship_country">${s.shipping_address_collection.allowed_countries
        .map((c) => `<option${values.ship_country === c ? ' selected' : ''}>${esc(c)}</option>`)
        .join('')}</select></div></div>`
    : '';
  const rateFields =
    rates.length > 1
      ? `<h2>Shipping method</h2>${rates
          .map(
            (r) =>
              `<label><input type="radio" name="shipping_rate" value="${esc(r.id)}" style="width:auto"${
                chosen === r.id ? ' checked' : ''
              }> ${esc(r.display_name)} — ${esc(formatAmount(r.fixed_amount.amount, r.fixed_amount.currency))}</label>`,
          )
          .join('')}`
      : '';
  const cancel = s.cancel_url
    ? `<p class="muted"><a href="${esc(s.cancel_url)}">← Back (cancel)</a></p>`
    : '';
  const lockedEmail = s.customer
    ? (ctx.store.get<CustomerObj>(s.customer, ctx.account, 'customer')?.email ?? null)
    : null;
  const phoneField = (s.phone_number_collection as { enabled?: boolean } | null)?.enabled
    ? field('phone', 'Phone number', values.phone ?? '', 'type="tel" autocomplete="tel"')
    : '';
  const submit = s.mode === 'subscription' ? 'Subscribe' : `Pay ${formatAmount(s.amount_total, s.currency)}`;
  const body = `<main class="split">
<section aria-labelledby="summary">
${cancel}
<h1 id="summary">Order summary</h1>
<p class="total" data-testid="total">${esc(formatAmount(s.amount_total, s.currency))}</p>
<table>${items}${shippingRow}
<tr><td><strong>Total due today</strong></td><td class="num"><strong>${esc(formatAmount(s.amount_total, s.currency))}</strong></td></tr></table>
</section>
<form class="card" method="post" action="" aria-labelledby="pay">
<h1 id="pay">Pay with card</h1>
${error ? `<div class="error" role="alert">${esc(error)}</div>` : ''}
${
  lockedEmail
    ? field('email', 'Email', lockedEmail, 'type="email" readonly')
    : field(
        'email',
        'Email',
        values.email ?? s.customer_email ?? '',
        'type="email" autocomplete="email" required',
      )
}
${phoneField}
${field('card_number', 'Card number', values.card_number ?? '', 'inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234" required')}
<div class="row"><div>${field('exp', 'Expiry (MM / YY)', values.exp ?? '', 'autocomplete="cc-exp" placeholder="12 / 34"')}</div>
<div>${field('cvc', 'CVC', values.cvc ?? '', 'autocomplete="cc-csc" placeholder="123"')}</div></div>
${field('name', 'Name on card', values.name ?? '', 'autocomplete="cc-name"')}
${shippingFields}
${rateFields}
<button type="submit">${esc(submit)}</button>
${TEST_CARDS_HINT}
</form>
</main>`;
  return page(`Checkout — ${formatAmount(s.amount_total, s.currency)}`, body, status);
}

function closed(s: SessionObj, ctx: Ctx): Response {
  if (s.status === 'complete') {
    const target = (s.success_url ?? s.return_url ?? '').replaceAll('{CHECKOUT_SESSION_ID}', s.id);
    return messagePage(
      'Payment complete',
      'This checkout session has already been paid.',
      target ? { href: target, label: 'Continue' } : undefined,
    );
  }
  void ctx;
  return messagePage(
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
export async function checkoutPage(ctx: Ctx, request: Request, id: string): Promise<Response> {
  const found = ctx.store.getAny<SessionObj>(id, 'checkout.session');
  if (!found)
    return messagePage(
      'Checkout session not found',
      'There is no checkout session at this address.',
      undefined,
      404,
    );
  const scoped = ctx.as(found.account);
  const s = getSession(scoped, id);
  if (s.status !== 'open') return closed(s, scoped);
  if (request.method !== 'POST') return render(scoped, s, {});
  const form = Object.fromEntries([...(await request.formData()).entries()].map(([k, v]) => [k, String(v)]));
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
  if (!input.card.trim()) return render(scoped, s, form, 'Your card number is incomplete.', 400);
  try {
    const { redirect } = paySession(scoped, s, input);
    return seeOther(redirect);
  } catch (err) {
    if (err instanceof StripeError) {
      const fresh = getSession(scoped, id);
      if (fresh.status !== 'open') return closed(fresh, scoped);
      return render(scoped, fresh, form, err.message, err.status === 402 ? 402 : 400);
    }
    throw err;
  }
}
