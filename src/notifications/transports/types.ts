// The one small interface every transport implements.

/** A message ready to leave: addresses checked, subject on one line, both parts rendered. */
export interface OutgoingMail {
  /** `Name <address>` or an address (MAIL_FROM). */
  from: string;
  to: string;
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  /** The outbox row's idempotency key: providers that support one get it, so a resend never doubles. */
  idempotencyKey: string;
  /** The outbox row and its kind (the catcher stores them beside the message). */
  messageId: string;
  kind: string;
}

/**
 * Sends one message. Resolves with the provider's id; throws TransientError (try again later) or
 * PermanentError (never going to work).
 */
export interface Transport {
  readonly name: string;
  send(mail: OutgoingMail): Promise<{ id: string }>;
}

/** The headers a message carries, as the catcher shows them. */
export function headersOf(mail: OutgoingMail, date = new Date()): Record<string, string> {
  return {
    From: mail.from,
    To: mail.to,
    ...(mail.replyTo ? { 'Reply-To': mail.replyTo } : {}),
    Subject: mail.subject,
    Date: date.toUTCString(),
    'MIME-Version': '1.0',
    'Content-Type': 'multipart/alternative',
    'X-Entity-Ref-ID': mail.idempotencyKey,
  };
}
