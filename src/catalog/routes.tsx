// Home, product and shop pages. They hold nothing personal (the cart badge is filled by the page's
// script), so an edge cache may keep them for a few minutes, and this isolate for a few seconds.
import { raw, type JSX } from '../lib/jsx/jsx-runtime';
import { Hono, type Context } from 'hono';
import { readDb } from '../db/replica';
import { storeConfig } from '../lib/config';
import { NotFoundError } from '../lib/errors';
import { renderPage } from '../pages/document';
import { HomePage } from './home-page';
import { ProductPage } from './product-page';
import { ShopPage } from './shop-page';
import { cachedPage, needsFreshCatalog } from './page-cache';
import { loadHome, loadProductPage, loadShop } from './queries';
import { storeCanSell } from './availability';
import { CategoryFilter, SearchPage } from './browse-components';
import { listCategoryCounts, productIdsInCategory } from './categories';
import { listListedStores, listProducts } from './listing';
import { matchExpression, MAX_QUERY_LENGTH, searchProducts } from './search';
import { shopPath } from './urls';
import { minorDigits } from '../lib/money';

/** A category (or store) slug from the query string, or null when absent or not slug-shaped. */
function slugParam(value: string | undefined): string | null {
  return value && /^[a-z0-9][a-z0-9-]{0,79}$/.test(value) ? value : null;
}

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
function html(page: JSX.Element): string {
  return page.html;
}

export const catalogRoutes = new Hono<{ Bindings: Env }>()
  .get('/', (c) => {
    const { storeName } = storeConfig(c.env);
    const category = slugParam(c.req.query('category'));
    return catalogPage(c, `home\n${storeName}\n${category}`, async () => {
      const db = await readDb(c);
      const [home, inCategory] = await Promise.all([
        loadHome(db),
        category ? listProducts(db, { category, sort: 'featured', limit: 24 }) : null,
      ]);
      const { categories } = home;
      const featured = inCategory ? inCategory.items.filter((r) => storeCanSell(r.store)) : home.featured;
      return html(
        <HomePage
          storeName={storeName}
          featured={featured}
          stores={home.stores}
          filter={<CategoryFilter base="/" categories={categories} current={category} />}
          categoryName={categories.find((x) => x.slug === category)?.name ?? null}
        />,
      );
    });
  })
  .get('/search', async (c) => {
    const { storeName, currency } = storeConfig(c.env);
    const q = (c.req.query('q') ?? '').slice(0, MAX_QUERY_LENGTH);
    const form = {
      q,
      category: slugParam(c.req.query('category')) ?? '',
      store: slugParam(c.req.query('store')) ?? '',
      min: (c.req.query('min') ?? '').replace(/[^\d]/g, '').slice(0, 7),
      max: (c.req.query('max') ?? '').replace(/[^\d]/g, '').slice(0, 7),
      inStock: c.req.query('in_stock') === 'true',
    };
    const unit = 10 ** minorDigits(currency);
    const key = `search\n${storeName}\n${JSON.stringify(form)}`;
    return catalogPage(c, key, async () => {
      const db = await readDb(c);
      const [categories, stores, results] = await Promise.all([
        listCategoryCounts(db),
        listListedStores(db),
        q.trim()
          ? searchProducts(db, q, {
              category: form.category || undefined,
              store: form.store || undefined,
              minPrice: form.min ? Number(form.min) * unit : undefined,
              maxPrice: form.max ? Number(form.max) * unit : undefined,
              inStock: form.inStock,
            })
          : [],
      ]);
      return html(
        <SearchPage
          storeName={storeName}
          currency={currency}
          form={form}
          categories={categories}
          stores={stores}
          results={results}
          error={q && !matchExpression(q) ? 'Type a word or two to search for.' : undefined}
        />,
      );
    });
  })
  .get('/products/:storeSlug/:productSlug', (c) => {
    const storeSlug = c.req.param('storeSlug');
    const productSlug = c.req.param('productSlug');
    const { storeName, currency } = storeConfig(c.env);
    const added = c.req.query('added') !== undefined;
    const key = `product\n${storeName}\n${currency}\n${added}\n${storeSlug}\n${productSlug}`;
    return catalogPage(c, key, async () => {
      const found = await loadProductPage(await readDb(c), storeSlug, productSlug);
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
  const category = view === 'products' ? slugParam(c.req.query('category')) : null;
  return catalogPage(c, `shop\n${view}\n${storeName}\n${currency}\n${slug}\n${category}`, async () => {
    const db = await readDb(c);
    const [shop, categories, inCategory] = await Promise.all([
      loadShop(db, slug),
      view === 'products' ? listCategoryCounts(db, { storeSlug: slug }) : [],
      category ? productIdsInCategory(db, slug, category) : null,
    ]);
    if (!shop) throw new NotFoundError('There is no shop at this address.');
    return html(
      <ShopPage
        storeName={storeName}
        currency={currency}
        store={shop.store}
        products={inCategory ? shop.products.filter((p) => inCategory.has(p.id)) : shop.products}
        view={view}
        filter={
          view === 'products' ? (
            <CategoryFilter base={`${shopPath(slug)}/products`} categories={categories} current={category} />
          ) : null
        }
      />,
    );
  });
}
