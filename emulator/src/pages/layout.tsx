/** @jsxImportSource hono/jsx */
// The shell of the emulator's hosted pages: plain HTML with inline CSS and no scripts, clearly
// marked as a local test stand-in for Stripe.
import type { Context } from 'hono';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

const STYLE = `
  :root { color-scheme: light; --ink: #1a1f36; --muted: #697386; --line: #e3e8ee; --brand: #635bff; --bad: #df1b41; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f9fc; }
  .banner { background: #fff4d6; color: #7a5b00; text-align: center; padding: 6px; font-size: 13px; }
  main { max-width: 920px; margin: 32px auto; padding: 0 16px; display: grid; gap: 32px; grid-template-columns: 1fr; }
  @media (min-width: 800px) { main.split { grid-template-columns: 1fr 1fr; } }
  section, form.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 24px; }
  h1 { font-size: 22px; margin: 0 0 16px; } h2 { font-size: 16px; margin: 24px 0 8px; }
  .total { font-size: 32px; font-weight: 600; margin: 0 0 16px; }
  table { width: 100%; border-collapse: collapse; } td { padding: 8px 0; border-bottom: 1px solid var(--line); vertical-align: top; }
  td.num { text-align: right; white-space: nowrap; } .muted { color: var(--muted); font-size: 13px; }
  label { display: block; font-size: 13px; color: var(--muted); margin: 12px 0 4px; }
  input, select { width: 100%; padding: 10px 12px; border: 1px solid var(--line); border-radius: 6px; font: inherit; }
  .row { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
  button { margin-top: 20px; width: 100%; padding: 12px; border: 0; border-radius: 6px; background: var(--brand); color: #fff; font: inherit; font-weight: 600; cursor: pointer; }
  .error { color: var(--bad); background: #fff0f3; border: 1px solid #ffc2cf; border-radius: 6px; padding: 10px 12px; margin-top: 12px; }
  .hint { background: #f6f9fc; border: 1px dashed var(--line); border-radius: 6px; padding: 10px 12px; margin-top: 16px; font-size: 13px; }
  code { font-family: ui-monospace, monospace; font-size: 13px; }
  a { color: var(--brand); }
`;

/** The HTML document around every hosted page. */
export function Document({ title, children }: { title: string; children?: Child }) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title>{title}</title>
          <style>{raw(STYLE)}</style>
        </head>
        <body>
          <div class="banner" role="note">
            Stripe emulator — test mode, no real payment is made.
          </div>
          {children}
        </body>
      </html>
    </>
  );
}

/** A link shown under a message. */
export interface PageLink {
  href: string;
  label: string;
}

/** A small page with a heading, a message and an optional link. */
export function MessagePage({ title, message, link }: { title: string; message: string; link?: PageLink }) {
  return (
    <Document title={title}>
      <main>
        <section>
          <h1>{title}</h1>
          <p>{message}</p>
          {link ? (
            <p>
              <a href={link.href}>{link.label}</a>
            </p>
          ) : null}
        </section>
      </main>
    </Document>
  );
}

/** Answers a hosted page: HTML that is never cached or indexed. */
export function htmlPage(
  c: Context,
  page: ReturnType<typeof Document>,
  status = 200,
): Response | Promise<Response> {
  return c.html(page, status as ContentfulStatusCode, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-robots-tag': 'noindex',
  });
}

/** Answers a MessagePage. */
export function messagePage(
  c: Context,
  title: string,
  message: string,
  link?: PageLink,
  status = 200,
): Response | Promise<Response> {
  return htmlPage(c, <MessagePage title={title} message={message} link={link} />, status);
}

/** A 303 redirect (after a form POST the browser must GET the target). */
export function seeOther(c: Context, location: string): Response {
  return c.body(null, 303, { location, 'cache-control': 'no-store' });
}
