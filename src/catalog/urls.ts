// Where catalog pages live. Every link to a product or a shop is built here, so the URL scheme is one decision.

/** The product page: `/products/<shop slug>/<product slug>` (readable, and unique per shop). */
export function productPath(storeSlug: string, productSlug: string): string {
  return `/products/${encodeURIComponent(storeSlug)}/${encodeURIComponent(productSlug)}`;
}

/** A vendor's shop page (its product grid); the vendors' About and Contact pages hang below it. */
export function shopPath(storeSlug: string): string {
  return `/shops/${encodeURIComponent(storeSlug)}`;
}
