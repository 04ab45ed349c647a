// Cloudflare Email Service through the `send_email` binding (EMAIL). The binding's structured form
// builds the MIME itself (https://developers.cloudflare.com/email-service/api/send-emails/workers-api/).
import { MailConfigError } from '../config';
import { TransientError } from '../errors';
import type { Transport } from './types';

/** A transport that sends through `binding`. Binding errors are retried, then recorded by the consumer. */
export function cloudflareTransport(binding: SendEmail | undefined): Transport {
  return {
    name: 'cloudflare',
    async send(mail) {
      if (!binding)
        throw new MailConfigError('MAIL_TRANSPORT=cloudflare needs the send_email binding EMAIL.');
      try {
        const result = await binding.send({
          from: mail.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
        });
        return { id: result.messageId };
      } catch (err) {
        // The binding reports every refusal as an Error; none of them is known to be final, so each is
        // retried with backoff and recorded as failed (with this reason) once the retries run out.
        throw new TransientError(`send_email: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  };
}
