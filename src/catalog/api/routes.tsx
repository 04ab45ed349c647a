// The headless catalog API (/api/v1/...), its OpenAPI document (/api/openapi.json) and reference page
// (/api/docs). Thin: validation from the operation's schemas, a query, the JSON shapes of present.ts.
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { readDb } from '../../db/replica';
import { storeConfig } from '../../lib/config';
import { AppError, NotFoundError, problemResponse, ValidationError } from '../../lib/errors';
import { validate } from '../../lib/input';
import { renderPage } from '../../pages/document';
import { listCategoryCounts, type CatalogItem } from '../categories';
import { decodeListingCursor, getListedProduct, listListedStores, listProducts } from '../listing';
import { getStoreBySlug } from '../queries';
import { searchProducts } from '../search';
import { cachedJson } from './http-cache';
import { productJson, storeJson } from './present';
import { ApiReferencePage } from './reference-page';
import { productListQuery, productParams, searchQuery, storeParams } from './schemas';
import { API_OPERATIONS, openApiDocument } from './spec';

const DEFAULT_LIMIT = 24;

/** Catalog items as the API's `Product`s. */
function productsJson(env: Env, rows: CatalogItem[]) {
  const { currency } = storeConfig(env);
  return rows.map((r) => productJson(env, currency, r, r.category));
}

/** The request's path and query string: what an answer depends on besides D1 and the config. */
function keyOf(url: string): string {
  const u = new URL(url);
  return `${u.pathname}?${u.searchParams.toString()}`;
}

export const catalogApiRoutes = new Hono<{ Bindings: Env }>();

// Public catalog data and no cookies needed: any front end may read it.
catalogApiRoutes.use(
  '/api/*',
  cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'], exposeHeaders: ['ETag'] }),
);
// Always problem+json here, whatever the Accept header says: an API client reads the error.
catalogApiRoutes.onError((err, c) => {
  if (err instanceof AppError) return problemResponse(err, c.req.path);
  throw err;
});

catalogApiRoutes
  .get('/api/openapi.json', (c) => {
    c.header('cache-control', 'public, max-age=300');
    return c.json(openApiDocument());
  })
  .get('/api/docs', (c) => {
    c.header('cache-control', 'public, max-age=300');
    return renderPage(
      c,
      <ApiReferencePage storeName={storeConfig(c.env).storeName} document={openApiDocument()} />,
    );
  })
  .get(API_OPERATIONS[0].path, validate('query', productListQuery), (c) => {
    const q = c.req.valid('query');
    const sort = q.sort ?? 'featured';
    const after = q.cursor ? decodeListingCursor(sort, q.cursor) : null;
    if (q.cursor && !after)
      throw new ValidationError('cursor: not a cursor of this listing (or of another sort).', {
        errors: [{ path: 'cursor', message: 'Not a cursor of this listing (or of another sort).' }],
      });
    return cachedJson(c, keyOf(c.req.url), async () => {
      const page = await listProducts(await readDb(c), {
        store: q.store,
        category: q.category,
        minPrice: q.min_price,
        maxPrice: q.max_price,
        inStock: q.in_stock,
        sort,
        limit: q.limit ?? DEFAULT_LIMIT,
        after,
      });
      return { data: productsJson(c.env, page.items), nextCursor: page.nextCursor };
    });
  })
  .get(API_OPERATIONS[1].path, validate('param', productParams), (c) => {
    const { id } = c.req.valid('param');
    return cachedJson(c, keyOf(c.req.url), async () => {
      const found = await getListedProduct(await readDb(c), id);
      if (!found) throw new NotFoundError('There is no such product (or it is no longer sold).');
      return productsJson(c.env, [found])[0];
    });
  })
  .get(API_OPERATIONS[2].path, (c) =>
    cachedJson(c, keyOf(c.req.url), async () => ({
      data: (await listListedStores(await readDb(c))).map((s) => storeJson(c.env, s)),
    })),
  )
  .get(API_OPERATIONS[3].path, validate('param', storeParams), (c) => {
    const { slug } = c.req.valid('param');
    return cachedJson(c, keyOf(c.req.url), async () => {
      const db = await readDb(c);
      const store = await getStoreBySlug(db, slug);
      if (!store) throw new NotFoundError('There is no store at this address.');
      return { ...storeJson(c.env, store), categories: await listCategoryCounts(db, { storeSlug: slug }) };
    });
  })
  .get(API_OPERATIONS[4].path, (c) =>
    cachedJson(c, keyOf(c.req.url), async () => ({ data: await listCategoryCounts(await readDb(c)) })),
  )
  .get(API_OPERATIONS[5].path, validate('query', searchQuery), (c) => {
    const q = c.req.valid('query');
    return cachedJson(c, keyOf(c.req.url), async () => {
      const rows = await searchProducts(
        await readDb(c),
        q.q,
        {
          store: q.store,
          category: q.category,
          minPrice: q.min_price,
          maxPrice: q.max_price,
          inStock: q.in_stock,
        },
        q.limit ?? DEFAULT_LIMIT,
      );
      return { query: q.q, data: productsJson(c.env, rows) };
    });
  });
