// Every kind of HTML document the Worker answers starts with the doctype (issue 8, defect 9: the admin
// rendered in quirks mode): storefront, cart, pay, errors, vendor and admin pages.
import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { productPath } from '../../src/catalog/urls';
import { adminCookie, ADMIN_TOKEN } from '../helpers/admin-fixtures';
import { createCatalog } from '../helpers/catalog';
import { vendorCookie } from '../helpers/vendor-fixtures';

const ORIGIN = 'http://localhost';
let pages: { path: string; status: number; headers?: Record<string, string> }[] = [];

beforeAll(async () => {
  const { store, products } = await createCatalog(1);
  const admin = await adminCookie();
  pages = [
    { path: '/', status: 200 },
    { path: productPath(store.slug, products[0]!.slug), status: 200 },
    { path: `/shops/${store.slug}`, status: 200 },
    { path: `/shops/${store.slug}/about`, status: 200 },
    { path: `/shops/${store.slug}/contact`, status: 200 },
    { path: '/cart', status: 200 },
    { path: '/pay', status: 200 },
    { path: '/no/such/page', status: 404 },
    { path: '/sell', status: 200 },
    { path: '/vendor/login', status: 200 },
    { path: '/vendor', status: 200, headers: { cookie: await vendorCookie(store.id) } },
    { path: '/admin/login', status: 200 },
    { path: '/admin/orders', status: 401 },
    { path: '/admin', status: 200, headers: { cookie: admin } },
    { path: '/admin/stores', status: 200, headers: { cookie: admin } },
    { path: `/admin/stores/${store.id}`, status: 200, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } },
    { path: '/admin/orders/ord_nope', status: 404, headers: { cookie: admin } },
  ];
});

describe('documents', () => {
  it('every page kind starts with <!DOCTYPE html>', async () => {
    for (const page of pages) {
      const res = await SELF.fetch(`${ORIGIN}${page.path}`, {
        headers: { accept: 'text/html', ...page.headers },
        redirect: 'manual',
      });
      const html = await res.text();
      expect(res.status, page.path).toBe(page.status);
      expect(res.headers.get('content-type'), page.path).toContain('text/html');
      expect(html.startsWith('<!DOCTYPE html><html lang="en">'), `${page.path}: ${html.slice(0, 60)}`).toBe(
        true,
      );
    }
  });
});
