// The transports behind `send(mail) → { id } | throws`: Resend over fetch (mocked), Cloudflare's binding (faked).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MailConfigError } from '../../src/notifications/config';
import { PermanentError, TransientError } from '../../src/notifications/errors';
import { cloudflareTransport } from '../../src/notifications/transports/cloudflare';
import { RESEND_ENDPOINT, resendTransport } from '../../src/notifications/transports/resend';
import type { OutgoingMail } from '../../src/notifications/transports/types';

afterEach(() => vi.restoreAllMocks());

const mail: OutgoingMail = {
  from: 'Shop <shop@example.com>',
  to: 'ada@example.com',
  replyTo: 'eve@example.com',
  subject: 'Hello',
  text: 'Hi',
  html: '<p>Hi</p>',
  idempotencyKey: 'contact:msg_1',
  messageId: 'msg_1',
  kind: 'contact_message',
};

function answer(status: number, body: unknown) {
  return vi.spyOn(globalThis, 'fetch').mockResolvedValue(Response.json(body, { status }));
}

describe('resend transport', () => {
  it('posts the message with the key and the idempotency key; answers Resend’s id', async () => {
    const spy = answer(200, { id: '49a3999c-0ce1' });
    expect(await resendTransport('re_key').send(mail)).toEqual({ id: '49a3999c-0ce1' });
    const [url, init] = spy.mock.calls[0]!;
    expect(url).toBe(RESEND_ENDPOINT);
    const headers = new Headers(init!.headers);
    expect(headers.get('authorization')).toBe('Bearer re_key');
    expect(headers.get('idempotency-key')).toBe('contact:msg_1');
    expect(JSON.parse(init!.body as string)).toEqual({
      from: 'Shop <shop@example.com>',
      to: ['ada@example.com'],
      subject: 'Hello',
      text: 'Hi',
      html: '<p>Hi</p>',
      reply_to: 'eve@example.com',
    });
  });

  it('500 and 429 are transient, 422 and 403 permanent', async () => {
    answer(500, { name: 'internal_server_error', message: 'boom' });
    await expect(resendTransport('k').send(mail)).rejects.toBeInstanceOf(TransientError);
    answer(429, { name: 'rate_limit_exceeded', message: 'slow down' });
    await expect(resendTransport('k').send(mail)).rejects.toBeInstanceOf(TransientError);
    answer(422, { name: 'validation_error', message: 'bad to' });
    await expect(resendTransport('k').send(mail)).rejects.toThrow(PermanentError);
    answer(403, { name: 'validation_error', message: 'domain not verified' });
    await expect(resendTransport('k').send(mail)).rejects.toThrow(
      /403 validation_error: domain not verified/,
    );
  });

  it('a request that does not answer in time, or a network error, is transient', async () => {
    vi.spyOn(globalThis, 'fetch').mockImplementation(
      (_input, init) =>
        new Promise((_resolve, reject) => {
          // AbortSignal.timeout aborts with a TimeoutError DOMException, which the transport recognises.
          init!.signal!.addEventListener('abort', () => {
            reject(init!.signal!.reason as DOMException);
          });
        }),
    );
    await expect(resendTransport('k', 50).send(mail)).rejects.toThrow(/did not answer within 50 ms/);
    vi.spyOn(globalThis, 'fetch').mockRejectedValue(new TypeError('Network connection lost.'));
    await expect(resendTransport('k').send(mail)).rejects.toThrow(TransientError);
  });

  it('without a key it is a configuration error', async () => {
    await expect(resendTransport(undefined).send(mail)).rejects.toBeInstanceOf(MailConfigError);
  });
});

describe('cloudflare transport', () => {
  it('sends the structured message through the binding', async () => {
    const sent: unknown[] = [];
    const binding = {
      send: async (m: unknown) => (sent.push(m), { messageId: '<abc@cf>' }),
    } as unknown as SendEmail;
    expect(await cloudflareTransport(binding).send(mail)).toEqual({ id: '<abc@cf>' });
    expect(sent).toEqual([
      {
        from: mail.from,
        to: mail.to,
        subject: 'Hello',
        text: 'Hi',
        html: '<p>Hi</p>',
        replyTo: 'eve@example.com',
      },
    ]);
  });

  it('a binding error is transient; no binding is a configuration error', async () => {
    const binding = {
      send: async () => Promise.reject(new Error('destination not verified')),
    } as unknown as SendEmail;
    await expect(cloudflareTransport(binding).send(mail)).rejects.toThrow(
      /send_email: destination not verified/,
    );
    await expect(cloudflareTransport(undefined).send(mail)).rejects.toBeInstanceOf(MailConfigError);
  });
});
