// "My subscription": reached from the order page and the signed link in the welcome mail; 404 for
// anyone else; cancel at period end, resume, cancel now, a new card through a setup-mode Checkout,
// and a failed renewal paid from the page.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { getStripe } from '../../src/stripe/client';
import { seedCatalog } from '../helpers/checkout-fixtures';
import { shopper } from '../helpers/checkout-flow';
import { heldEmulator } from '../helpers/emulator';
import { linkIn, waitForMail } from '../helpers/mail';

const emu = heldEmulator();
const stripe = getStripe(env);

interface SubJson {
  id: string;
  status: string;
  cancelAtPeriodEnd: boolean;
  nextBillingAt: number | null;
  amount: number;
  payUrl: string | null;
  invoices: { id: string; status: string; amount: number; hostedInvoiceUrl: string | null }[];
}

async function bought() {
  const { products } = await seedCatalog([{ name: 'Tea of the month', unitAmount: 1800 }], {
    name: 'Leaf & Co',
  });
  const tea = products[0]!;
  await env.DB.prepare(`UPDATE products SET recurring_interval = 'month' WHERE id = ?`).bind(tea.id).run();
  const email = `page-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const buyer = await shopper();
  await buyer.add(tea);
  const started = await (await buyer.checkout({ email })).json<{ orderId: string; sessionId: string }>();
  const paid = await emu.pay(started.sessionId, { email });
  await emu.drain();
  const [welcome] = await waitForMail(email, { kind: 'subscription_welcome' });
  const link = linkIn(welcome!.text, '/subscriptions/');
  return {
    buyer,
    started,
    subscriptionId: paid.subscription!,
    email,
    link: `${link.pathname}${link.search}`,
  };
}

/** A stranger's request (no cookie). */
const anon = (path: string, init: Omit<RequestInit, 'headers'> & { headers?: Record<string, string> } = {}) =>
  SELF.fetch(`http://localhost${path}`, {
    ...init,
    headers: { accept: 'application/json', ...(init.headers ?? {}) },
    redirect: 'manual',
  });

const view = async (res: Response) => {
  expect(res.status).toBe(200);
  return (await res.json<{ subscription: SubJson }>()).subscription;
};

describe('My subscription', () => {
  it('opens from the order page and the mail link; 404 for anyone else', async () => {
    const { buyer, started, subscriptionId, link } = await bought();
    const orderPage = await (
      await buyer.fetch(`/orders/${started.orderId}`, { headers: { accept: 'text/html' } })
    ).text();
    expect(orderPage).toContain(`/subscriptions/${subscriptionId}?t=`);

    const own = await view(await buyer.fetch(`/subscriptions/${subscriptionId}`));
    expect(own).toMatchObject({
      id: subscriptionId,
      status: 'active',
      amount: 1800,
      cancelAtPeriodEnd: false,
    });
    expect(own.nextBillingAt).toBeGreaterThan(0);
    expect(own.invoices).toHaveLength(1);
    // The first invoice also carries shipping (a one-time line).
    expect(own.invoices[0]).toMatchObject({ status: 'paid', amount: 2300 });
    expect(own.invoices[0]!.hostedInvoiceUrl).toContain('/invoices/in_');

    expect((await view(await anon(link))).id).toBe(subscriptionId);
    const html = await (await anon(link, { headers: { accept: 'text/html' } })).text();
    expect(html).toContain('Active');
    expect(html).toContain('Tea of the month');
    expect(html).toContain('Cancel at period end');

    for (const path of [
      `/subscriptions/${subscriptionId}`,
      `/subscriptions/${subscriptionId}?t=1.${'a'.repeat(43)}`,
      `/subscriptions/${subscriptionId}?t=garbage`,
      '/subscriptions/sub_doesnotexist',
      '/subscriptions/not-an-id',
    ]) {
      expect((await anon(path)).status).toBe(404);
    }
    // Another subscription's token does not open this one.
    const other = await bought();
    const token = new URL(`http://x${other.link}`).searchParams.get('t')!;
    expect((await anon(`/subscriptions/${subscriptionId}?t=${encodeURIComponent(token)}`)).status).toBe(404);
    expect(
      (
        await anon(`/subscriptions/${subscriptionId}/cancel-now`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(404);
  });

  it('cancel at period end, resume, then cancel now (no refund); forms go back to the page', async () => {
    const { subscriptionId, link } = await bought();
    const token = new URL(`http://x${link}`).searchParams.get('t')!;
    const form = (action: string) =>
      anon(`/subscriptions/${subscriptionId}/${action}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'text/html',
          origin: 'http://localhost',
        },
        body: `t=${encodeURIComponent(token)}`,
      });
    const cancel = await form('cancel');
    expect(cancel.status).toBe(303);
    expect(cancel.headers.get('location')).toBe(
      `/subscriptions/${subscriptionId}?t=${encodeURIComponent(token)}`,
    );
    let sub = await view(await anon(link));
    expect(sub).toMatchObject({ status: 'active', cancelAtPeriodEnd: true, nextBillingAt: null });
    expect((await stripe.subscriptions.retrieve(subscriptionId)).cancel_at_period_end).toBe(true);
    await emu.drain();

    expect((await form('resume')).status).toBe(303);
    sub = await view(await anon(link));
    expect(sub.cancelAtPeriodEnd).toBe(false);
    await emu.drain();

    // A cross-site form post is refused.
    const forged = await anon(`/subscriptions/${subscriptionId}/cancel-now`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: `t=${encodeURIComponent(token)}`,
    });
    expect(forged.status).toBe(403);

    expect((await form('cancel-now')).status).toBe(303);
    await emu.drain();
    sub = await view(await anon(link));
    expect(sub.status).toBe('canceled');
    const refunds = await stripe.refunds.list({ limit: 100 });
    expect(refunds.data.filter((r) => r.metadata?.subscription_id === subscriptionId)).toHaveLength(0);
    // Nothing more to change.
    expect((await form('cancel')).status).toBe(409);
  });

  it('a failed renewal shows past due with the invoice to pay; a new card (setup-mode Checkout) pays it → active', async () => {
    const { subscriptionId, link } = await bought();
    await emu.setSubscriptionCard(subscriptionId, '4000000000000002');
    const end = (await stripe.subscriptions.retrieve(subscriptionId)).items.data[0]!.current_period_end;
    const { now } = await emu.advanceClock(0);
    await emu.advanceClock(end - now + 60);
    await emu.drain();
    const pastDue = await view(await anon(link));
    expect(pastDue.status).toBe('past_due');
    expect(pastDue.payUrl).toContain('/invoices/in_');
    const html = await (await anon(link, { headers: { accept: 'text/html' } })).text();
    expect(html).toContain('Pay the open invoice');

    const started = await anon(`/subscriptions/${subscriptionId}/update-card`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ t: new URL(`http://x${link}`).searchParams.get('t') }),
    });
    expect(started.status).toBe(200);
    const { url } = await started.json<{ url: string }>();
    const sessionId = /\/c\/pay\/(cs_[^/?]+)/.exec(url)![1]!;
    const session = await stripe.checkout.sessions.retrieve(sessionId);
    expect(session.mode).toBe('setup');
    await emu.pay(sessionId, { card: '4242424242424242' });
    await emu.drain();
    await emu.drain();
    const after = await view(await anon(link));
    expect(after.status).toBe('active');
    expect(after.invoices.map((i) => i.status)).toEqual(['paid', 'paid']);
    const sub = await stripe.subscriptions.retrieve(subscriptionId);
    expect(sub.default_payment_method).toBe(
      (
        await stripe.setupIntents.retrieve(
          (await stripe.checkout.sessions.retrieve(sessionId)).setup_intent as string,
        )
      ).payment_method,
    );
  });

  it('a signed-in shopper sees their subscriptions on /account and may open them', async () => {
    const { subscriptionId, email } = await bought();
    const requested = await anon('/account/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': '2001:db8::5a' },
      body: JSON.stringify({ email }),
    });
    expect(requested.status).toBe(202);
    const [mail] = await waitForMail(email, { kind: 'shopper_sign_in' });
    const signIn = await anon(linkIn(mail!.text, '/account/login/').pathname, {
      method: 'POST',
      headers: { origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const account = await anon('/account', { headers: { cookie } });
    const body = await account.json<{ subscriptions: { id: string; status: string; name: string }[] }>();
    expect(body.subscriptions).toEqual([
      expect.objectContaining({ id: subscriptionId, status: 'active', name: 'Tea of the month' }),
    ]);
    expect((await view(await anon(`/subscriptions/${subscriptionId}`, { headers: { cookie } }))).id).toBe(
      subscriptionId,
    );
  });
});
