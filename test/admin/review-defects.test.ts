// Admin defects found in review (issue 8): product and order counts in the store and customer lists
// (defect 4), and Bearer-authenticated API calls without a Content-Type refused by the CSRF guard
// (defect 6), while cookie-authenticated cross-site forms stay refused.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids';
import { adminApi, adminCookie, ADMIN_TOKEN } from '../helpers/admin-fixtures';
import { createCatalog } from '../helpers/catalog';
import { seedOrder } from '../helpers/checkout-fixtures';

const ORIGIN = 'http://localhost';

describe('admin lists count what belongs to each row', () => {
  it('stores show their product count (JSON API and the original /stores path)', async () => {
    const { store } = await createCatalog(3);
    const { store: empty } = await createCatalog(0);
    for (const path of ['/admin/api/stores?limit=200', '/stores?limit=200']) {
      const body = await (await adminApi(path)).json<{ stores: { id: string; productCount: number }[] }>();
      expect(body.stores.find((s) => s.id === store.id)?.productCount, path).toBe(3);
      expect(body.stores.find((s) => s.id === empty.id)?.productCount, path).toBe(0);
    }
  });

  it('customers show their order count', async () => {
    const customerId = newId('cus');
    await env.DB.prepare(`INSERT INTO customers (id, email, name) VALUES (?, 'count@example.com', 'Counted')`)
      .bind(customerId)
      .run();
    for (let i = 0; i < 2; i++) {
      const { orderId } = await seedOrder({ status: 'paid' });
      await env.DB.prepare('UPDATE orders SET customer_id = ? WHERE id = ?').bind(customerId, orderId).run();
    }
    const body = await (
      await adminApi('/admin/api/customers?limit=200')
    ).json<{
      customers: { id: string; orderCount: number }[];
    }>();
    expect(body.customers.find((c) => c.id === customerId)?.orderCount).toBe(2);
  });
});

describe('CSRF guard and Bearer-authenticated API calls', () => {
  const bare = (path: string, headers: Record<string, string>) =>
    SELF.fetch(`${ORIGIN}${path}`, { method: 'POST', headers });

  it('a POST with the Bearer token and no Content-Type reaches the API', async () => {
    const retry = await bare('/admin/api/transfers/xfer_nope/retry', {
      authorization: `Bearer ${ADMIN_TOKEN}`,
    });
    expect(retry.status).toBe(404);
    expect(retry.headers.get('content-type')).toContain('application/problem+json');
    const replay = await bare('/admin/api/events/evt_nope/replay', {
      authorization: `Bearer ${ADMIN_TOKEN}`,
    });
    expect(replay.status).toBe(404);
  });

  it('a wrong Bearer token is refused by the admin (401), not waved through', async () => {
    const res = await bare('/admin/api/transfers/xfer_nope/retry', { authorization: 'Bearer guess' });
    expect(res.status).toBe(401);
  });

  it('a cross-site form post with the admin cookie is still refused (403)', async () => {
    const cookie = await adminCookie();
    const res = await SELF.fetch(`${ORIGIN}/admin/transfers/xfer_nope/retry`, {
      method: 'POST',
      headers: {
        cookie,
        origin: 'https://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: '',
    });
    expect(res.status).toBe(403);
  });
});
