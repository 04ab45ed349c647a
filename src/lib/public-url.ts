// The shop's public origin (PUBLIC_URL): every absolute link we hand out (e-mails, receipts) starts
// here, never from the request's Host header, which a client chooses.
import { AppError } from './errors';

/** `PUBLIC_URL` without a trailing slash; a 500 that names the setting when it is missing or not a URL. */
export function publicUrl(env: Pick<Env, 'PUBLIC_URL'>): string {
  const raw = (env.PUBLIC_URL ?? '').trim();
  let url: URL | null = null;
  try {
    url = raw ? new URL(raw) : null;
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new AppError(500, 'Not configured', 'PUBLIC_URL must be set to the shop’s public origin.');
  }
  return url.origin;
}

/** An absolute URL on the shop for `path` (which starts with `/`). */
export function absoluteUrl(env: Pick<Env, 'PUBLIC_URL'>, path: string): string {
  return `${publicUrl(env)}${path}`;
}
