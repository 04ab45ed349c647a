// Issue 8, defect 13: the generic error handler logs the error's class, a code and the route pattern,
// never the message (drizzle's carries the query's parameters) nor the raw URL (tokens in paths/queries).
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { app } from '../../src/app';

/** A D1 whose every query fails the way D1 does, so drizzle wraps it with the SQL and its parameters. */
const failingDb = () => {
  const fail = () => Promise.reject(new Error('D1_ERROR: no such table: stores: SQLITE_ERROR'));
  const statement = { bind: () => statement, all: fail, raw: fail, first: fail, run: fail };
  return { prepare: () => statement, batch: fail, exec: fail } as unknown as D1Database;
};

afterEach(() => vi.restoreAllMocks());

describe('unhandled errors are logged without parameters', () => {
  it('a D1 failure with an e-mail in its parameters logs class, code and route, not the e-mail', async () => {
    const logged: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
    const email = 'private.person@example.com';
    const res = await app.request(
      'http://localhost/vendor/login?ref=secret-token',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ email }),
      },
      { ...env, DB: failingDb() },
    );
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain(email);
    const line = logged.find((l) => l.includes('unhandled error'));
    expect(line).toBeDefined();
    expect(line).not.toContain(email);
    expect(line).not.toContain('private.person');
    expect(line).not.toContain('secret-token');
    expect(line).not.toMatch(/select|from "stores"/i);
    const entry = JSON.parse(line!) as { route: string; error: string; code?: string; causes?: string[] };
    expect(entry.route).toBe('POST /vendor/login');
    expect(entry.error).toBe('DrizzleQueryError');
    expect(entry.causes).toEqual(['Error']);
    expect(entry.code).toBe('D1_ERROR');
  });
});
