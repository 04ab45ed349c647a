// Issue 8, defect 16: static assets (served by the platform without the Worker) carry the same security
// headers as the Worker's own responses: public/_headers must equal what secureHeaders() sends.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import headersFile from '../../public/_headers?raw';
import { app } from '../../src/app';

/** The `/*` block of a Cloudflare `_headers` file as lower-cased name → value. */
function parseHeadersFile(text: string): Map<string, string> {
  const rules = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const line of text.split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      current = new Map();
      rules.set(line.trim(), current);
      continue;
    }
    const at = line.indexOf(':');
    current?.set(line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim());
  }
  return rules.get('/*') ?? new Map<string, string>();
}

// Headers that describe a response rather than protect it.
const NOT_SECURITY = new Set(['cache-control', 'content-type', 'content-length', 'etag', 'vary']);

describe('public/_headers', () => {
  it('gives every static file exactly the security headers the Worker sends (test and live mode)', async () => {
    const res = await app.request(
      'http://localhost/',
      { headers: { accept: 'text/html' } },
      { ...env, STRIPE_SECRET_KEY: 'sk_test_example' },
    );
    expect(res.status).toBe(200);
    const sent = new Map([...res.headers].filter(([name]) => !NOT_SECURITY.has(name)));
    const file = parseHeadersFile(headersFile);
    expect(Object.fromEntries(file)).toEqual(Object.fromEntries(sent));
    for (const name of [
      'content-security-policy',
      'x-content-type-options',
      'x-frame-options',
      'referrer-policy',
      'strict-transport-security',
    ])
      expect(file.has(name), name).toBe(true);
  });
});
