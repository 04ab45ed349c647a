// Test helpers for discount codes: create one through the admin API, apply one to a shopper's cart.
import { env } from 'cloudflare:workers';
import { newId } from '../../src/lib/ids';
import { adminApi } from './admin-fixtures';

/** A fresh code (unique per call), upper-case to show codes are case-insensitive. */
export function freshCode(prefix = 'SAVE'): string {
  return `${prefix}${newId('c').slice(-8)}`.toUpperCase().replace(/[^A-Z0-9]/g, 'X');
}

/** Creates a code through the admin API; throws unless 201. */
export async function createCode(body: Record<string, unknown>) {
  const res = await adminApi('/admin/api/discounts', { body });
  if (res.status !== 201) throw new Error(`create code → ${res.status}: ${await res.text()}`);
  return (await res.json<{ discount: { id: string; code: string } }>()).discount;
}

/** The code's row as D1 holds it. */
export async function codeRow(id: string) {
  return env.DB.prepare('SELECT * FROM discounts WHERE id = ?')
    .bind(id)
    .first<{ redemptions: number; active: number }>();
}

/** Posts `{ code }` to the shopper's cart. */
export function applyCode(s: { fetch: (p: string, i?: RequestInit) => Promise<Response> }, code: string) {
  return s.fetch('/cart/discount', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
}
