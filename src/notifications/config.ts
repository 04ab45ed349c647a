// Mail configuration from the environment: which transport, the sender, and the public origin that
// every link in a message starts with (never the Host of whatever request caused the message).
import { publicOrigin } from '../lib/config';

type TransportName = 'catcher' | 'cloudflare' | 'resend';

/** The fields of Env this module reads; RESEND_API_KEY is an optional secret (only the resend transport needs it). */
export type MailEnv = Pick<Env, 'DB' | 'NOTIFY' | 'ENVIRONMENT' | 'STORE_NAME' | 'COOKIE_SECRET'> &
  Partial<Pick<Env, 'PUBLIC_URL' | 'MAIL_TRANSPORT' | 'MAIL_FROM' | 'EMAIL'>> & { RESEND_API_KEY?: string };

export interface MailConfig {
  transport: TransportName;
  /** `Name <address>` or a bare address. */
  from: string;
  /** Origin without a trailing slash, e.g. "http://localhost:8787". */
  publicUrl: string;
  marketplace: string;
  production: boolean;
}

/** A configuration problem an operator must fix; messages wait (and retry) meanwhile. */
export class MailConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MailConfigError';
  }
}

/** Reads and checks the mail settings. Throws MailConfigError for a setting that can't work. */
export function mailConfig(env: Partial<MailEnv>): MailConfig {
  const production = env.ENVIRONMENT === 'production';
  const marketplace = env.STORE_NAME || 'Harbor Market';
  const raw = (env.MAIL_TRANSPORT || (production ? 'cloudflare' : 'catcher')).trim().toLowerCase();
  if (raw !== 'catcher' && raw !== 'cloudflare' && raw !== 'resend')
    throw new MailConfigError(`MAIL_TRANSPORT must be catcher, cloudflare or resend, not "${raw}".`);
  // The catcher keeps mail in D1 and shows it at /__mail, which production does not serve.
  if (production && raw === 'catcher')
    throw new MailConfigError('MAIL_TRANSPORT=catcher is for development; choose cloudflare or resend.');
  let publicUrl: string;
  try {
    publicUrl = publicOrigin({ PUBLIC_URL: env.PUBLIC_URL ?? '' });
  } catch {
    throw new MailConfigError('PUBLIC_URL must be the site origin, e.g. https://shop.example.com.');
  }
  const from = (env.MAIL_FROM || (production ? '' : `${marketplace} <shop@localhost>`)).trim();
  if (!from || /[\r\n]/.test(from)) throw new MailConfigError('MAIL_FROM must be set to one sender.');
  return { transport: raw, from, publicUrl, marketplace, production };
}

/** An absolute link to `path` on the public site. */
export function absoluteUrl(config: Pick<MailConfig, 'publicUrl'>, path: string): string {
  return `${config.publicUrl}${path.startsWith('/') ? path : `/${path}`}`;
}
