// Categories as shoppers and vendors meet them: a vendor picks one in the dashboard (an unknown one is
// refused), the home page and a shop's Products page filter by it at shareable URLs, and the search page
// (reached from the search box on every page) finds and filters.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { setProductCategory } from '../../src/catalog/categories';
import { getDb } from '../../src/db/client';
import { createProduct, createStore, seedDemoCatalog } from '../helpers/catalog';
import { browse, postForm, postJson, vendorCookie } from '../helpers/vendor-fixtures';

async function categoryOf(productId: string) {
  return (
    (
      await env.DB.prepare('SELECT category_slug AS slug FROM product_categories WHERE product_id = ?')
        .bind(productId)
        .first<{ slug: string }>()
    )?.slug ?? null
  );
}

describe('vendors assign categories', () => {
  it('adds a product with a category, changes it, clears it; the edit form shows the current one', async () => {
    const store = await createStore();
    const cookie = await vendorCookie(store.id);
    const form = await (await browse('/vendor/products/new', cookie)).text();
    expect(form).toContain('<option value="ceramics">Ceramics</option>');

    const added = await postForm(
      '/vendor/products',
      { name: 'Glazed Jug', description: '', price: '30', image: '', stock: '', category: 'ceramics' },
      cookie,
    );
    expect(added.status).toBe(303);
    const { id } = (await env.DB.prepare('SELECT id FROM products WHERE store_id = ?').bind(store.id).first<{
      id: string;
    }>())!;
    expect(await categoryOf(id)).toBe('ceramics');
    expect(await (await browse(`/vendor/products/${id}/edit`, cookie)).text()).toMatch(
      /<option value="ceramics" selected="">Ceramics<\/option>/,
    );

    const fields = { name: 'Glazed Jug', description: '', price: '30', image: '', stock: '' };
    expect(
      (await postForm(`/vendor/products/${id}`, { ...fields, category: 'kitchen' }, cookie)).status,
    ).toBe(303);
    expect(await categoryOf(id)).toBe('kitchen');
    // JSON without a category leaves it as it is.
    const json = await postJson(
      `/vendor/products/${id}`,
      { ...fields, price: '31' },
      { cookie, origin: 'http://localhost' },
    );
    expect(json.status).toBe(200);
    expect(await categoryOf(id)).toBe('kitchen');
    expect((await postForm(`/vendor/products/${id}`, { ...fields, category: '' }, cookie)).status).toBe(303);
    expect(await categoryOf(id)).toBeNull();

    const unknown = await postForm(
      `/vendor/products/${id}`,
      { ...fields, category: 'no-such-category' },
      cookie,
    );
    expect(unknown.status).toBe(422);
    expect(await unknown.text()).toContain('Choose a category from the list.');
    const malformed = await postForm(`/vendor/products/${id}`, { ...fields, category: '<script>' }, cookie);
    expect(malformed.status).toBe(422);
  });

  it("can't set a category on another store's product", async () => {
    const mine = await createStore();
    const theirs = await createStore();
    const product = await createProduct(theirs.id);
    const res = await postForm(
      `/vendor/products/${product.id}`,
      { name: 'Mine now', description: '', price: '1', image: '', stock: '', category: 'ceramics' },
      await vendorCookie(mine.id),
    );
    expect(res.status).toBe(404);
    expect(await categoryOf(product.id)).toBeNull();
  });
});

describe('shoppers browse by category and search', () => {
  it('home ?category= shows that category only, with chips linking to shareable URLs', async () => {
    await seedDemoCatalog();
    const html = await (await browse('/?category=coffee-tea')).text();
    expect(html).toContain('href="/?category=ceramics"');
    expect(html).toMatch(/aria-current="page"[^>]*>\s*Coffee &amp; tea/);
    expect(html).toContain('Harbor Blend');
    expect(html).not.toContain('Speckled Stoneware Mug');
    // The search box is on every page.
    expect(html).toContain('action="/search"');
  });

  it("a shop's Products page filters by its own categories", async () => {
    const store = await createStore();
    const a = await createProduct(store.id, { name: 'Linen Apron' });
    await createProduct(store.id, { name: 'Oak Spoon' });
    await setProductCategory(getDb(env), a.id, 'textiles');
    const all = await (await browse(`/shops/${store.slug}/products`)).text();
    expect(all).toContain('Oak Spoon');
    expect(all).toContain(`href="/shops/${store.slug}/products?category=textiles"`);
    const filtered = await (await browse(`/shops/${store.slug}/products?category=textiles`)).text();
    expect(filtered).toContain('Linen Apron');
    expect(filtered).not.toContain('Oak Spoon');
  });

  it('the search page finds, filters and says when nothing matches', async () => {
    await seedDemoCatalog();
    const found = await (await browse('/search?q=notebook')).text();
    expect(found).toContain('Results for “notebook”');
    expect(found).toContain('Dot-Grid Notebook');
    const none = await (await browse('/search?q=notebook&category=ceramics')).text();
    expect(none).toContain('Nothing matches');
    const blank = await browse('/search?q=%22%22');
    expect(blank.status).toBe(200);
    expect(await blank.text()).toContain('Type a word or two');
  });
});
