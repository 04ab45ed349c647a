// Catalog reads through D1's Sessions API (issue 13): anonymous shoppers read `first-unconstrained` and
// get no cookie; a vendor's or operator's write leaves a signed bookmark cookie their next catalog page
// starts its session from (read-your-writes); a forged, tampered or oversized bookmark is ignored.
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invalidateCatalogPages } from '../../src/catalog/page-cache';
import { productPath } from '../../src/catalog/urls';
import { adminCookie } from '../helpers/admin-fixtures';
import { createCatalog } from '../helpers/catalog';
import { signedCookie } from '../helpers/cookies';
import { browse, postForm, postJson, vendorCookie } from '../helpers/vendor-fixtures';

const BOOKMARK_SECRET = `${env.COOKIE_SECRET}:d1-bookmark`;

// Every D1 session the Worker opens, by what it started from. The Worker runs in this isolate, so its
// binding shares the prototype patched here.
const proto = Object.getPrototypeOf(env.DB) as D1Database;
const withSession = Object.getOwnPropertyDescriptor(proto, 'withSession')!.value as (
  this: D1Database,
  constraint?: string,
) => D1DatabaseSession;
let opened: string[] = [];
beforeEach(() => {
  opened = [];
  proto.withSession = function (this: D1Database, constraint?: string) {
    opened.push(constraint ?? '(none)');
    return withSession.call(this, constraint);
  };
});
afterEach(() => {
  proto.withSession = withSession;
});

/** The full Set-Cookie line for `name`, or null. */
function setCookieLine(res: Response, name: string): string | null {
  return res.headers.getSetCookie().find((l) => l.startsWith(`${name}=`)) ?? null;
}

/** The bookmark inside a signed `d1_bookmark=<value>.<mac>` pair. */
function bookmarkOf(pair: string): string {
  const value = decodeURIComponent(pair.slice(pair.indexOf('=') + 1));
  return value.slice(0, value.lastIndexOf('.'));
}

describe('catalog reads through D1 sessions', () => {
  it('an anonymous shopper reads first-unconstrained and gets no cookie', async () => {
    const { store, products } = await createCatalog(1);
    for (const path of [
      '/',
      productPath(store.slug, products[0]!.slug),
      `/shops/${store.slug}`,
      '/search?q=item',
      '/api/v1/products',
      `/api/v1/stores/${store.slug}`,
    ]) {
      opened = [];
      invalidateCatalogPages();
      const res = await browse(path);
      expect(res.status, path).toBe(200);
      await res.arrayBuffer();
      expect(res.headers.getSetCookie(), path).toEqual([]);
      expect(opened, path).toEqual(['first-unconstrained']);
    }
  });

  it('a vendor who edits a product gets a bookmark cookie, and their next page starts from it and shows the edit', async () => {
    const { store, products } = await createCatalog(1);
    const product = products[0]!;
    const vendor = await vendorCookie(store.id);
    const path = productPath(store.slug, product.slug);
    expect(await (await browse(path)).text()).toContain(product.name);

    opened = [];
    const edited = await postForm(
      `/vendor/products/${product.id}`,
      { name: 'Freshly Renamed Kettle', description: '', price: '12', image: '', stock: '' },
      vendor,
    );
    expect(edited.status).toBe(303);
    const line = setCookieLine(edited, 'd1_bookmark');
    expect(line).not.toBeNull();
    expect(line).toMatch(/HttpOnly/i);
    expect(line).toMatch(/SameSite=Lax/i);
    expect(line).toMatch(/Max-Age=300/i);
    expect(line).toMatch(/Path=\//);
    // http://localhost: a Secure cookie would never come back; on any other host it is Secure.
    expect(line).not.toMatch(/Secure/i);
    const pair = line!.split(';')[0]!;
    const bookmark = bookmarkOf(pair);
    expect(bookmark).toMatch(/^[0-9a-f]+(-[0-9a-f]+)+$/);
    // The bookmark came from a session that started on the primary, after the write.
    expect(opened).toEqual(['first-primary']);

    opened = [];
    const next = await browse(path, `${vendor}; ${pair}`);
    expect(next.status).toBe(200);
    expect(await next.text()).toContain('Freshly Renamed Kettle');
    expect(opened).toEqual([bookmark]);
    // Reading does not move or renew the cookie (catalog pages stay free of Set-Cookie).
    expect(next.headers.getSetCookie()).toEqual([]);

    // The API honours it too.
    opened = [];
    const api = await browse(`/api/v1/products/${product.id}`, `${vendor}; ${pair}`);
    expect(api.status).toBe(200);
    expect((await api.json<{ name: string }>()).name).toBe('Freshly Renamed Kettle');
    expect(opened).toEqual([bookmark]);
  });

  it('an operator write sets the cookie too; a refused write or a visitor without a session sets none', async () => {
    const { store, products } = await createCatalog(1);
    const vendor = await vendorCookie(store.id);
    const refused = await postForm(`/vendor/products/${products[0]!.id}`, { name: '', price: 'x' }, vendor);
    expect(refused.status).toBe(422);
    expect(setCookieLine(refused, 'd1_bookmark')).toBeNull();

    const anonymous = await postForm('/vendor/products', { name: 'Nope', price: '1.00' });
    expect(anonymous.status).toBeGreaterThanOrEqual(400);
    expect(setCookieLine(anonymous, 'd1_bookmark')).toBeNull();

    // An operator signed in with the admin cookie creates a discount code.
    const created = await postJson(
      '/admin/api/discounts',
      { code: `rr-${crypto.randomUUID().slice(0, 8)}`, percentOff: 10, fundedBy: 'platform' },
      { cookie: await adminCookie(), origin: 'http://localhost' },
    );
    expect(created.status).toBeLessThan(300);
    expect(setCookieLine(created, 'd1_bookmark')).not.toBeNull();
  });

  it('ignores a forged, tampered, oversized or malformed bookmark cookie (no 500, a fresh session)', async () => {
    const { store, products } = await createCatalog(1);
    const path = productPath(store.slug, products[0]!.slug);
    const valid = await signedCookie('d1_bookmark', '00000000-0000000c-00000000-0000abcd', BOOKMARK_SECRET);
    const cookies = [
      'd1_bookmark=00000000-0000000c-00000000-0000abcd', // unsigned
      valid.replace('0000abcd', '0000abce'), // tampered after signing
      await signedCookie('d1_bookmark', '00000000-0000000c-00000000-0000abcd', 'another secret'),
      await signedCookie('d1_bookmark', `${'0'.repeat(8)}-${'f'.repeat(300)}`, BOOKMARK_SECRET), // too long
      await signedCookie('d1_bookmark', "first-primary'; drop table products; --", BOOKMARK_SECRET),
      await signedCookie('d1_bookmark', 'first-primary', BOOKMARK_SECRET), // a constraint, not a bookmark
      `d1_bookmark=${'A'.repeat(3000)}`,
      'd1_bookmark=%E0%A4%A',
    ];
    for (const cookie of cookies) {
      opened = [];
      invalidateCatalogPages();
      const res = await browse(path, cookie);
      expect(res.status, cookie.slice(0, 60)).toBe(200);
      await res.arrayBuffer();
      expect(opened, cookie.slice(0, 60)).toEqual(['first-unconstrained']);
    }
    // The same value, signed with the right key, is used.
    opened = [];
    invalidateCatalogPages();
    const res = await browse(path, valid);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    expect(opened).toEqual(['00000000-0000000c-00000000-0000abcd']);
  });
});
