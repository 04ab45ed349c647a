// Issue 8, defect 11: `return_to` paths that normalise to a protocol-relative URL (`/..//evil.example`,
// `/.//evil.example`) must not become the redirect's Location.
import { describe, expect, it } from 'vitest';
import { safeReturnPath } from '../../src/cart/routes';
import { DEMO, seedDemoCatalog } from '../helpers/catalog';
import { CartClient } from './client';

const PAYLOADS = [
  '/..//evil.example',
  '/.//evil.example',
  '/./..//evil.example/x?y=1',
  '/a/../..//evil.example',
];

describe('return_to', () => {
  it('refuses paths that normalise to another host', () => {
    for (const value of PAYLOADS) expect(safeReturnPath(value), value).toBeNull();
  });

  it('keeps ordinary paths (normalised) and their query', () => {
    expect(safeReturnPath('/products/a/b?added=1')).toBe('/products/a/b?added=1');
    expect(safeReturnPath('/shops/x/../y')).toBe('/shops/y');
  });

  it('a form post with such a return_to goes back to the cart, never off the site', async () => {
    await seedDemoCatalog();
    const client = new CartClient();
    for (const target of PAYLOADS) {
      const res = await client.form('/cart/items', { productId: DEMO.products.notebook, return_to: target });
      expect(res.status).toBe(303);
      expect(res.headers.get('location'), target).toBe('/cart');
    }
  });
});
