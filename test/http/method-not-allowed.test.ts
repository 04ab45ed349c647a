// Issue 8, defect 17: a path that exists answers a method it does not take with 405 and `Allow` (the
// methods registered for it), problem+json for API clients and a page for browsers; unknown paths stay 404.
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

const ORIGIN = 'http://localhost';

function call(method: string, path: string, accept = 'application/json') {
  // Browsers send Origin on non-GET requests; without it the CSRF guard answers 403 first.
  return SELF.fetch(`${ORIGIN}${path}`, { method, headers: { accept, origin: ORIGIN }, redirect: 'manual' });
}

describe('405 Method Not Allowed', () => {
  it('DELETE / → 405 Allow: GET, HEAD as problem+json', async () => {
    const res = await call('DELETE', '/');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 405, title: 'Method not allowed' });
  });

  it('lists every method of a path with parameters', async () => {
    const res = await call('PUT', '/cart/items/prod_x');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST, PATCH, DELETE');
    const cart = await call('PUT', '/cart');
    expect(cart.headers.get('allow')).toBe('GET, HEAD, POST, DELETE');
  });

  it('a GET on a POST-only path says POST', async () => {
    const res = await call('GET', '/checkout');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it('browsers get the error page', async () => {
    const res = await call('DELETE', '/vendor/login', 'text/html');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(res.headers.get('content-type')).toContain('text/html');
  });

  it('OPTIONS answers 204 with Allow', async () => {
    const res = await call('OPTIONS', '/cart/items');
    expect(res.status).toBe(204);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it('unknown paths stay 404, whatever the method', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await call(method, '/no/such/page');
      expect(res.status).toBe(404);
      expect(res.headers.get('allow')).toBeNull();
    }
  });
});
