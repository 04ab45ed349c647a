// The shared page shell: header with the live cart count, main, footer. Pages pass their content.
import type { Child } from 'hono/jsx';

export interface LayoutProps {
  title: string;
  storeName: string;
  /** Items in the visitor's cart, for the header badge (null on pages that don't know it). */
  cartCount?: number | null;
  description?: string;
  children?: Child;
}

/** The HTML document around every storefront page. */
export function Layout({ title, storeName, cartCount, description, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title === storeName ? storeName : `${title} · ${storeName}`}</title>
        {description ? <meta name="description" content={description} /> : null}
        <link rel="stylesheet" href="/static/app.css" />
        <script src="/static/app.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          <a class="brand" href="/">
            {storeName}
          </a>
          <nav aria-label="Main">
            <a href="/">Shop</a>
            <a href="/sell">Sell with us</a>
            <a class="cart-link" href="/cart">
              Cart{' '}
              <span class="badge" data-cart-count aria-live="polite">
                {cartCount ?? ''}
              </span>
            </a>
          </nav>
        </header>
        <main id="main">{children}</main>
        <footer class="site-footer">
          <p>
            {storeName} · payments by Stripe · <a href="/vendor">Vendor sign-in</a>
          </p>
        </footer>
      </body>
    </html>
  );
}
