// The one way a page becomes an HTML document: hono's jsx-renderer, which writes the doctype first (no
// page can fall back to quirks mode), for the storefront, vendor and admin shells alike.
import type { Context } from 'hono';
import { jsxRenderer } from 'hono/jsx-renderer';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Middleware, mounted once for the whole app: sets the renderer `c.render` uses. Pages bring their own
 * shell (`Layout`, `AdminLayout`), which take props only; the renderer owns the document around them.
 */
export const documentRenderer = jsxRenderer(undefined, { docType: true });

/** Answers `page` (JSX, or HTML already rendered) as a whole document, with `status` (default 200). */
export function renderPage(
  c: Context,
  page: string | Promise<string>,
  status?: ContentfulStatusCode,
): Response | Promise<Response> {
  if (status !== undefined) c.status(status);
  return c.render(page);
}
