// The app's one error handler: AppError → problem+json (API) or an HTML page (browsers);
// anything else is logged once and answered with a generic 500 that leaks nothing.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import { ErrorPage } from './pages/error-page';
import { AppError, problemBody, TooManyRequestsError } from './lib/errors';
import { wantsHtml } from './lib/http';
import { renderPage } from './pages/document';

export function renderError(err: AppError, c: Context<{ Bindings: Env }>): Response | Promise<Response> {
  c.header('cache-control', 'no-store');
  if (err instanceof TooManyRequestsError) c.header('retry-after', String(err.retryAfter));
  if (wantsHtml(c)) {
    c.status(err.status as 400);
    return renderPage(
      c,
      <ErrorPage storeName={c.env.STORE_NAME} status={err.status} title={err.title} detail={err.message} />,
    );
  }
  return c.body(JSON.stringify(problemBody(err, new URL(c.req.url).pathname)), err.status as 400, {
    'content-type': 'application/problem+json; charset=utf-8',
  });
}

export function onError(err: Error, c: Context<{ Bindings: Env }>): Response | Promise<Response> {
  if (err instanceof AppError) return renderError(err, c);
  if (err instanceof HTTPException) {
    const res = err.getResponse();
    const status = res.status;
    const title = status === 413 ? 'Payload too large' : status === 403 ? 'Forbidden' : 'Request refused';
    return renderError(new AppError(status, title, err.message || title), c);
  }
  // Unknown: log once with what identifies it, never its message: drizzle's carries the query's
  // parameters (e-mail addresses, tokens), others may quote bodies or headers.
  console.error(JSON.stringify({ msg: 'unhandled error', route: routeOf(c), ...describeError(err) }));
  return renderError(
    new AppError(500, 'Something went wrong', 'An unexpected error occurred. Please try again.'),
    c,
  );
}

/** `METHOD /route/:pattern`: the route that failed, without the raw path or query (ids, tokens). */
function routeOf(c: Context): string {
  let pattern = '(unmatched)';
  try {
    // The last matched route is the handler's (earlier ones are middleware such as `/*`).
    pattern = routePath(c, -1) || pattern;
  } catch {
    // Nothing matched (an error before routing): the pattern stays unknown.
  }
  return `${c.req.method} ${pattern}`;
}

/** A code only when it is shaped like one (`D1_ERROR`, `SQLITE_BUSY`), so no free text slips through. */
const CODE = /^[A-Za-z][A-Za-z0-9_.-]{1,63}$/;
const LEADING_CODE = /^([A-Z][A-Z0-9_]{2,63}):/;

/**
 * What may be logged about an error: its class and its causes' classes, a code (a `code` property or a
 * message's leading `D1_ERROR:`-style prefix, along the cause chain), and the stack frames without the
 * message line.
 */
function describeError(err: unknown): {
  error: string;
  causes?: string[];
  code?: string;
  frames?: string[];
} {
  const chain: unknown[] = [];
  for (let e: unknown = err; e !== undefined && e !== null && chain.length < 5; e = (e as Error).cause)
    chain.push(e);
  // Many libraries (drizzle among them) leave `name` as "Error": the constructor names the class.
  const name = (e: unknown) =>
    e instanceof Error ? (e.name !== 'Error' ? e.name : e.constructor.name || e.name) : typeof e;
  let code: string | undefined;
  for (const e of chain) {
    const own = (e as { code?: unknown }).code;
    if (typeof own === 'string' && CODE.test(own)) code = own;
    else if (e instanceof Error) code = LEADING_CODE.exec(e.message)?.[1];
    if (code) break;
  }
  const frames = err instanceof Error ? err.stack?.split('\n').filter((l) => /^\s+at /.test(l)) : undefined;
  return {
    error: name(err),
    ...(chain.length > 1 ? { causes: chain.slice(1).map(name) } : {}),
    ...(code ? { code } : {}),
    ...(frames?.length ? { frames: frames.slice(0, 8).map((l) => l.trim()) } : {}),
  };
}
