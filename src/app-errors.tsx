// The app's one error handler: AppError → problem+json (API) or an HTML page (browsers);
// anything else is logged once and answered with a generic 500 that leaks nothing.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import { ErrorPage } from './pages/error-page';
import { AppError, problemBody, TooManyRequestsError } from './lib/errors';
import { wantsHtml } from './lib/http';
import { renderPage } from './pages/document';
import { errorFields } from './lib/log';

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
  console.error(JSON.stringify({ msg: 'unhandled error', route: routeOf(c), ...errorFields(err) }));
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
