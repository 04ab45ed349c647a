// The shared page shell: header with the live cart count, main, footer. Pages pass their content.
import type { Child, SafeHtml } from '../lib/jsx/jsx-runtime';

export interface LayoutProps {
  title: string;
  storeName: string;
  /** Items in the visitor's cart, for the header badge (null on pages that don't know it). */
  cartCount?: number | null;
  description?: string;
  children?: Child;
}

/**
 * The shell of every storefront page (the doctype comes from the document renderer, pages/document.tsx). Cacheable pages leave `cartCount` out: the badge is
 * filled by /static/app.js from the visitor's own cart, so a shared cache never serves someone's count.
 */
export function Layout({ title, storeName, cartCount, description, children }: LayoutProps) {
  const count = cartCount ?? null;
  const parts = staticParts(storeName);
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title === storeName ? storeName : `${title} · ${storeName}`}</title>
        {description ? <meta name="description" content={description} /> : null}
        {parts.head}
      </head>
      <body>
        {count === null ? parts.header : <Header storeName={storeName} count={count} />}
        <main id="main" class="wrap">
          {children}
        </main>
        {parts.footer}
      </body>
    </html>
  );
}

/** The parts of the shell that depend on the store's name alone, rendered once per isolate and name. */
interface StaticParts {
  head: SafeHtml;
  header: SafeHtml;
  footer: SafeHtml;
}
const rendered = new Map<string, StaticParts>();

function staticParts(storeName: string): StaticParts {
  let parts = rendered.get(storeName);
  if (!parts) {
    parts = {
      head: <Head />,
      header: <Header storeName={storeName} count={null} />,
      footer: <Footer storeName={storeName} />,
    };
    // One name per deployment; the bound only guards against a misconfiguration growing it.
    if (rendered.size >= 8) rendered.clear();
    rendered.set(storeName, parts);
  }
  return parts;
}

function Head() {
  return (
    <>
      <meta name="theme-color" content="#12343b" />
      <link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml" />
      <link rel="stylesheet" href="/static/app.css" />
      <script src="/static/app.js" defer></script>
    </>
  );
}

function Header({ storeName, count }: { storeName: string; count: number | null }) {
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="site-header">
        <div class="wrap header-inner">
          <a class="brand" href="/">
            <img src="/static/img/logo.svg" alt="" width="32" height="32" />
            <span>{storeName}</span>
          </a>
          <form class="site-search" role="search" method="get" action="/search">
            <label class="visually-hidden" for="site-search">
              Search products
            </label>
            <input id="site-search" type="search" name="q" placeholder="Search products" maxlength={200} />
            <button class="button" type="submit">
              Search
            </button>
          </form>
          <nav aria-label="Main" class="main-nav">
            <a href="/">Shop</a>
            <a href="/#shops">Makers</a>
            <a href="/sell">Sell with us</a>
            <a href="/account">Your orders</a>
            <a class="cart-link" href="/cart" data-cart-link>
              <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" class="cart-icon">
                <path
                  d="M3 4h2l2.4 10.2a2 2 0 0 0 2 1.6h7.2a2 2 0 0 0 2-1.5L20.5 8H6.2"
                  fill="none"
                  stroke="currentColor"
                  stroke-width="1.8"
                  stroke-linecap="round"
                  stroke-linejoin="round"
                />
                <circle cx="10" cy="20" r="1.4" fill="currentColor" />
                <circle cx="17" cy="20" r="1.4" fill="currentColor" />
              </svg>
              <span>Cart</span>
              <span class="badge" data-cart-count aria-hidden="true" hidden={!count}>
                {count ? String(count) : ''}
              </span>
              <span class="visually-hidden" data-cart-count-label>
                {count ? `, ${count} ${count === 1 ? 'item' : 'items'}` : ''}
              </span>
            </a>
          </nav>
        </div>
      </header>
    </>
  );
}

function Footer({ storeName }: { storeName: string }) {
  return (
    <footer class="site-footer">
      <div class="wrap footer-inner">
        <p>
          <strong>{storeName}</strong> · independent makers, one cart. Payments by Stripe.
        </p>
        <p>
          <a href="/sell">Open a shop</a> · <a href="/vendor">Vendor sign-in</a>
        </p>
      </div>
    </footer>
  );
}
