// Home, product and shop pages. They hold nothing personal (the cart badge is filled by the page's
// script), so an edge cache may keep them for a few minutes, and this isolate for a few seconds.
import { Hono, type Context } from 'hono';
import { raw } from 'hono/html';
import type { JSX } from 'hono/jsx/jsx-runtime';
import { getDb } from '../db/client';
import { storeConfig } from '../lib/config';
import { NotFoundError } from '../lib/errors';
import { renderPage } from '../pages/document';
import { HomePage } from './home-page';
import { ProductPage } from './product-page';
import { ShopPage } from './shop-page';
import { cachedPage, needsFreshCatalog } from './page-cache';
import { loadHome, loadProductPage, loadShop } from './queries';

/** Browsers keep a catalog page a minute, shared caches five: prices and stock may be that stale on a page, never in a cart. */
const CATALOG_CACHE_CONTROL = 'public, max-age=60, s-maxage=300';

/**
 * A catalog page: cacheable headers and the HTML, read from D1 and rendered at most once every few
 * seconds per isolate (see page-cache.ts). `key` names everything the page depends on besides D1.
 */
async function catalogPage(c: Context<{ Bindings: Env }>, key: string, build: () => Promise<string>) {
  c.header('cache-control', CATALOG_CACHE_CONTROL);
  return renderPage(c, raw(await cachedPage(key, build, await needsFreshCatalog(c))));
}

/** The HTML text of a page, to keep in the cache. */
async function html(page: JSX.Element): Promise<string> {
  return (await page).toString();
}

export const catalogRoutes = new Hono<{ Bindings: Env }>()
  .get('/', (c) => {
    const { storeName } = storeConfig(c.env);
    return catalogPage(c, `home\n${storeName}`, async () => {
      const home = await loadHome(getDb(c.env));
      return html(<HomePage storeName={storeName} featured={home.featured} stores={home.stores} />);
    });
  })
  .get('/products/:storeSlug/:productSlug', (c) => {
    const storeSlug = c.req.param('storeSlug');
    const productSlug = c.req.param('productSlug');
    const { storeName, currency } = storeConfig(c.env);
    const added = c.req.query('added') !== undefined;
    const key = `product\n${storeName}\n${currency}\n${added}\n${storeSlug}\n${productSlug}`;
    return catalogPage(c, key, async () => {
      const found = await loadProductPage(getDb(c.env), storeSlug, productSlug);
      if (!found) throw new NotFoundError('That product is not in the shop (any more).');
      return html(
        <ProductPage
          storeName={storeName}
          currency={currency}
          product={found.product}
          store={found.store}
          more={found.more}
          added={added}
        />,
      );
    });
  })
  .get('/shops/:slug', (c) => shopPage(c, 'home'))
  .get('/shops/:slug/products', (c) => shopPage(c, 'products'));

/** A vendor's shop: Home (featured products, a word about the maker) or Products (everything). */
function shopPage(c: Context<{ Bindings: Env }>, view: 'home' | 'products') {
  const slug = c.req.param('slug') ?? '';
  const { storeName, currency } = storeConfig(c.env);
  return catalogPage(c, `shop\n${view}\n${storeName}\n${currency}\n${slug}`, async () => {
    const shop = await loadShop(getDb(c.env), slug);
    if (!shop) throw new NotFoundError('There is no shop at this address.');
    return html(
      <ShopPage
        storeName={storeName}
        currency={currency}
        store={shop.store}
        products={shop.products}
        view={view}
      />,
    );
  });
}
