// The dev mail catcher at /__mail (JSON and pages, 404 in production), the admin's Messages page with
// Resend, and bad input through the contact form.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { app } from '../../src/app';
import { getDb } from '../../src/db/client';
import { newId } from '../../src/lib/ids';
import { queueContactMessage } from '../../src/notifications/senders';
import { adminApi, adminCookie, adminForm, adminPage } from '../helpers/admin-fixtures';
import { caughtMail, waitForMail, type CaughtMail } from '../helpers/mail';
import { commit, envWithNotify, rowByKey, runNotifyBatch } from '../helpers/notify-fixtures';
import { storeFor } from '../helpers/payout-fixtures';
import { postForm } from '../helpers/vendor-fixtures';

const db = () => getDb(env);

async function queueAndSend(to: string, message = 'hi') {
  const contactId = newId('msg');
  await commit(
    queueContactMessage(db(), {
      contactId,
      to,
      storeName: 'S',
      fromName: 'N',
      fromEmail: 'n@example.com',
      message,
    }),
  );
  const row = await rowByKey(`contact:${contactId}`);
  await runNotifyBatch(envWithNotify().env, [{ id: row.id }]);
  return row;
}

describe('/__mail', () => {
  it('JSON lists newest first, filters by recipient, and shows one message', async () => {
    const to = `${newId('c')}@example.com`;
    await queueAndSend(to, 'first');
    await queueAndSend(to, 'second');
    await queueAndSend(`${newId('other')}@example.com`);
    const res = await SELF.fetch(
      `http://localhost/__mail/api/messages?to=${encodeURIComponent(to.toUpperCase())}`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { messages } = await res.json<{ messages: CaughtMail[] }>();
    expect(messages.map((m) => m.text.split('\n')[2])).toEqual(['second', 'first']);
    const all = await caughtMail();
    expect(all.map((m) => m.id)).toEqual([...all.map((m) => m.id)].sort((a, b) => b - a));

    const one = await SELF.fetch(`http://localhost/__mail/api/messages/${messages[0]!.id}`);
    expect(await one.json()).toMatchObject({ id: messages[0]!.id, to, kind: 'contact_message' });
    expect((await SELF.fetch('http://localhost/__mail/api/messages/999999')).status).toBe(404);
    expect((await SELF.fetch('http://localhost/__mail/api/messages/abc')).status).toBe(422);
  });

  it('pages: the list, a message with headers, text and its HTML in a sandboxed frame under a strict CSP', async () => {
    const to = `${newId('p')}@example.com`;
    await queueAndSend(to, '<script>alert(1)</script>');
    const [mail] = await caughtMail(to);
    const list = await SELF.fetch(`http://localhost/__mail?to=${encodeURIComponent(to)}`, {
      headers: { accept: 'text/html' },
    });
    expect(list.status).toBe(200);
    expect(await list.text()).toContain(`href="/__mail/${mail!.id}"`);
    const page = await SELF.fetch(`http://localhost/__mail/${mail!.id}`, {
      headers: { accept: 'text/html' },
    });
    const html = await page.text();
    expect(page.headers.get('content-security-policy')).toContain("frame-src 'self'");
    expect(html).toContain(`<iframe title="HTML part" src="/__mail/${mail!.id}/html" sandbox=""`);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('X-Entity-Ref-ID');
    const frame = await SELF.fetch(`http://localhost/__mail/${mail!.id}/html`);
    expect(frame.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox/);
    expect(await frame.text()).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('is not there in production', async () => {
    const prod = { ...env, ENVIRONMENT: 'production' };
    for (const path of [
      '/__mail',
      '/__mail/api/messages',
      '/__mail/api/messages/1',
      '/__mail/1',
      '/__mail/1/html',
    ])
      expect((await app.request(path, {}, prod)).status, path).toBe(404);
  });
});

describe('admin Messages', () => {
  it('shows each message’s state and resends a failed one; a sent sign-in link is not resent', async () => {
    const to = `${newId('r')}@example.com`;
    const contactId = newId('msg');
    await commit(
      queueContactMessage(db(), {
        contactId,
        to,
        storeName: 'S',
        fromName: 'N',
        fromEmail: 'n@example.com',
        message: 'hi',
      }),
    );
    const row = await rowByKey(`contact:${contactId}`);
    await env.DB.prepare(`UPDATE outbox SET status = 'failed', last_error = 'Resend 422: nope' WHERE id = ?`)
      .bind(row.id)
      .run();

    const cookie = await adminCookie();
    const page = await adminPage('/admin/messages?status=failed', cookie);
    const html = await page.text();
    expect(html).toContain(`data-message-id="${row.id}"`);
    expect(html).toContain('Resend 422: nope');
    expect(html).toContain(`action="/admin/messages/${row.id}/resend"`);
    expect((await adminPage('/admin/outbox', cookie)).headers.get('location')).toBe('/admin/messages');
    expect(
      (await adminApi(`/admin/api/messages/${row.id}/resend`, { method: 'POST', token: null })).status,
    ).toBe(401);

    const resent = await adminForm(`/admin/messages/${row.id}/resend`, {}, cookie);
    expect(resent.status).toBe(303);
    // Handed to the real NOTIFY queue: its consumer sends it to the catcher.
    const [mail] = await waitForMail(to);
    expect(mail!.messageId).toBe(row.id);
    const after = await rowByKey(`contact:${contactId}`);
    expect(after).toMatchObject({ status: 'sent', resends: 1 });

    // A sent message can be resent again through the API; a queued one can't.
    const again = await adminApi(`/admin/api/messages/${row.id}/resend`, { method: 'POST' });
    expect(again.status).toBe(202);
    await waitForMail(to, { count: 2 });
    const listed = await (
      await adminApi('/admin/api/messages?status=sent')
    ).json<{ messages: { id: string }[] }>();
    expect(listed.messages.some((m) => m.id === row.id)).toBe(true);

    const signIn = newId('msg');
    await env.DB.prepare(
      `INSERT INTO outbox (id, kind, idempotency_key, recipient, body, status) VALUES (?1, 'vendor_sign_in', ?1, 'v@example.com', '', 'sent')`,
    )
      .bind(signIn)
      .run();
    expect((await adminApi(`/admin/api/messages/${signIn}/resend`, { method: 'POST' })).status).toBe(409);
    expect((await adminApi('/admin/api/messages/msg_missing/resend', { method: 'POST' })).status).toBe(404);
  });
});

describe('bad input through the contact form', () => {
  it('CR/LF in the name stays out of the headers; a 10 KB name is refused with 422', async () => {
    const store = await storeFor(null, 'Gull');
    const slug = store.id.replace('_', '-');
    const res = await postForm(`/shops/${slug}/contact`, {
      name: 'Eve\r\nBcc: everyone@example.com',
      email: 'eve@example.com',
      message: 'Hello',
    });
    expect(res.status).toBe(303);
    const [mail] = await waitForMail(`${store.id}@example.com`, { kind: 'contact_message' });
    expect(mail!.subject).toBe('Message from Eve Bcc: everyone@example.com via your shop Gull');
    expect(Object.values(mail!.headers).join('')).not.toMatch(/[\r\n]/);
    expect(mail!.headers.Bcc).toBeUndefined();

    const huge = await postForm(`/shops/${slug}/contact`, {
      name: 'N'.repeat(10_240),
      email: 'eve@example.com',
      message: 'Hi',
    });
    expect(huge.status).toBe(422);
    const bad = await postForm(`/shops/${slug}/contact`, {
      name: 'Eve',
      email: 'eve@example.com\r\nBcc: x@example.com',
      message: 'Hi',
    });
    expect(bad.status).toBe(422);
  });
});
