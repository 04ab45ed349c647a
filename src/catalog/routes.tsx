// Home, product and shop pages. They hold nothing personal (the cart badge is filled by the page's
// script), so an edge cache may keep them for a few minutes.
import { Hono, type Context } from 'hono';
import { getDb } from '../db/client';
import { storeConfig } from '../lib/config';
import { NotFoundError } from '../lib/errors';
import { HomePage } from '../pages/home-page';
import { ProductPage } from '../pages/product-page';
import { renderOnce } from '../pages/render-memo';
import { ShopPage } from '../pages/shop-page';
import { loadHome, loadProductPage, loadShop } from './queries';

/** Browsers keep a catalog page a minute, shared caches five: prices and stock may be that stale on a page, never in a cart. */
export const CATALOG_CACHE_CONTROL = 'public, max-age=60, s-maxage=300';

/** A catalog page: cacheable headers and the HTML (re-rendered only when its data changed). */
async function catalogPage(c: Context, data: unknown, render: () => unknown) {
  c.header('cache-control', CATALOG_CACHE_CONTROL);
  const url = new URL(c.req.url);
  // Pages render synchronously (no async components), so String() of the element is the whole page.
  return c.html(await renderOnce(url.pathname + url.search, data, () => String(render())));
}

export const catalogRoutes = new Hono<{ Bindings: Env }>()
  .get('/', async (c) => {
    const home = await loadHome(getDb(c.env));
    const { storeName } = storeConfig(c.env);
    return catalogPage(c, [storeName, home], () => (
      <HomePage storeName={storeName} featured={home.featured} stores={home.stores} />
    ));
  })
  .get('/products/:storeSlug/:productSlug', async (c) => {
    const found = await loadProductPage(getDb(c.env), c.req.param('storeSlug'), c.req.param('productSlug'));
    if (!found) throw new NotFoundError('That product is not in the shop (any more).');
    const { storeName, currency } = storeConfig(c.env);
    const added = c.req.query('added') !== undefined;
    return catalogPage(c, [storeName, currency, added, found], () => (
      <ProductPage
        storeName={storeName}
        currency={currency}
        product={found.product}
        store={found.store}
        more={found.more}
        added={added}
      />
    ));
  })
  .get('/shops/:slug', async (c) => {
    const shop = await loadShop(getDb(c.env), c.req.param('slug'));
    if (!shop) throw new NotFoundError('There is no shop at this address.');
    const { storeName, currency } = storeConfig(c.env);
    return catalogPage(c, [storeName, currency, shop], () => (
      <ShopPage storeName={storeName} currency={currency} store={shop.store} products={shop.products} />
    ));
  });
