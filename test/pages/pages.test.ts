// The server-rendered catalog pages: status, content type, cache headers and what a shopper reads.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { productPath, shopPath } from '../../src/catalog/urls';
import { createProduct, createStore, seedDemoCatalog } from '../helpers/catalog';

const ORIGIN = 'http://localhost';
const CATALOG_CACHE = 'public, max-age=60, s-maxage=300';

beforeAll(async () => {
  await seedDemoCatalog();
});

async function page(path: string) {
  const res = await SELF.fetch(`${ORIGIN}${path}`, { headers: { accept: 'text/html' } });
  return { res, html: await res.text() };
}

function expectCatalogPage(res: Response) {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/html');
  expect(res.headers.get('cache-control')).toBe(CATALOG_CACHE);
  // Shared caches may keep it: nothing personal, no cookie.
  expect(res.headers.getSetCookie()).toEqual([]);
  expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
}

describe('home page', () => {
  it('shows featured products across vendors and the makers', async () => {
    const { res, html } = await page('/');
    expectCatalogPage(res);
    expect(html.startsWith('<!DOCTYPE html><html lang="en">')).toBe(true);
    expect(html).toContain('<title>Harbor Market</title>');
    for (const name of [
      'Speckled Stoneware Mug',
      'Linen Market Tote',
      'Dot-Grid Notebook, A5',
      'Harbor Blend',
    ])
      expect(html).toContain(name);
    for (const maker of [
      'Tidewater Ceramics',
      'Northwind Coffee Roasters',
      'Fern &amp; Thread',
      'Lantern Paper Co.',
    ])
      expect(html).toContain(maker);
    expect(html).toContain(`href="${productPath('tidewater-ceramics', 'speckled-stoneware-mug')}"`);
    expect(html).toContain('/static/img/prod_demo_stoneware_mug.svg');
    // The badge is empty in a cacheable page: app.js fills it from the visitor's own cart.
    expect(html).toMatch(/data-cart-count[^>]*hidden=""[^>]*><\/span>/);
  });

  it('leaves out products of a store that cannot sell', async () => {
    const closed = await createStore({ name: 'Closed Kiln', payoutsEnabled: false });
    await createProduct(closed.id, { name: 'Unsellable Urn', featured: true });
    const { html } = await page('/');
    expect(html).not.toContain('Unsellable Urn');
    expect(html).not.toContain('Closed Kiln');
  });
});

describe('product page', () => {
  it('shows the product, its maker, its price and an add-to-cart form', async () => {
    const { res, html } = await page(productPath('tidewater-ceramics', 'ripple-serving-bowl'));
    expectCatalogPage(res);
    expect(html).toContain('<h1>Ripple Serving Bowl</h1>');
    expect(html).toContain('$64.00');
    expect(html).toContain('Only 3 left');
    expect(html).toContain('Tidewater Ceramics');
    expect(html).toMatch(/<form method="post" action="\/cart\/items"[^>]*data-add-form/);
    expect(html).toContain('name="productId" value="prod_demo_ripple_bowl"');
    expect(html).toMatch(/<label for="add-prod_demo_ripple_bowl-qty">Quantity<\/label>/);
    expect(html).toContain('max="3"');
    expect(html).toContain('More from Tidewater Ceramics');
  });

  it('says a sold-out product is sold out, with no form', async () => {
    const { res, html } = await page(productPath('lantern-paper', 'botanical-wall-calendar'));
    expectCatalogPage(res);
    expect(html).toContain('Botanical Wall Calendar is sold out.');
    expect(html).not.toContain('name="productId" value="prod_demo_wall_calendar"');
  });

  it('shows a subscription with its interval, buyable from the cart', async () => {
    const { html } = await page(productPath('northwind-coffee', 'roasters-choice-subscription'));
    expect(html).toContain('$20.00<span class="interval"> / month</span>');
    expect(html).toContain('A subscription: billed every month until you cancel.');
    expect(html).toContain('name="productId" value="prod_demo_roasters_choice"');
  });

  it('404s for an unknown or inactive product, as an HTML page that is not cached', async () => {
    const store = await createStore({ slug: 'page-test-studio' });
    await createProduct(store.id, { slug: 'retired-thing', active: false });
    for (const path of [
      productPath('tidewater-ceramics', 'nope'),
      productPath('page-test-studio', 'retired-thing'),
    ]) {
      const { res, html } = await page(path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(html).toContain('not in the shop');
    }
  });
});

describe('shop page', () => {
  it('lists the shop’s products with its tabs', async () => {
    const { res, html } = await page(shopPath('fern-and-thread'));
    expectCatalogPage(res);
    expect(html).toContain('<h1>Fern &amp; Thread</h1>');
    for (const name of [
      'Linen Market Tote',
      'Hand-Dyed Indigo Scarf',
      'Waffle Cotton Throw',
      'Embroidered Napkins',
    ])
      expect(html).toContain(name);
    expect(html).not.toContain('Speckled Stoneware Mug');
    expect(html).toContain('href="/shops/fern-and-thread/about"');
    expect(html).toContain('aria-current="page"');
  });

  it('Home shows featured products first and a word about the maker; Products shows the whole range', async () => {
    const store = await createStore({
      slug: 'big-range',
      name: 'Big Range',
      about: 'We make a great many things.',
    });
    await createProduct(store.id, { name: 'Star Piece', featured: true });
    for (let i = 0; i < 9; i++) await createProduct(store.id, { name: `Plain Piece ${i}` });
    const home = await page(shopPath('big-range'));
    expectCatalogPage(home.res);
    expect(home.html).toContain('<h2>Featured</h2>');
    expect(home.html).toContain('Star Piece');
    expect(home.html).toContain('See all 10 products');
    expect(home.html).toContain('We make a great many things.');
    expect(new Set(home.html.match(/Plain Piece \d/g)).size).toBe(7);
    const all = await page(`${shopPath('big-range')}/products`);
    expectCatalogPage(all.res);
    expect(new Set(all.html.match(/Plain Piece \d/g)).size).toBe(9);
    expect(all.html).toMatch(/href="\/shops\/big-range\/products" aria-current="page"/);
  });

  it('a shop that cannot sell is shown with a notice and no add buttons', async () => {
    const store = await createStore({ slug: 'sleepy-studio', name: 'Sleepy Studio', chargesEnabled: false });
    await createProduct(store.id, { name: 'Dormant Dish' });
    const { res, html } = await page(shopPath('sleepy-studio'));
    expectCatalogPage(res);
    expect(html).toContain('Sleepy Studio is opening soon');
    expect(html).toContain('Dormant Dish');
    expect(html).not.toContain('data-add-form');
  });

  it('404s for an unknown shop', async () => {
    const { res } = await page(shopPath('no-such-shop'));
    expect(res.status).toBe(404);
  });
});

describe('static assets', () => {
  it('serves the stylesheet, the script and the product images', async () => {
    for (const [path, type] of [
      ['/static/app.css', 'text/css'],
      ['/static/app.js', 'javascript'],
      ['/static/img/prod_demo_stoneware_mug.svg', 'image/svg+xml'],
    ] as const) {
      // In production the assets router answers these before the Worker runs; here, its binding does.
      const res = await env.ASSETS.fetch(`${ORIGIN}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
      await res.arrayBuffer();
    }
  });
});
