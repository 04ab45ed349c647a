// Shopper sign-in by e-mail through SELF.fetch: the link is e-mailed (outbox), works once, expires,
// is rate-limited per address and per IP, and answers the same for known and unknown addresses.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids';
import { linkIn, waitForMail } from '../helpers/mail';
import { seedOrder } from '../helpers/checkout-fixtures';

const ORIGIN = 'http://localhost';

const uniqueEmail = (tag: string) => `${tag}.${newId('x').slice(2, 12)}@example.com`;
/** A fresh client address per call (the per-IP limit is keyed on it). */
const uniqueIp = () => `2001:db8::${newId('i').slice(2, 6)}:${newId('i').slice(2, 6)}`;

/** A shopper known to the shop: one paid order placed with the e-mail. */
async function knownShopper(email: string) {
  const order = await seedOrder({ status: 'paid' });
  await env.DB.prepare('UPDATE orders SET email = ? WHERE id = ?').bind(email, order.orderId).run();
  return order;
}

function requestLink(email: unknown, ip = uniqueIp(), form = false) {
  return SELF.fetch(`${ORIGIN}/account/login`, {
    method: 'POST',
    headers: form
      ? {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'text/html',
          origin: ORIGIN,
          'cf-connecting-ip': ip,
        }
      : { 'content-type': 'application/json', accept: 'application/json', 'cf-connecting-ip': ip },
    body: form ? new URLSearchParams({ email: String(email) }).toString() : JSON.stringify({ email }),
    redirect: 'manual',
  });
}

/** The sign-in messages queued for `email` (outbox rows, oldest first). */
async function mailsTo(email: string) {
  const rows = await env.DB.prepare(
    "SELECT kind, status FROM outbox WHERE recipient = ? AND kind = 'shopper_sign_in' ORDER BY created_at",
  )
    .bind(email)
    .all<{ kind: string; status: string }>();
  return rows.results;
}

/** The link in the newest sign-in e-mail to `email`, as the mail catcher received it. */
async function linkFor(email: string): Promise<string> {
  const queued = (await mailsTo(email)).length;
  const [newest] = await waitForMail(email, { kind: 'shopper_sign_in', count: queued });
  return linkIn(newest!.text, '/account/login/').href;
}

const path = (link: string) => new URL(link).pathname;

function post(url: string, cookie?: string) {
  return SELF.fetch(`${ORIGIN}${url}`, {
    method: 'POST',
    headers: {
      origin: ORIGIN,
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
      ...(cookie ? { cookie } : {}),
    },
    body: '',
    redirect: 'manual',
  });
}

describe('a sign-in link', () => {
  it('is e-mailed from PUBLIC_URL, opens a confirmation, signs in once, and never again', async () => {
    const email = uniqueEmail('once');
    await knownShopper(email);
    const res = await requestLink(email.toUpperCase());
    expect(res.status).toBe(202);
    const link = await linkFor(email);
    expect(link.startsWith(`${env.PUBLIC_URL}/account/login/`)).toBe(true);
    // Only a hash of the token is stored.
    const token = link.split('/').at(-1)!;
    const stored = await env.DB.prepare('SELECT token_hash FROM shopper_login_tokens WHERE email = ?')
      .bind(email)
      .all<{ token_hash: string }>();
    expect(stored.results.map((r) => r.token_hash)).not.toContain(token);

    const page = await SELF.fetch(`${ORIGIN}${path(link)}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toContain('no-store');
    expect(await page.text()).toContain(`action="${path(link)}"`);

    const signIn = await post(path(link));
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).toBe('/account');
    const cookie = signIn.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^shopper=/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure'); // plain http on localhost

    const again = await post(path(link));
    expect(again.status).toBe(404);
    expect((await SELF.fetch(`${ORIGIN}${path(link)}`)).status).toBe(404);
  });

  it('expires after 20 minutes', async () => {
    const email = uniqueEmail('late');
    await knownShopper(email);
    await requestLink(email);
    const link = await linkFor(email);
    const expires = await env.DB.prepare(
      'SELECT expires_at, created_at FROM shopper_login_tokens WHERE email = ?',
    )
      .bind(email)
      .first<{ expires_at: number; created_at: number }>();
    expect(expires!.expires_at - expires!.created_at).toBe(20 * 60);
    // Time passes: the link's expiry is now in the past.
    await env.DB.prepare('UPDATE shopper_login_tokens SET expires_at = unixepoch() - 1 WHERE email = ?')
      .bind(email)
      .run();
    expect((await SELF.fetch(`${ORIGIN}${path(link)}`)).status).toBe(404);
    const res = await post(path(link));
    expect(res.status).toBe(404);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('answers the same for an unknown address, and sends nothing', async () => {
    const known = uniqueEmail('known');
    await knownShopper(known);
    const unknown = uniqueEmail('stranger');
    const [a, b] = await Promise.all([requestLink(known), requestLink(unknown)]);
    expect(a.status).toBe(b.status);
    expect(await a.json()).toEqual(await b.json());
    expect(await mailsTo(unknown)).toEqual([]);
    expect(await mailsTo(known)).toHaveLength(1);

    const [fa, fb] = await Promise.all([
      requestLink(known, uniqueIp(), true),
      requestLink(unknown, uniqueIp(), true),
    ]);
    expect([fa.status, fa.headers.get('location')]).toEqual([303, '/account/login?sent=1']);
    expect([fb.status, fb.headers.get('location')]).toEqual([303, '/account/login?sent=1']);
  });

  it('refuses malformed addresses (422), a 10 KB one included, and a header-injection attempt', async () => {
    for (const bad of [
      '',
      'not-an-address',
      'a@b\r\nBcc: all@example.com',
      `${'x'.repeat(10 * 1024)}@example.com`,
      42,
    ]) {
      const res = await requestLink(bad);
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const form = await requestLink('nope', uniqueIp(), true);
    expect(form.status).toBe(422);
    expect(await form.text()).toContain('Enter a valid e-mail address.');
    const junk = await SELF.fetch(`${ORIGIN}/account/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":',
    });
    expect(junk.status).toBe(400);
  });
});

describe('rate limits', () => {
  it('allow 5 links an hour per address, then 429 problem+json with Retry-After', async () => {
    const email = uniqueEmail('busy');
    await knownShopper(email);
    for (let i = 0; i < 5; i++) expect((await requestLink(email)).status).toBe(202);
    const refused = await requestLink(email);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ status: 429, title: 'Too many requests' });
    expect(await mailsTo(email)).toHaveLength(5);
    // An unknown address is limited just the same: the limit tells nothing either.
    const stranger = uniqueEmail('stranger');
    for (let i = 0; i < 5; i++) expect((await requestLink(stranger)).status).toBe(202);
    expect((await requestLink(stranger)).status).toBe(429);
    // The form shows the message on the page.
    const page = await requestLink(email, uniqueIp(), true);
    expect(page.status).toBe(429);
    expect(await page.text()).toContain('Too many sign-in requests');
  });

  it('allow 20 requests an hour per IP', async () => {
    const ip = uniqueIp();
    for (let i = 0; i < 20; i++) expect((await requestLink(uniqueEmail(`ip${i}`), ip)).status).toBe(202);
    expect((await requestLink(uniqueEmail('ip-last'), ip)).status).toBe(429);
    expect((await requestLink(uniqueEmail('other-ip'))).status).toBe(202);
  });
});
