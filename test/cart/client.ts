// A browser-like client for the cart API in tests: keeps the cart cookie between requests.
import { SELF } from 'cloudflare:test';
import type { CartView } from '../../src/cart/types';

export const ORIGIN = 'http://localhost';

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
  cart?: CartView;
};

export class CartClient {
  constructor(public cookie: string | null = null) {}

  /** Another tab of the same browser: same cookie. */
  tab(): CartClient {
    return new CartClient(this.cookie);
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie && !headers.has('cookie')) headers.set('cookie', this.cookie);
    const res = await SELF.fetch(`${ORIGIN}${path}`, { ...init, headers, redirect: 'manual' });
    const set = res.headers.getSetCookie().find((c) => c.startsWith('cart='));
    if (set) this.cookie = set.split(';')[0]!;
    return res;
  }

  async json(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        // Browsers send Origin on every non-GET fetch; csrf() checks it for body-less requests.
        origin: ORIGIN,
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async cart(): Promise<CartView> {
    const res = await this.fetch('/cart', { headers: { accept: 'application/json' } });
    if (res.status !== 200) throw new Error(`GET /cart answered ${res.status}`);
    return res.json<CartView>();
  }

  async add(productId: string, qty = 1, note?: string): Promise<Response> {
    return this.json('POST', '/cart/items', { productId, qty, ...(note !== undefined ? { note } : {}) });
  }

  async patch(productId: string, body: { qty?: number; note?: string }): Promise<Response> {
    return this.json('PATCH', `/cart/items/${productId}`, body);
  }

  async remove(productId: string): Promise<Response> {
    return this.json('DELETE', `/cart/items/${productId}`);
  }

  async replace(items: Record<string, unknown>, ifMatch?: string | number): Promise<Response> {
    return this.json(
      'POST',
      '/cart',
      { items },
      ifMatch === undefined ? {} : { 'if-match': String(ifMatch) },
    );
  }

  async form(path: string, fields: Record<string, string>, origin = ORIGIN): Promise<Response> {
    return this.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

/** The cart as a user sees it: what is in it and what it costs. */
export function summary(view: CartView) {
  return {
    version: view.version,
    items: view.items,
    notes: Object.fromEntries(view.lines.map((l) => [l.productId, l.note])),
    subtotal: view.subtotal,
  };
}
