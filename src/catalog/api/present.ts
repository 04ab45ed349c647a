// Catalog rows as the API shows them (the shapes of schemas.ts): prices as Money, absolute URLs from
// PUBLIC_URL, availability from the one rule in availability.ts.
import type { z } from 'zod';
import { absoluteUrl } from '../../lib/config';
import { productAvailability, storeCanSell, type Product, type Store } from '../availability';
import type { Category } from '../categories';
import { productPath, shopPath } from '../urls';
import type { productSchema, storeSchema } from './schemas';

type ProductJson = z.output<typeof productSchema>;
type StoreJson = z.output<typeof storeSchema>;

/** An image path on this site made absolute; an https:// address as it is. */
function imageUrl(env: Env, image: string | null): string | null {
  if (!image) return null;
  return image.startsWith('/') ? absoluteUrl(env, image) : image;
}

/** A product with its store and category, as the API's `Product`. */
export function productJson(
  env: Env,
  currency: string,
  row: { product: Product; store: Store },
  category: Category | null,
): ProductJson {
  const { product, store } = row;
  const availability = productAvailability(product, store, currency);
  return {
    id: product.id,
    slug: product.slug,
    name: product.name,
    description: product.description,
    image: imageUrl(env, product.image),
    price: { amount: product.unitAmount, currency: product.currency.toLowerCase() },
    recurringInterval: product.recurringInterval,
    stock: product.stock,
    inStock: product.stock === null || product.stock > 0,
    available: availability.available,
    unavailableReason: availability.reason ?? null,
    featured: product.featured,
    category,
    store: { id: store.id, slug: store.slug, name: store.name, url: absoluteUrl(env, shopPath(store.slug)) },
    url: absoluteUrl(env, productPath(store.slug, product.slug)),
    createdAt: product.createdAt,
    updatedAt: product.updatedAt,
  };
}

/** A store, as the API's `Store`. */
export function storeJson(env: Env, store: Store): StoreJson {
  return {
    id: store.id,
    slug: store.slug,
    name: store.name,
    tagline: store.tagline,
    about: store.about,
    website: store.website,
    canSell: storeCanSell(store),
    url: absoluteUrl(env, shopPath(store.slug)),
  };
}
