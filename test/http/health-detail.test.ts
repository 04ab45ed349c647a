// Issue 8, defect 14: /health tells anyone which check failed, but the raw error text (D1's message,
// which may name tables, queries or internals) only to the operator's Bearer ADMIN_TOKEN.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { healthRoutes } from '../../src/ops/health';

type Health = { status: string; checks: Record<string, { ok: boolean; detail?: string }> };

const brokenDb = {
  prepare() {
    throw new Error('D1_ERROR: no such table: products (internal detail)');
  },
} as unknown as D1Database;

describe('GET /health with a failing check', () => {
  it('says which check failed to anyone, without its detail', async () => {
    const res = await healthRoutes.request('/health', {}, { ...env, DB: brokenDb });
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(text).not.toContain('no such table');
    const body = JSON.parse(text) as Health;
    expect(body.status).toBe('degraded');
    expect(body.checks.d1).toMatchObject({ ok: false });
    expect(body.checks.d1).not.toHaveProperty('detail');
    expect(body.checks.cart_object?.ok).toBe(true);
  });

  it('a wrong token gets no detail either', async () => {
    const res = await healthRoutes.request(
      '/health',
      { headers: { authorization: 'Bearer not-the-token' } },
      { ...env, DB: brokenDb },
    );
    expect(await res.text()).not.toContain('no such table');
  });

  it('gives the operator the detail', async () => {
    const res = await healthRoutes.request(
      '/health',
      { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } },
      { ...env, DB: brokenDb },
    );
    const body = await res.json<Health>();
    expect(body.checks.d1).toMatchObject({ ok: false });
    expect(body.checks.d1?.detail).toContain('no such table');
  });

  it('fails the public_url check when PUBLIC_URL is not an origin', async () => {
    const res = await healthRoutes.request('/health', {}, { ...env, PUBLIC_URL: '' });
    expect(res.status).toBe(503);
    expect((await res.json<Health>()).checks.public_url?.ok).toBe(false);
  });

  it('the live Worker answers every check ok', async () => {
    const res = await SELF.fetch('http://localhost/health');
    expect(res.status).toBe(200);
    expect(Object.values((await res.json<Health>()).checks).every((c) => c.ok && !('detail' in c))).toBe(
      true,
    );
  });
});
