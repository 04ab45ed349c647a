// Test helpers for vendors: form posts as a browser sends them, cookies from responses, a signed
// vendor session, and Connect events signed like the emulator (or Stripe) signs them.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { signedCookie } from './cookies';
import { deliver, stripeEvent, CONNECT_SECRET } from './webhook-events';

const ORIGIN = 'http://localhost';

/** A vendor session cookie for `storeId` (as if signed in), valid for an hour or expired. */
export function vendorCookie(storeId: string, { expired = false } = {}): Promise<string> {
  const exp = Math.floor(Date.now() / 1000) + (expired ? -60 : 3600);
  return signedCookie('vendor', `${storeId}.${exp}`, `${env.COOKIE_SECRET}:vendor-session`);
}

/** The `name=value` pair a response sets for cookie `name`, or null. */
export function setCookie(res: Response, name: string): string | null {
  const all = res.headers.getSetCookie?.() ?? [res.headers.get('set-cookie') ?? ''];
  const line = all.find((l) => l.startsWith(`${name}=`));
  return line ? line.split(';')[0]! : null;
}

/** GET as a browser (HTML). */
export function browse(path: string, cookie?: string): Promise<Response> {
  return SELF.fetch(`${ORIGIN}${path}`, {
    headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) },
    redirect: 'manual',
  });
}

/** POST a form as a same-origin browser page would. */
export function postForm(path: string, fields: Record<string, string>, cookie?: string): Promise<Response> {
  return SELF.fetch(`${ORIGIN}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
      origin: ORIGIN,
      ...(cookie ? { cookie } : {}),
    },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

/** POST JSON as an API client. */
export function postJson(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return SELF.fetch(`${ORIGIN}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
    redirect: 'manual',
  });
}

/** A minimal Stripe Account object for a Connect event. */
export function accountObject(id: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    object: 'account',
    type: 'express',
    email: null,
    charges_enabled: false,
    payouts_enabled: false,
    details_submitted: false,
    business_profile: {
      name: null,
      url: null,
      support_email: null,
      support_phone: null,
      product_description: null,
    },
    metadata: {},
    ...fields,
  };
}

/** Delivers a Connect event about `accountId`, signed with the Connect endpoint's secret. */
export async function deliverAccountEvent(
  type: string,
  accountId: string,
  object: Record<string, unknown>,
  created?: number,
): Promise<Response> {
  return deliver(stripeEvent(type, object, { account: accountId, created }), { secret: CONNECT_SECRET });
}

/** A store row by slug or id, straight from D1. */
export async function storeRow(where: { id?: string; slug?: string; account?: string }) {
  const [col, val] = where.id
    ? ['id', where.id]
    : where.slug
      ? ['slug', where.slug]
      : ['stripe_account_id', where.account!];
  return env.DB.prepare(`SELECT * FROM stores WHERE ${col} = ?`).bind(val).first<{
    id: string;
    slug: string;
    name: string;
    about: string;
    email: string | null;
    website: string | null;
    support_email: string | null;
    support_phone: string | null;
    stripe_account_id: string | null;
    charges_enabled: number;
    payouts_enabled: number;
    details_submitted: number;
    deauthorized_at: number | null;
  }>();
}
