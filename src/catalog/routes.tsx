// Home, product and shop pages. They hold nothing personal (the cart badge is filled by the page's
// script), so an edge cache may keep them for a few minutes.
import { Hono, type Context } from 'hono';
import { getDb } from '../db/client';
import { storeConfig } from '../lib/config';
import { NotFoundError } from '../lib/errors';
import { HomePage } from '../pages/home-page';
import { ProductPage } from '../pages/product-page';
import { ShopPage } from '../pages/shop-page';
import { loadHome, loadProductPage, loadShop } from './queries';

/** Browsers keep a catalog page a minute, shared caches five: prices and stock may be that stale on a page, never in a cart. */
export const CATALOG_CACHE_CONTROL = 'public, max-age=60, s-maxage=300';

function cacheable(c: Context) {
  c.header('cache-control', CATALOG_CACHE_CONTROL);
}

export const catalogRoutes = new Hono<{ Bindings: Env }>()
  .get('/', async (c) => {
    const { featured, stores } = await loadHome(getDb(c.env));
    cacheable(c);
    return c.html(<HomePage storeName={storeConfig(c.env).storeName} featured={featured} stores={stores} />);
  })
  .get('/products/:storeSlug/:productSlug', async (c) => {
    const found = await loadProductPage(getDb(c.env), c.req.param('storeSlug'), c.req.param('productSlug'));
    if (!found) throw new NotFoundError('That product is not in the shop (any more).');
    const config = storeConfig(c.env);
    cacheable(c);
    return c.html(
      <ProductPage
        storeName={config.storeName}
        currency={config.currency}
        product={found.product}
        store={found.store}
        more={found.more}
        added={c.req.query('added') !== undefined}
      />,
    );
  })
  .get('/shops/:slug', async (c) => {
    const shop = await loadShop(getDb(c.env), c.req.param('slug'));
    if (!shop) throw new NotFoundError('There is no shop at this address.');
    const config = storeConfig(c.env);
    cacheable(c);
    return c.html(
      <ShopPage
        storeName={config.storeName}
        currency={config.currency}
        store={shop.store}
        products={shop.products}
      />,
    );
  });
