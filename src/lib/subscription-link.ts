// Signed, expiring links to a subscription's page (`/subscriptions/<id>?t=<token>`): what every subscription
// e-mail carries so the shopper can manage it from any device.
import { linkToken, verifyLinkToken } from './signed-link';
import { nowSeconds } from './time';

/** How long a link in a subscription e-mail keeps working (a year: renewals mail a fresh one). */
const LINK_TTL_SECONDS = 366 * 24 * 60 * 60;
const PURPOSE = 'subscription-link';

/** The path of a subscription's page with a signed token: `/subscriptions/<id>?t=<token>`. */
export async function signedSubscriptionPath(
  env: Pick<Env, 'COOKIE_SECRET'>,
  id: string,
  now = nowSeconds(),
): Promise<string> {
  const token = await linkToken(env.COOKIE_SECRET, PURPOSE, id, LINK_TTL_SECONDS, now);
  return `/subscriptions/${id}?t=${encodeURIComponent(token)}`;
}

/** True when `token` was signed for this subscription and has not expired. */
export function verifySubscriptionLinkToken(
  env: Pick<Env, 'COOKIE_SECRET'>,
  id: string,
  token: string | undefined,
  now = nowSeconds(),
): Promise<boolean> {
  return verifyLinkToken(env.COOKIE_SECRET, PURPOSE, id, token, now);
}
