// Issue 8, defect 15: /cart/live upgrades only for pages of the site itself (Origin = PUBLIC_URL's origin);
// another site's page can't open a visitor's cart socket with their cookie.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { CartClient, ORIGIN } from './client';

async function handshake(origin: string | null) {
  const client = new CartClient();
  await client.cart(); // a cart cookie, as a visitor who has been here before
  return SELF.fetch(`${ORIGIN}/cart/live`, {
    headers: { upgrade: 'websocket', cookie: client.cookie!, ...(origin ? { origin } : {}) },
  });
}

describe('GET /cart/live and Origin', () => {
  it('accepts the site’s own origin', async () => {
    const res = await handshake(env.PUBLIC_URL);
    expect(res.status).toBe(101);
    res.webSocket!.accept();
    res.webSocket!.close(1000);
  });

  it('refuses another origin, a look-alike port and no Origin at all with 403', async () => {
    for (const origin of ['https://evil.example', 'http://localhost:8787', 'null', null]) {
      const res = await handshake(origin);
      expect(res.status, String(origin)).toBe(403);
      expect(res.webSocket).toBeFalsy();
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});
