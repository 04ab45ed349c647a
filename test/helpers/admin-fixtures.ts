// Test helpers for the admin: calls with the operator's token (or a wrong one, or none).
import { SELF } from 'cloudflare:test';

export const ADMIN_TOKEN = 'test-admin-token';
const ORIGIN = 'http://localhost';

/** A JSON call to the admin API; `token: null` sends no Authorization header. */
export function adminApi(
  path: string,
  init: { method?: string; body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
): Promise<Response> {
  const token = init.token === undefined ? ADMIN_TOKEN : init.token;
  const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
  // API clients post JSON (the app's CSRF guard refuses body-less posts without an Origin).
  const body = init.body ?? (method === 'POST' ? {} : undefined);
  return SELF.fetch(`${ORIGIN}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...init.headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: 'manual',
  });
}

/** Signs in through the form and returns the admin cookie. */
export async function adminCookie(): Promise<string> {
  const res = await SELF.fetch(`${ORIGIN}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, accept: 'text/html' },
    body: new URLSearchParams({ token: ADMIN_TOKEN }).toString(),
    redirect: 'manual',
  });
  const line = (res.headers.getSetCookie?.() ?? []).find((l) => l.startsWith('admin='));
  if (!line) throw new Error(`admin sign-in failed: ${res.status}`);
  return line.split(';')[0]!;
}

/** A page of the admin as a signed-in browser. */
export function adminPage(path: string, cookie: string): Promise<Response> {
  return SELF.fetch(`${ORIGIN}${path}`, { headers: { accept: 'text/html', cookie }, redirect: 'manual' });
}

/** A form post in the admin as a signed-in browser. */
export function adminForm(path: string, fields: Record<string, string>, cookie: string): Promise<Response> {
  return SELF.fetch(`${ORIGIN}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: ORIGIN,
      accept: 'text/html',
      cookie,
    },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}
