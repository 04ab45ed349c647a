// Test helpers for checkout and orders: a seeded catalog, the signed cart cookie, orders written
// straight to D1 (for webhook and order-page tests that don't go through checkout).
import { env } from 'cloudflare:workers';
import { newId } from '../../src/lib/ids';
import { signedCookie } from './cookies';

/** The signed `cart` cookie for a cart id, exactly as hono's setSignedCookie writes it. */
export function cartCookie(cartId: string, secret = env.COOKIE_SECRET): Promise<string> {
  return signedCookie('cart', cartId, secret);
}

export interface SeededProduct {
  id: string;
  name: string;
  unitAmount: number;
  stock: number | null;
  storeId: string;
  storeName: string;
}

/** A vendor store able to sell (Connect account ready) and its products; fresh ids every call. */
export async function seedCatalog(
  products: { name?: string; unitAmount: number; stock?: number | null }[],
  store: { name?: string } = {},
): Promise<{ storeId: string; storeName: string; accountId: string; products: SeededProduct[] }> {
  const storeId = newId('store');
  const storeName = store.name ?? `Vendor ${storeId.slice(-5)}`;
  const accountId = `acct_${storeId.slice(-16)}`;
  await env.DB.prepare(
    `INSERT INTO stores (id, slug, name, stripe_account_id, charges_enabled, payouts_enabled, details_submitted)
     VALUES (?, ?, ?, ?, 1, 1, 1)`,
  )
    .bind(storeId, storeId.replace('_', '-'), storeName, accountId)
    .run();
  const seeded: SeededProduct[] = [];
  for (const p of products) {
    const id = newId('prod');
    const name = p.name ?? `Product ${id.slice(-5)}`;
    await env.DB.prepare(
      `INSERT INTO products (id, store_id, slug, name, unit_amount, currency, stock, active)
       VALUES (?, ?, ?, ?, ?, 'usd', ?, 1)`,
    )
      .bind(id, storeId, id.replace('_', '-'), name, p.unitAmount, p.stock ?? null)
      .run();
    seeded.push({ id, name, unitAmount: p.unitAmount, stock: p.stock ?? null, storeId, storeName });
  }
  return { storeId, storeName, accountId, products: seeded };
}

/** Current stock of a product. */
export async function stockOf(productId: string): Promise<number | null> {
  const row = await env.DB.prepare('SELECT stock FROM products WHERE id = ?')
    .bind(productId)
    .first<{ stock: number | null }>();
  return row?.stock ?? null;
}

export interface SeedOrderOptions {
  status?: 'pending' | 'paid' | 'partially_refunded' | 'refunded' | 'canceled';
  cartId?: string;
  lines?: {
    productId?: string;
    storeId?: string;
    storeName?: string;
    name?: string;
    unitAmount: number;
    qty: number;
    note?: string;
  }[];
  shippingAmount?: number;
  amountReceived?: number;
  paymentIntentId?: string | null;
  chargeId?: string | null;
  /** A Checkout Session attempt row for the order (open unless said otherwise). */
  session?: { id: string; status?: 'open' | 'complete' | 'expired' | 'failed' };
  /** Held stock reservations (product id → quantity); the units are taken from products.stock. */
  reserve?: Record<string, number>;
}

/** Writes an order (and its lines, attempt, reservations) straight to D1. */
export async function seedOrder(opts: SeedOrderOptions = {}): Promise<{
  orderId: string;
  cartId: string;
  total: number;
  subtotal: number;
}> {
  const orderId = newId('ord');
  const cartId = opts.cartId ?? newId('cart');
  const lines = (opts.lines ?? [{ unitAmount: 1500, qty: 2 }]).map((l) => ({
    productId: l.productId ?? newId('prod'),
    storeId: l.storeId ?? 'store_seeded',
    storeName: l.storeName ?? 'Seeded Vendor',
    name: l.name ?? 'Seeded product',
    unitAmount: l.unitAmount,
    qty: l.qty,
    note: l.note ?? '',
  }));
  const subtotal = lines.reduce((s, l) => s + l.unitAmount * l.qty, 0);
  const shipping = opts.shippingAmount ?? 500;
  const total = subtotal + shipping;
  const status = opts.status ?? 'pending';
  const paid = status !== 'pending' && status !== 'canceled';
  const statements = [
    env.DB.prepare(
      `INSERT INTO orders (id, cart_id, cart_version, status, payment_status, currency, subtotal, shipping_amount,
         total, amount_received, payment_intent_id, charge_id, checkout_session_id, paid_at)
       VALUES (?, ?, 1, ?, ?, 'usd', ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).bind(
      orderId,
      cartId,
      status,
      paid ? 'paid' : 'awaiting',
      subtotal,
      shipping,
      total,
      opts.amountReceived ?? (paid ? total : 0),
      opts.paymentIntentId ?? null,
      opts.chargeId ?? null,
      opts.session?.id ?? null,
      paid ? Math.floor(Date.now() / 1000) : null,
    ),
    ...lines.map((l) =>
      env.DB.prepare(
        `INSERT INTO order_lines (order_id, product_id, store_id, store_name, name, unit_amount, quantity, note, amount)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).bind(
        orderId,
        l.productId,
        l.storeId,
        l.storeName,
        l.name,
        l.unitAmount,
        l.qty,
        l.note,
        l.unitAmount * l.qty,
      ),
    ),
  ];
  if (opts.session) {
    statements.push(
      env.DB.prepare(
        `INSERT INTO checkouts (id, order_id, cart_id, cart_version, kind, stripe_id, url, status, amount, currency, idempotency_key)
         VALUES (?, ?, ?, 1, 'checkout_session', ?, 'https://checkout.example/pay', ?, ?, 'usd', ?)`,
      ).bind(
        newId('chk'),
        orderId,
        cartId,
        opts.session.id,
        opts.session.status ?? 'open',
        total,
        `seed:${orderId}`,
      ),
    );
  }
  for (const [productId, qty] of Object.entries(opts.reserve ?? {})) {
    statements.push(
      env.DB.prepare('UPDATE products SET stock = stock - ? WHERE id = ?').bind(qty, productId),
      env.DB.prepare(
        `INSERT INTO stock_reservations (order_id, product_id, quantity, status) VALUES (?, ?, ?, 'held')`,
      ).bind(orderId, productId, qty),
    );
  }
  await env.DB.batch(statements);
  return { orderId, cartId, total, subtotal };
}

/** The order row as the tests check it. */
export async function orderRow(orderId: string) {
  return env.DB.prepare('SELECT * FROM orders WHERE id = ?').bind(orderId).first<{
    status: string;
    payment_status: string;
    flag: string | null;
    amount_received: number;
    amount_refunded: number;
    total: number;
    charge_id: string | null;
    receipt_url: string | null;
    payment_intent_id: string | null;
  }>();
}
