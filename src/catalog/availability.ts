// Who can sell what: the one rule for "a store can sell" and what it means for a product and a cart line.
import { MAX_QTY } from './line-limits';
import type { schema } from '../db/client';

export type Store = typeof schema.stores.$inferSelect;
export type Product = typeof schema.products.$inferSelect;

/**
 * A store can sell only when Stripe lets its account take charges and receive payouts and it has not
 * disconnected from the platform. Vendors, pricing, pages and checkout all ask this one function.
 */
export function storeCanSell(
  store: Pick<Store, 'chargesEnabled' | 'payoutsEnabled' | 'deauthorizedAt'>,
): boolean {
  return store.chargesEnabled && store.payoutsEnabled && store.deauthorizedAt == null;
}

export interface Availability {
  /** True when at least one unit can be bought now. */
  available: boolean;
  /** Most units one cart line may hold now (0 when unavailable). */
  maxQty: number;
  /** Why not, in words for the shopper. */
  reason?: string;
}

export type ProductFacts = Pick<Product, 'name' | 'active' | 'stock' | 'currency' | 'recurringInterval'>;
export type StoreFacts = Pick<Store, 'chargesEnabled' | 'payoutsEnabled' | 'deauthorizedAt'>;

/**
 * Whether a product can be put in a cart and bought now, and how many: active, its store can sell, in
 * the store's currency, in stock. A subscription product is bought like any other (checkout then runs in
 * subscription mode).
 */
export function productAvailability(
  product: ProductFacts | null | undefined,
  store: StoreFacts | null | undefined,
  currency: string,
): Availability {
  if (!product || !store) return { available: false, maxQty: 0, reason: 'This product no longer exists.' };
  if (!product.active) return { available: false, maxQty: 0, reason: `${product.name} is no longer sold.` };
  if (!storeCanSell(store))
    return { available: false, maxQty: 0, reason: `${product.name}'s shop isn't taking orders right now.` };
  if (product.currency.toLowerCase() !== currency.toLowerCase())
    return {
      available: false,
      maxQty: 0,
      reason: `${product.name} can't be bought in this store's currency.`,
    };
  if (product.stock !== null && product.stock <= 0)
    return { available: false, maxQty: 0, reason: `${product.name} is sold out.` };
  const maxQty = Math.min(MAX_QTY, product.stock ?? MAX_QTY);
  return { available: true, maxQty };
}
