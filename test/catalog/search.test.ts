// FTS5 product search: ranked, prefix, accents ignored, vendor and category searchable, kept in step with
// every catalog write by the migration's triggers, and no input read as FTS syntax.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { setProductCategory } from '../../src/catalog/categories';
import { matchExpression, searchProducts } from '../../src/catalog/search';
import { getDb } from '../../src/db/client';
import { newId } from '../../src/lib/ids';
import { createProduct, createStore, updateProduct, updateStore } from '../helpers/catalog';

const db = () => getDb(env);

/** A word no other test uses, so results are only this test's products. */
const word = () =>
  `zq${crypto
    .randomUUID()
    .replace(/[^a-z]/g, '')
    .slice(0, 8)}`;

async function ids(query: string, filters = {}) {
  return (await searchProducts(db(), query, filters)).map((r) => r.product.id);
}

describe('searchProducts', () => {
  it('matches prefixes, ignores accents and case, ranks a name match above a description match', async () => {
    const w = word();
    const store = await createStore();
    const inDescription = await createProduct(store.id, {
      name: 'Plain thing',
      description: `A ${w} inside.`,
    });
    const inName = await createProduct(store.id, { name: `Café ${w} Crème` });
    expect(await ids(w)).toEqual([inName.id, inDescription.id]);
    expect(await ids(w.slice(0, 5))).toEqual([inName.id, inDescription.id]);
    expect(await ids(`CAFE ${w}`)).toEqual([inName.id]);
    expect(await ids(`creme ${w.toUpperCase()}`)).toEqual([inName.id]);
  });

  it('finds products by their vendor and their category, and filters', async () => {
    const w = word();
    const store = await createStore({ name: `Atelier ${w}` });
    const a = await createProduct(store.id, { name: 'Teapot', unitAmount: 5000 });
    const b = await createProduct(store.id, { name: 'Tea towel', unitAmount: 1500, stock: 0 });
    expect((await ids(w)).sort()).toEqual([a.id, b.id].sort());
    await setProductCategory(db(), a.id, 'ceramics');
    expect(await ids(`${w} ceramics`)).toEqual([a.id]);
    expect(await ids(w, { category: 'ceramics' })).toEqual([a.id]);
    expect(await ids(w, { maxPrice: 2000 })).toEqual([b.id]);
    expect(await ids(w, { inStock: true })).toEqual([a.id]);
    expect(await ids(w, { store: 'another-store' })).toEqual([]);
  });

  it('follows every write: product rename, hide, store rename, category change, delete', async () => {
    const w = word();
    const w2 = word();
    const store = await createStore();
    const p = await createProduct(store.id, { name: `Old ${w}` });
    expect(await ids(w)).toEqual([p.id]);
    await updateProduct(p.id, { name: `New ${w2}` });
    expect(await ids(w)).toEqual([]);
    expect(await ids(w2)).toEqual([p.id]);
    await updateProduct(p.id, { active: false });
    expect(await ids(w2)).toEqual([]);
    await updateProduct(p.id, { active: true });
    const w3 = word();
    await updateStore(store.id, { name: `Renamed ${w3}` });
    expect(await ids(w3)).toEqual([p.id]);
    await setProductCategory(db(), p.id, 'jewellery');
    expect(await ids(`${w2} jewellery`)).toEqual([p.id]);
    await setProductCategory(db(), p.id, 'kitchen');
    expect(await ids(`${w2} jewellery`)).toEqual([]);
    expect(await ids(`${w2} kitchen`)).toEqual([p.id]);
    await setProductCategory(db(), p.id, null);
    expect(await ids(`${w2} kitchen`)).toEqual([]);
    await env.DB.prepare('DELETE FROM products WHERE id = ?').bind(p.id).run();
    const { results } = await env.DB.prepare(
      'SELECT count(*) AS n FROM product_search WHERE product_search MATCH ?',
    )
      .bind(`"${w2}"*`)
      .all<{ n: number }>();
    expect(results[0]!.n).toBe(0);
  });

  it('never reads input as FTS syntax', async () => {
    expect(matchExpression('"mug" OR NEAR(a b) * -x ^y')).toBe('"mug"* "OR"* "NEAR"* "a"* "b"* "x"* "y"*');
    expect(matchExpression('  ;-)  ')).toBeNull();
    for (const q of ['"', 'a"b', '*', 'NOT', 'col:val', '(((', "'; DROP TABLE products; --"])
      await expect(searchProducts(db(), q), q).resolves.toBeInstanceOf(Array);
  });
});

describe('GET /api/v1/search and /search', () => {
  it('answers JSON, and 422 for an empty query', async () => {
    const w = word();
    const store = await createStore();
    const p = await createProduct(store.id, { name: `Lamp ${w}`, id: newId('prod_test') });
    const res = await SELF.fetch(`http://localhost/api/v1/search?q=${w}`, {
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ query: w, data: [{ id: p.id, name: `Lamp ${w}` }] });
    const empty = await SELF.fetch('http://localhost/api/v1/search?q=%20', {
      headers: { accept: 'application/json' },
    });
    expect(empty.status).toBe(422);
  });
});
