// Which methods a path answers to, from the app's registered routes: a wrong method gets 405 with
// `Allow` (RFC 9110 §15.5.6) instead of a 404 that says the resource isn't there.
import { PatternRouter } from 'hono/router/pattern-router';
import type { RouterRoute } from 'hono/types';

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * Returns a lookup from a path to the methods some route serves there (HEAD wherever GET is), in a
 * stable order. Routes for every method (`app.use` middleware, catch-all proxies) are left out: they
 * say nothing about what a path supports.
 */
export function allowedMethodsLookup(routes: readonly RouterRoute[]): (path: string) => string[] {
  const router = new PatternRouter<string>();
  const methods = new Set<string>();
  for (const route of routes) {
    if (route.method === 'ALL') continue;
    router.add(route.method, route.path, route.method);
    methods.add(route.method);
  }
  if (methods.has('GET')) methods.add('HEAD');
  const rank = (m: string) => (ORDER.includes(m) ? ORDER.indexOf(m) : ORDER.length);
  const sorted = [...methods].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return (path) => sorted.filter((m) => router.match(m === 'HEAD' ? 'GET' : m, path)[0].length > 0);
}
