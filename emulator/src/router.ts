// A tiny method + path router for the emulator's REST API (`/v1/payment_intents/:id/confirm`).
import type { Ctx } from './context';
import type { Params } from './form';

/** A handler answers the response body (status 200) or throws a StripeError. */
export type Handler = (ctx: Ctx, params: Params, path: Record<string, string>) => unknown;

export interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

/** Declares a route; `:name` segments are passed to the handler, decoded. */
export function route(method: string, path: string, handler: Handler): Route {
  const names: string[] = [];
  const pattern = new RegExp(
    '^' +
      path.replace(/:([a-z_]+)/g, (_, n: string) => {
        names.push(n);
        return '([^/]+)';
      }) +
      '/?$',
  );
  return { method, pattern, names, handler };
}

/** Finds the route for a request; `allowed` lists the methods of a path that matched another method. */
export function match(
  routes: Route[],
  method: string,
  pathname: string,
): { route: Route; path: Record<string, string> } | { route: null; allowed: string[] } {
  const allowed: string[] = [];
  for (const r of routes) {
    const m = r.pattern.exec(pathname);
    if (!m) continue;
    if (r.method !== method) {
      allowed.push(r.method);
      continue;
    }
    const path: Record<string, string> = {};
    r.names.forEach((n, i) => (path[n] = decodeURIComponent(m[i + 1]!)));
    return { route: r, path };
  }
  return { route: null, allowed };
}
