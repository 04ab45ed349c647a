// The catalog's page cache under load and against look-alike cookies (issue 8, defect 3): concurrent
// requests to a cold page all answer 200 (no request awaits another request's D1 I/O), and only a
// verified vendor session bypasses the cache, not a cookie that merely has the vendor or admin name.
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { cachedPage, invalidateCatalogPages } from '../../src/catalog/page-cache';
import { productPath } from '../../src/catalog/urls';
import { createCatalog, updateProduct } from '../helpers/catalog';
import { vendorCookie } from '../helpers/vendor-fixtures';

const ORIGIN = 'http://localhost';

function get(path: string, cookie?: string) {
  return SELF.fetch(`${ORIGIN}${path}`, {
    headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) },
  });
}

describe('catalog page cache', () => {
  it('answers 200 to many concurrent requests for a page nobody has built yet', async () => {
    const { store, products } = await createCatalog(2);
    const paths = [productPath(store.slug, products[0]!.slug), `/shops/${store.slug}`, '/'];
    for (const path of paths) {
      const answers = await Promise.all(Array.from({ length: 16 }, () => get(path)));
      const statuses = await Promise.all(
        answers.map(async (res) => {
          await res.text();
          return res.status;
        }),
      );
      expect(statuses, path).toEqual(statuses.map(() => 200));
    }
  });

  it('never hands a build in progress to another caller: each concurrent miss builds, finished pages are shared', async () => {
    invalidateCatalogPages();
    const key = `test\n${crypto.randomUUID()}`;
    let release!: (html: string) => void;
    const first = cachedPage(key, () => new Promise<string>((resolve) => (release = resolve)));
    let secondBuilt = false;
    const second = await cachedPage(key, async () => {
      secondBuilt = true;
      return 'second';
    });
    // The first build holds its own request's I/O: the second request must not wait on it.
    expect(secondBuilt).toBe(true);
    expect(second).toBe('second');
    release('first');
    expect(await first).toBe('first');
    // Finished pages are shared: the last one to finish is served until it expires.
    expect(await cachedPage(key, () => Promise.reject(new Error('not rebuilt')))).toBe('first');
  });

  it('serves the cached page to an unsigned cookie named like a session; a signed vendor session sees the change', async () => {
    const { store, products } = await createCatalog(1);
    const product = products[0]!;
    const path = productPath(store.slug, product.slug);
    expect(await (await get(path)).text()).toContain(product.name);

    // Changed behind the cache's back (no invalidation): only a fresh build shows the new name.
    await updateProduct(product.id, { name: 'Renamed Behind The Cache' });
    for (const cookie of [
      'vendor=x',
      'admin=operator.9999999999',
      `vendor=${encodeURIComponent(`${store.id}.9999999999.AAAA`)}`,
    ]) {
      const html = await (await get(path, cookie)).text();
      expect(html, cookie).toContain(product.name);
      expect(html, cookie).not.toContain('Renamed Behind The Cache');
    }

    const signedIn = await (await get(path, await vendorCookie(store.id))).text();
    expect(signedIn).toContain('Renamed Behind The Cache');
  });

  it("shows a product's new price, stock and name on its card at once, though cards are reused between builds", async () => {
    const { store, products } = await createCatalog(2);
    const [changed, same] = [products[0]!, products[1]!];
    const cookie = await vendorCookie(store.id);
    const cardOf = (html: string, href: string) =>
      html.match(
        new RegExp(`<li class="card product-card"><a class="card-link" href="${href}">.*?</li>`),
      )?.[0];
    const shop = `/shops/${store.slug}`;
    const before = await (await get(shop, cookie)).text();
    expect(cardOf(before, productPath(store.slug, changed.slug))).toContain('$10.00');

    await updateProduct(changed.id, {
      unitAmount: 1234,
      stock: 2,
      name: 'Changed Card',
      image: 'https://images.example/changed.jpg',
    });
    const after = await (await get(shop, cookie)).text();
    const card = cardOf(after, productPath(store.slug, changed.slug));
    expect(card).toContain('$12.34');
    expect(card).toContain('Only 2 left');
    expect(card).toContain('Changed Card');
    expect(card).toContain('src="https://images.example/changed.jpg"');
    expect(card).not.toContain('$10.00');
    // The product that did not change shows the same card as before.
    const sameHref = productPath(store.slug, same.slug);
    expect(cardOf(after, sameHref)).toBeDefined();
    expect(cardOf(after, sameHref)).toBe(cardOf(before, sameHref));
  });
});
