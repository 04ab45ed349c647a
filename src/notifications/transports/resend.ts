// Resend's HTTP API (https://resend.com/docs/api-reference/emails/send-email): POST /emails with a
// Bearer key; the Idempotency-Key header makes a repeated request within 24 h send nothing new.
import { MailConfigError } from '../config';
import { PermanentError, TransientError } from '../errors';
import type { Transport } from './types';

export const RESEND_ENDPOINT = 'https://api.resend.com/emails';
/** A request that has not answered by then is abandoned and retried (the idempotency key makes that safe). */
const RESEND_TIMEOUT_MS = 10_000;

/** A transport that posts to Resend with `apiKey` (the RESEND_API_KEY secret). */
export function resendTransport(apiKey: string | undefined, timeoutMs = RESEND_TIMEOUT_MS): Transport {
  return {
    name: 'resend',
    async send(mail) {
      if (!apiKey) throw new MailConfigError('MAIL_TRANSPORT=resend needs the RESEND_API_KEY secret.');
      let res: Response;
      try {
        res = await fetch(RESEND_ENDPOINT, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${apiKey}`,
            'content-type': 'application/json',
            // Resend takes keys up to 256 characters.
            'idempotency-key': mail.idempotencyKey.slice(0, 256),
          },
          body: JSON.stringify({
            from: mail.from,
            to: [mail.to],
            subject: mail.subject,
            text: mail.text,
            html: mail.html,
            ...(mail.replyTo ? { reply_to: mail.replyTo } : {}),
          }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        // Timeout or network: Resend may or may not have the message; the key makes the retry safe.
        const name = err instanceof Error ? err.name : '';
        throw new TransientError(
          name === 'TimeoutError' || name === 'AbortError'
            ? `Resend did not answer within ${timeoutMs} ms`
            : `Resend unreachable: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      const body = (await res.json().catch(() => null)) as {
        id?: string;
        message?: string;
        name?: string;
      } | null;
      if (res.ok && body?.id) return { id: body.id };
      const reason = `Resend ${res.status}${body?.name ? ` ${body.name}` : ''}: ${body?.message ?? res.statusText}`;
      // 429 rate limit, 5xx, 409 (a concurrent request with the same key) and 401 (a key being fixed) can
      // succeed later; any other 4xx (422 invalid address or from, 403 unverified domain) never will.
      if (res.ok || res.status === 429 || res.status === 409 || res.status === 401 || res.status >= 500)
        throw new TransientError(reason);
      throw new PermanentError(reason);
    },
  };
}
