// Test helpers for the purchase flow through SELF.fetch: a shopper with a cart cookie (JSON and form
// checkout), and small readers of what the shopper would see.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { newId } from '../../src/lib/ids';
import { cartCookie, type SeededProduct } from './checkout-fixtures';

const ORIGIN = 'http://localhost';

/** A visitor with their own cart (cookie) who can add products and call the storefront. */
export async function shopper() {
  const cartId = newId('cart');
  const cookie = await cartCookie(cartId);
  const cart = env.CART.getByName(cartId);
  return {
    cartId,
    cookie,
    cart,
    /** Adds a product at the price the shopper saw on its page. */
    async add(product: SeededProduct, qty = 1, note = '') {
      const result = await cart.addItem(product.id, qty, note, product.unitAmount);
      if (!result.ok) throw new Error(`addItem failed: ${result.error.message}`);
      return result.cart;
    },
    fetch(path: string, init: RequestInit = {}) {
      const headers = new Headers(init.headers);
      headers.set('cookie', cookie);
      if (!headers.has('accept')) headers.set('accept', 'application/json');
      return SELF.fetch(`${ORIGIN}${path}`, { ...init, headers, redirect: 'manual' });
    },
    /** POST /checkout as JSON. */
    checkout(body: Record<string, unknown> = {}) {
      return this.fetch('/checkout', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    },
    /** POST /checkout as the cart page's form sends it (the answer is a redirect). */
    checkoutForm(body = '') {
      return this.fetch('/checkout', {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'text/html',
          origin: ORIGIN,
        },
        body,
      });
    },
    /** The order as its JSON page shows it. */
    async order(orderId: string, query = '') {
      const res = await this.fetch(`/orders/${orderId}${query}`);
      if (res.status !== 200) throw new Error(`GET /orders/${orderId} → ${res.status}`);
      return (await res.json<{ order: OrderJson }>()).order;
    },
  };
}

export interface OrderJson {
  id: string;
  status: string;
  paymentStatus: string;
  statusLabel: string;
  total: number;
  subtotal: number;
  shippingAmount: number;
  amountReceived: number;
  amountRefunded: number;
  lines: {
    productId: string;
    name: string;
    quantity: number;
    unitAmount: number;
    note: string;
    vendor: { id: string; name: string };
  }[];
  payment: { id: string | null; receiptUrl: string | null };
}

/** Rows of a table for one order, to count effects. */
export async function countRows(
  table: 'transfers' | 'checkouts' | 'order_lines' | 'refunds',
  orderId: string,
) {
  const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE order_id = ?`)
    .bind(orderId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** Orders a cart has placed. */
export async function ordersOfCart(cartId: string) {
  const rows = await env.DB.prepare(
    'SELECT id, status, cart_version FROM orders WHERE cart_id = ? ORDER BY created_at',
  )
    .bind(cartId)
    .all<{ id: string; status: string; cart_version: number }>();
  return rows.results;
}

/** The held/released/committed state of an order's reservations. */
export async function reservations(orderId: string) {
  const rows = await env.DB.prepare(
    'SELECT product_id, quantity, status FROM stock_reservations WHERE order_id = ?',
  )
    .bind(orderId)
    .all<{ product_id: string; quantity: number; status: string }>();
  return rows.results;
}
