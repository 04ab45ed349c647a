// The headless catalog API through SELF.fetch: every /api/v1 route is in the OpenAPI document and answers
// what the document says; filters, sorts and cursor pagination; strong ETags and 304; invalidation by a
// catalog write; problem+json for bad input and unknown ids.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { app } from '../../src/app';
import { setProductCategory } from '../../src/catalog/categories';
import { getDb } from '../../src/db/client';
import { updateProduct as vendorUpdateProduct } from '../../src/vendors/products';
import { createCatalog, createProduct, createStore, seedDemoCatalog } from '../helpers/catalog';

const ORIGIN = 'http://localhost';

function get(path: string, headers: Record<string, string> = {}) {
  return SELF.fetch(`${ORIGIN}${path}`, { headers: { accept: 'application/json', ...headers } });
}

type Json = Record<string, unknown>;
let doc: { paths: Record<string, { get: Json }>; components: { schemas: Record<string, Json> } };

/** The document's JSON Schema for a path's answer with `status`, as a zod schema (refs resolved in $defs). */
function responseSchema(path: string, status: string, type = 'application/json'): z.ZodType {
  const responses = doc.paths[path]!.get.responses as Record<
    string,
    { content: Record<string, { schema: Json }> }
  >;
  const schema = responses[status]!.content[type]!.schema;
  const rewrite = (value: unknown): unknown =>
    JSON.parse(JSON.stringify(value).replaceAll('#/components/schemas/', '#/$defs/'));
  return z.fromJSONSchema({
    ...(rewrite(schema) as Json),
    $defs: rewrite(doc.components.schemas) as Json,
  } as Parameters<typeof z.fromJSONSchema>[0]);
}

beforeAll(async () => {
  await seedDemoCatalog();
  const res = await get('/api/openapi.json');
  expect(res.status).toBe(200);
  doc = await res.json();
});

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 and lists exactly the /api/v1 routes the app serves', () => {
    expect((doc as unknown as Json).openapi).toBe('3.1.0');
    const served = new Set(
      app.routes
        .filter((r) => r.path.startsWith('/api/v1/') && r.method === 'GET')
        .map((r) => r.path.replace(/:([A-Za-z_]+)/g, '{$1}')),
    );
    expect(served.size).toBeGreaterThanOrEqual(6);
    expect(new Set(Object.keys(doc.paths))).toEqual(served);
  });

  it('describes every answer: each route answers 200 with a body its schema accepts, errors as Problem', async () => {
    const samples: Record<string, string[]> = {
      '/api/v1/products': ['/api/v1/products', '/api/v1/products?sort=price_asc&limit=3&in_stock=true'],
      '/api/v1/products/{id}': ['/api/v1/products/prod_demo_stoneware_mug'],
      '/api/v1/stores': ['/api/v1/stores'],
      '/api/v1/stores/{slug}': ['/api/v1/stores/tidewater-ceramics'],
      '/api/v1/categories': ['/api/v1/categories'],
      '/api/v1/search': ['/api/v1/search?q=mug', '/api/v1/search?q=linen&category=textiles'],
    };
    expect(Object.keys(samples).sort()).toEqual(Object.keys(doc.paths).sort());
    for (const [path, urls] of Object.entries(samples)) {
      const schema = responseSchema(path, '200');
      // The schema really constrains: an empty object is not an answer.
      expect(schema.safeParse({}).success, path).toBe(false);
      for (const url of urls) {
        const res = await get(url);
        expect(res.status, url).toBe(200);
        expect(res.headers.get('content-type'), url).toMatch(/^application\/json/);
        const parsed = schema.safeParse(await res.json());
        expect(parsed.success ? [] : parsed.error.issues, url).toEqual([]);
      }
    }
    const problem = responseSchema('/api/v1/products/{id}', '404', 'application/problem+json');
    const missing = await get('/api/v1/products/prod_nope');
    expect(missing.status).toBe(404);
    expect(problem.safeParse(await missing.json()).success).toBe(true);
  });

  it('has a readable reference page naming every operation', async () => {
    const res = await SELF.fetch(`${ORIGIN}/api/docs`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const path of Object.keys(doc.paths)) expect(html).toContain(`GET ${path}`);
    expect(html).toContain('/api/openapi.json');
  });
});

describe('GET /api/v1/products', () => {
  it('filters by store, price range and stock, and sorts', async () => {
    const { store, products } = await createCatalog(4); // 10, 20, 30, 40 (the last: 3 in stock)
    await createProduct(store.id, { name: 'Gone', unitAmount: 500, stock: 0 });
    await createProduct(store.id, { name: 'Hidden', unitAmount: 600, active: false });
    const list = async (query: string) => {
      const res = await get(`/api/v1/products?store=${store.slug}&${query}`);
      expect(res.status, query).toBe(200);
      return (await res.json<{ data: { id: string; price: { amount: number }; name: string }[] }>()).data;
    };
    expect((await list('sort=price_asc')).map((p) => p.price.amount)).toEqual([500, 1000, 2000, 3000, 4000]);
    expect((await list('sort=price_desc&in_stock=true')).map((p) => p.price.amount)).toEqual([
      4000, 3000, 2000, 1000,
    ]);
    expect((await list('min_price=1000&max_price=3000&sort=price_asc')).map((p) => p.id)).toEqual(
      products.slice(0, 3).map((p) => p.id),
    );
    expect((await list('sort=name')).map((p) => p.name)).toEqual(
      ['Gone', ...products.map((p) => p.name)].sort(),
    );
  });

  it('filters by category', async () => {
    const { store, products } = await createCatalog(3);
    await setProductCategory(getDb(env), products[1]!.id, 'jewellery');
    const res = await get(`/api/v1/products?store=${store.slug}&category=jewellery`);
    const body = await res.json<{ data: { id: string; category: { slug: string } | null }[] }>();
    expect(body.data.map((p) => p.id)).toEqual([products[1]!.id]);
    expect(body.data[0]!.category).toEqual({ slug: 'jewellery', name: 'Jewellery' });
  });

  it('pages through every product exactly once with the cursor, in each sort', async () => {
    const store = await createStore();
    const ids: string[] = [];
    for (let i = 0; i < 11; i++)
      ids.push(
        (
          await createProduct(store.id, {
            unitAmount: 1000 + (i % 3) * 100,
            featured: i % 4 === 0,
            createdAt: 1000 + (i % 5),
          })
        ).id,
      );
    for (const sort of ['featured', 'newest', 'price_asc', 'price_desc', 'name']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await get(
          `/api/v1/products?store=${store.slug}&sort=${sort}&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.status, sort).toBe(200);
        const body = await res.json<{ data: { id: string }[]; nextCursor: string | null }>();
        seen.push(...body.data.map((p) => p.id));
        cursor = body.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages, sort).toBe(3);
      expect([...seen].sort(), sort).toEqual([...ids].sort());
    }
  });

  it('answers 422 problem+json naming each bad parameter, and for a cursor of another sort', async () => {
    const res = await get('/api/v1/products?limit=0&sort=cheapest&min_price=-1', { accept: 'text/html' });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = await res.json<{ errors: { path: string }[] }>();
    expect(body.errors.map((e) => e.path).sort()).toEqual(['limit', 'min_price', 'sort']);

    const first = await (await get('/api/v1/products?limit=1&sort=name')).json<{ nextCursor: string }>();
    const wrong = await get(`/api/v1/products?limit=1&sort=newest&cursor=${first.nextCursor}`);
    expect(wrong.status).toBe(422);
    expect((await get('/api/v1/products?cursor=not-a-cursor')).status).toBe(422);
  });
});

describe('single items', () => {
  it('a product, a store with its categories; 404 for unknown or hidden ones', async () => {
    const { store, products } = await createCatalog(2);
    await setProductCategory(getDb(env), products[0]!.id, 'ceramics');
    const product = await (await get(`/api/v1/products/${products[0]!.id}`)).json<Json>();
    expect(product).toMatchObject({
      id: products[0]!.id,
      price: { amount: 1000, currency: 'usd' },
      available: true,
      store: { slug: store.slug },
    });
    expect(product.url).toMatch(new RegExp(`/products/${store.slug}/`));
    const detail = await (await get(`/api/v1/stores/${store.slug}`)).json<Json>();
    expect(detail).toMatchObject({ slug: store.slug, canSell: true });
    expect(detail.categories).toEqual([{ slug: 'ceramics', name: 'Ceramics', productCount: 1 }]);

    const hidden = await createProduct(store.id, { active: false });
    expect((await get(`/api/v1/products/${hidden.id}`)).status).toBe(404);
    expect((await get('/api/v1/stores/no-such-store')).status).toBe(404);
    expect((await get('/api/v1/stores/Not_A_Slug')).status).toBe(422);
  });

  it('lists categories with counts and stores', async () => {
    const categories = await (
      await get('/api/v1/categories')
    ).json<{
      data: { slug: string; productCount: number }[];
    }>();
    expect(categories.data.find((c) => c.slug === 'paper-stationery')?.productCount).toBeGreaterThanOrEqual(
      4,
    );
    const stores = await (await get('/api/v1/stores')).json<{ data: { slug: string }[] }>();
    expect(stores.data.map((s) => s.slug)).toContain('tidewater-ceramics');
  });
});

describe('HTTP caching', () => {
  it('strong ETag, 304 on If-None-Match, an edge-cacheable Cache-Control and CORS for any origin', async () => {
    const { products } = await createCatalog(1);
    const path = `/api/v1/products/${products[0]!.id}`;
    const first = await get(path, { origin: 'https://app.example' });
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(first.headers.get('cache-control')).toMatch(/public.*s-maxage=\d+/);
    expect(first.headers.get('access-control-allow-origin')).toBe('*');
    const again = await get(path, { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');
    expect((await get(path, { 'if-none-match': '"other"' })).status).toBe(200);
  });

  it('a catalog write changes the answer and its ETag at once', async () => {
    const { store, products } = await createCatalog(1);
    const path = `/api/v1/products/${products[0]!.id}`;
    const before = await get(path);
    const etag = before.headers.get('etag')!;
    await vendorUpdateProduct(getDb(env), store.id, products[0]!.id, {
      name: 'Renamed By Vendor',
      description: '',
      unitAmount: 1234,
      image: null,
      stock: null,
      featured: false,
    });
    const after = await get(path, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(await after.json()).toMatchObject({ name: 'Renamed By Vendor', price: { amount: 1234 } });
  });
});
