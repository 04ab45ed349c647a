// Picks the transport named by MAIL_TRANSPORT.
import type { Db } from '../../db/client';
import type { MailConfig, MailEnv } from '../config';
import { catcherTransport } from './catcher';
import { cloudflareTransport } from './cloudflare';
import { resendTransport } from './resend';
import type { Transport } from './types';

export type { OutgoingMail, Transport } from './types';

/** The configured transport. */
export function chooseTransport(config: MailConfig, env: Partial<MailEnv>, db: Db): Transport {
  switch (config.transport) {
    case 'catcher':
      return catcherTransport(db);
    case 'cloudflare':
      return cloudflareTransport(env.EMAIL);
    case 'resend':
      return resendTransport(env.RESEND_API_KEY);
  }
}
