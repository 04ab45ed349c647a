// Stock reservations: limited-stock lines are taken from `products.stock` when checkout begins, given
// back exactly once if the payment never happens, and kept (committed) when the order is paid.
// Every statement is conditional so that running it twice, or concurrently, changes stock once.
import { and, eq, exists, inArray, or, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Read } from '../db/batch';
import type { Db } from '../db/client';
import { schema } from '../db/client';

/**
 * Two statements that reserve `quantity` units of a product for an order: the stock update only when
 * enough is left (never below zero) and no reservation exists yet, then the reservation row only when
 * that update changed a row (`changes()` reads the previous statement of the same batch).
 */
export function reserveStatements(
  db: Db,
  orderId: string,
  productId: string,
  quantity: number,
): BatchItem<'sqlite'>[] {
  return [
    db.run(sql`UPDATE products SET stock = stock - ${quantity}, updated_at = unixepoch()
      WHERE id = ${productId} AND stock IS NOT NULL AND stock >= ${quantity}
        AND NOT EXISTS (SELECT 1 FROM stock_reservations WHERE order_id = ${orderId} AND product_id = ${productId})`),
    db.run(sql`INSERT INTO stock_reservations (order_id, product_id, quantity, status)
      SELECT ${orderId}, ${productId}, ${quantity}, 'held' WHERE changes() = 1`),
  ];
}

/**
 * Gives back every unit still held for a canceled order, then marks those reservations released. Both
 * in one batch: the first only counts `held` rows, the second moves them on, so a second run adds
 * nothing. Only a canceled order releases: run after the cancel statement of the same batch.
 */
export function releaseStatements(db: Db, orderId: string): BatchItem<'sqlite'>[] {
  const canceled = sql`EXISTS (SELECT 1 FROM orders WHERE id = ${orderId} AND status = 'canceled')`;
  return [
    db.run(sql`UPDATE products SET
        stock = stock + (SELECT r.quantity FROM stock_reservations r
          WHERE r.order_id = ${orderId} AND r.product_id = products.id AND r.status = 'held'),
        updated_at = unixepoch()
      WHERE id IN (SELECT product_id FROM stock_reservations WHERE order_id = ${orderId} AND status = 'held')
        AND ${canceled}`),
    db.run(sql`UPDATE stock_reservations SET status = 'released', updated_at = unixepoch()
      WHERE order_id = ${orderId} AND status = 'held' AND ${canceled}`),
  ];
}

/** Keeps the held units sold: the stock was taken at checkout, so only the reservation changes. */
export function commitStatement(db: Db, orderId: string): BatchItem<'sqlite'> {
  return db.run(sql`UPDATE stock_reservations SET status = 'committed', updated_at = unixepoch()
    WHERE order_id = ${orderId} AND status = 'held'`);
}

/** Product ids whose reservation for this order is held (to check which reservations succeeded). */
export async function heldProducts(db: Db, orderId: string): Promise<Map<string, number>> {
  const rows = await db.all<{ product_id: string; quantity: number }>(
    sql`SELECT product_id, quantity FROM stock_reservations WHERE order_id = ${orderId} AND status = 'held'`,
  );
  return new Map(rows.map((r) => [r.product_id, r.quantity]));
}

/**
 * Units each product has held for this cart's own pending orders: the order of this cart version (the
 * one a checkout of it takes over) and orders of older versions that are still payable (a new
 * checkout supersedes them, giving their units back, before it reserves). A shopper's own
 * reservation is theirs: a second click, or a retry after Stripe failed, must not count it as sold.
 */
export function heldForCartRead(db: Db, cartId: string, cartVersion: number): Read<Map<string, number>> {
  const r = schema.stockReservations;
  const o = schema.orders;
  const c = schema.checkouts;
  const live = db
    .select({ one: sql`1` })
    .from(c)
    .where(and(eq(c.orderId, o.id), inArray(c.status, ['creating', 'open'])));
  return {
    query: db
      .select({
        productId: sql<string>`${r.productId}`.as('productId'),
        quantity: sql<number>`SUM(${r.quantity})`.as('quantity'),
      })
      .from(r)
      .innerJoin(o, eq(o.id, r.orderId))
      .where(
        and(
          eq(r.status, 'held'),
          eq(o.cartId, cartId),
          eq(o.status, 'pending'),
          or(eq(o.cartVersion, cartVersion), exists(live)),
        ),
      )
      .groupBy(r.productId),
    value: (rows) => new Map(rows.map((row) => [String(row.productId), Number(row.quantity)])),
  };
}
