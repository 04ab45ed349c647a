// Connect's hosted pages: the test onboarding form at an account link's `url`, and the Express
// dashboard a login link opens.
import type { Ctx } from '../context';
import { completeOnboarding } from '../api/connect';
import { availableBalance } from '../payments';
import { esc, formatAmount } from '../render';
import type { StripeObject } from '../store';
import type { AccountObj, TransferObj } from '../types';
import { messagePage, page, seeOther } from './layout';

interface LinkObj extends StripeObject {
  account: string;
  expires_at: number;
  refresh_url: string;
  return_url: string;
  visited: boolean;
  used: boolean;
}

function form(account: AccountObj, values: Record<string, string>): Response {
  const bp = account.business_profile as Record<string, string | null>;
  const v = (k: string, fallback: string | null | undefined) => esc(values[k] ?? fallback ?? '');
  return page(
    'Set up payouts',
    `<main><form class="card" method="post" action="">
<h1>Set up payouts for your store</h1>
<p class="muted">Test onboarding for <code>${esc(account.id)}</code>. Any values are accepted; nothing is verified.</p>
<label for="business_name">Business name</label><input id="business_name" name="business_name" required value="${v('business_name', bp.name)}">
<label for="email">Email</label><input id="email" name="email" type="email" required value="${v('email', account.email)}">
<label for="url">Website</label><input id="url" name="url" value="${v('url', bp.url ?? 'https://example.com')}">
<label for="product_description">What do you sell?</label><input id="product_description" name="product_description" value="${v('product_description', bp.product_description)}">
<label for="routing">Bank account (test)</label><input id="routing" name="bank" value="110000000 · 000123456789" readonly>
<button type="submit">Agree and submit</button>
<div class="hint">Submitting enables charges and payouts on this account and returns you to the store.</div>
</form></main>`,
  );
}

/** GET and POST of /connect/onboarding/:link: expired or reused links go to `refresh_url`. */
export async function onboardingPage(ctx: Ctx, request: Request, linkId: string): Promise<Response> {
  const found = ctx.store.getAny<LinkObj>(linkId, 'account_link');
  if (!found) return messagePage('Link not found', 'This onboarding link does not exist.', undefined, 404);
  const link = found.obj;
  const expired = ctx.now() >= link.expires_at || link.used;
  if (expired) return seeOther(link.refresh_url);
  const account = ctx.store.get<AccountObj>(link.account, null, 'account');
  if (!account)
    return messagePage('Account not found', 'The account of this link no longer exists.', undefined, 404);
  if (request.method !== 'POST') {
    // Account links are single-use: a second visit is sent to refresh_url for a new link.
    if (link.visited) return seeOther(link.refresh_url);
    link.visited = true;
    ctx.store.put(link, null);
    return form(account, {});
  }
  const data = Object.fromEntries(
    [...(await request.formData()).entries()].map(([k, v]) => [k, String(v).trim()]),
  );
  completeOnboarding(ctx.as(null), account, {
    business_name: data.business_name || undefined,
    email: data.email || undefined,
    url: data.url || undefined,
    product_description: data.product_description || undefined,
  });
  link.used = true;
  ctx.store.put(link, null);
  return seeOther(link.return_url);
}

/** GET /express/:acct — a minimal Express dashboard: balance and transfers received. */
export function expressDashboard(ctx: Ctx, accountId: string): Response {
  const account = ctx.store.get<AccountObj>(accountId, null, 'account');
  if (!account)
    return messagePage('Account not found', 'There is no account at this address.', undefined, 404);
  const transfers = ctx.store.all<TransferObj>('transfer', null).filter((t) => t.destination === account.id);
  const currency = account.default_currency;
  const rows = transfers
    .map(
      (t) =>
        `<tr><td>${esc(new Date(Number(t.created) * 1000).toISOString().slice(0, 10))}<div class="muted">${esc(t.transfer_group ?? t.id)}</div></td>
<td class="num">${esc(formatAmount(t.amount - t.amount_reversed, t.currency))}${t.amount_reversed ? `<div class="muted">${esc(formatAmount(t.amount_reversed, t.currency))} reversed</div>` : ''}</td></tr>`,
    )
    .join('');
  return page(
    'Express dashboard',
    `<main><section><h1>${esc((account.business_profile.name as string | null) ?? account.id)}</h1>
<p class="muted">Express dashboard (emulator) · <code>${esc(account.id)}</code> · payouts ${account.payouts_enabled ? 'enabled' : 'disabled'}</p>
<h2>Balance</h2><p class="total">${esc(formatAmount(availableBalance(ctx, account.id, currency), currency))}</p>
<h2>Payments received</h2>${rows ? `<table>${rows}</table>` : '<p class="muted">No transfers yet.</p>'}
</section></main>`,
  );
}
