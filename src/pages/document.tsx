// The one way a page becomes an HTML document: the doctype first (no page can fall back to quirks mode),
// then the page, for the storefront, vendor and admin shells alike. Pages bring their own shell (`Layout`,
// `AdminLayout`), which take props only. Written here rather than through hono's jsx-renderer middleware,
// which wraps every page in a context provider per request and brings hono's client-side JSX runtime
// into the bundle; no page uses either.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { SafeHtml } from '../lib/jsx/jsx-runtime';

const DOCTYPE = '<!DOCTYPE html>';

/** Answers `page` (JSX, or HTML already rendered) as a whole document, with `status` (default 200). */
export async function renderPage(
  c: Context,
  page: SafeHtml | Promise<SafeHtml>,
  status?: ContentfulStatusCode,
): Promise<Response> {
  const { html } = await page;
  if (status !== undefined) c.status(status);
  return c.html(DOCTYPE + html);
}
