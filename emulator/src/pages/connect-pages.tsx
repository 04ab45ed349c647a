/** @jsxImportSource hono/jsx */
// Connect's hosted pages: the test onboarding form at an account link's `url`, and the Express
// dashboard a login link opens.
import type { Context } from 'hono';
import { completeOnboarding } from '../api/connect';
import type { AppEnv } from '../http';
import { availableBalance } from '../payments';
import type { StripeObject } from '../store';
import type { AccountObj, TransferObj } from '../types';
import { formatAmount } from './format';
import { Document, htmlPage, messagePage, seeOther } from './layout';

interface LinkObj extends StripeObject {
  account: string;
  expires_at: number;
  refresh_url: string;
  return_url: string;
  visited: boolean;
  used: boolean;
}

/** The test onboarding form: any values pass, nothing is verified. */
export function OnboardingPage({ account }: { account: AccountObj }) {
  const bp = account.business_profile as Record<string, string | null>;
  return (
    <Document title="Set up payouts">
      <main>
        <form class="card" method="post" action="">
          <h1>Set up payouts for your store</h1>
          <p class="muted">
            Test onboarding for <code>{account.id}</code>. Any values are accepted; nothing is verified.
          </p>
          <label for="business_name">Business name</label>
          <input id="business_name" name="business_name" required value={bp.name ?? ''} />
          <label for="email">Email</label>
          <input id="email" name="email" type="email" required value={account.email ?? ''} />
          <label for="url">Website</label>
          <input id="url" name="url" value={bp.url ?? 'https://example.com'} />
          <label for="product_description">What do you sell?</label>
          <input id="product_description" name="product_description" value={bp.product_description ?? ''} />
          <label for="routing">Bank account (test)</label>
          <input id="routing" name="bank" value="110000000 · 000123456789" readonly />
          <button type="submit">Agree and submit</button>
          <div class="hint">
            Submitting enables charges and payouts on this account and returns you to the store.
          </div>
        </form>
      </main>
    </Document>
  );
}

/** GET and POST of /connect/onboarding/:link: expired or reused links go to `refresh_url`. */
export async function onboardingPage(c: Context<AppEnv>): Promise<Response> {
  const ctx = c.var.ctx;
  const found = ctx.store.getAny<LinkObj>(c.req.param('link')!, 'account_link');
  if (!found) return messagePage(c, 'Link not found', 'This onboarding link does not exist.', undefined, 404);
  const link = found.obj;
  const expired = ctx.now() >= link.expires_at || link.used;
  if (expired) return seeOther(c, link.refresh_url);
  const account = ctx.store.get<AccountObj>(link.account, null, 'account');
  if (!account)
    return messagePage(c, 'Account not found', 'The account of this link no longer exists.', undefined, 404);
  if (c.req.method !== 'POST') {
    // Account links are single-use: a second visit is sent to refresh_url for a new link.
    if (link.visited) return seeOther(c, link.refresh_url);
    link.visited = true;
    ctx.store.put(link, null);
    return htmlPage(c, <OnboardingPage account={account} />);
  }
  const data = Object.fromEntries(
    [...(await c.req.formData()).entries()].map(([k, v]) => [k, String(v).trim()]),
  );
  completeOnboarding(ctx.as(null), account, {
    business_name: data.business_name || undefined,
    email: data.email || undefined,
    url: data.url || undefined,
    product_description: data.product_description || undefined,
  });
  link.used = true;
  ctx.store.put(link, null);
  return seeOther(c, link.return_url);
}

/** A minimal Express dashboard: balance and transfers received. */
export function ExpressDashboard({
  account,
  transfers,
  balance,
}: {
  account: AccountObj;
  transfers: TransferObj[];
  balance: number;
}) {
  const currency = account.default_currency;
  return (
    <Document title="Express dashboard">
      <main>
        <section>
          <h1>{(account.business_profile.name as string | null) ?? account.id}</h1>
          <p class="muted">
            Express dashboard (emulator) · <code>{account.id}</code> · payouts{' '}
            {account.payouts_enabled ? 'enabled' : 'disabled'}
          </p>
          <h2>Balance</h2>
          <p class="total">{formatAmount(balance, currency)}</p>
          <h2>Payments received</h2>
          {transfers.length > 0 ? (
            <table>
              {transfers.map((t) => (
                <tr>
                  <td>
                    {new Date(Number(t.created) * 1000).toISOString().slice(0, 10)}
                    <div class="muted">{t.transfer_group ?? t.id}</div>
                  </td>
                  <td class="num">
                    {formatAmount(t.amount - t.amount_reversed, t.currency)}
                    {t.amount_reversed ? (
                      <div class="muted">{formatAmount(t.amount_reversed, t.currency)} reversed</div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </table>
          ) : (
            <p class="muted">No transfers yet.</p>
          )}
        </section>
      </main>
    </Document>
  );
}

/** GET /express/:acct */
export function expressDashboard(c: Context<AppEnv>): Response | Promise<Response> {
  const ctx = c.var.ctx;
  const account = ctx.store.get<AccountObj>(c.req.param('acct')!, null, 'account');
  if (!account)
    return messagePage(c, 'Account not found', 'There is no account at this address.', undefined, 404);
  const transfers = ctx.store.all<TransferObj>('transfer', null).filter((t) => t.destination === account.id);
  const balance = availableBalance(ctx, account.id, account.default_currency);
  return htmlPage(c, <ExpressDashboard account={account} transfers={transfers} balance={balance} />);
}
