// Small pieces shared by the catalog and cart pages: prices, product cards, the add-to-cart form.
import type { Child } from 'hono/jsx';
import type { Product, Store } from '../catalog/availability';
import { productPath, shopPath } from '../catalog/urls';
import { MAX_NOTE_CHARS, MAX_QTY } from '../cart/rules';
import { minorDigits } from '../lib/money';

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * "$12.50" for (1250, 'usd'): lib/money's formatMoney with the Intl formatter kept per currency, since
 * building one costs more than the rest of a product card.
 */
export function money(amount: number, currency: string): string {
  let format = formatters.get(currency);
  if (!format) {
    const digits = minorDigits(currency);
    format = new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: currency.toUpperCase(),
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formatters.set(currency, format);
  }
  return format.format(amount / 10 ** minorDigits(currency));
}

const INTERVAL_LABEL: Record<string, string> = { day: 'day', week: 'week', month: 'month', year: 'year' };

/** "$12.00" or "$12.00 / month" for a subscription. */
export function Price(props: { amount: number; currency: string; interval?: string | null; class?: string }) {
  const interval = props.interval ? INTERVAL_LABEL[props.interval] : undefined;
  return (
    <span class={props.class ?? 'price'}>
      {money(props.amount, props.currency)}
      {interval ? <span class="interval"> / {interval}</span> : null}
    </span>
  );
}

/** The product's picture, or a neutral placeholder. */
export function ProductImage(props: {
  product: Pick<Product, 'image' | 'name'>;
  size: 'card' | 'hero' | 'thumb';
}) {
  const dims = { card: [480, 360], hero: [800, 600], thumb: [96, 72] }[props.size];
  return (
    <img
      class={`product-image product-image-${props.size}`}
      src={props.product.image || '/static/img/placeholder.svg'}
      alt={props.size === 'hero' ? props.product.name : ''}
      width={dims[0]}
      height={dims[1]}
      loading={props.size === 'hero' ? 'eager' : 'lazy'}
      decoding="async"
    />
  );
}

/** Stock as the shopper should see it: nothing when plenty, "Only 3 left", "Sold out". */
export function StockNote(props: { stock: number | null }) {
  if (props.stock === null || props.stock > 5) return null;
  if (props.stock <= 0) return <span class="stock stock-out">Sold out</span>;
  return <span class="stock stock-low">Only {props.stock} left</span>;
}

/** A product in a grid: picture, name, maker, price, and a quick add when it can be bought. */
export function ProductCard(props: {
  product: Product;
  store: Pick<Store, 'slug' | 'name'>;
  canSell: boolean;
  showStore?: boolean;
}) {
  const { product, store } = props;
  const href = productPath(store.slug, product.slug);
  const soldOut = product.stock !== null && product.stock <= 0;
  return (
    <li class="card product-card">
      <a class="card-link" href={href}>
        <ProductImage product={product} size="card" />
        <span class="card-body">
          <span class="card-title">{product.name}</span>
          {props.showStore !== false ? <span class="card-meta">{store.name}</span> : null}
        </span>
      </a>
      <div class="card-foot">
        <Price amount={product.unitAmount} currency={product.currency} interval={product.recurringInterval} />
        <StockNote stock={product.stock} />
        {props.canSell && !soldOut ? (
          <AddToCartForm productId={product.id} productName={product.name} returnTo={href} compact />
        ) : null}
      </div>
    </li>
  );
}

/** A grid of product cards. */
export function ProductGrid(props: {
  items: { product: Product; store: Pick<Store, 'slug' | 'name'>; canSell: boolean }[];
  showStore?: boolean;
  label: string;
}) {
  return (
    <ul class="product-grid" aria-label={props.label}>
      {props.items.map((i) => (
        <ProductCard product={i.product} store={i.store} canSell={i.canSell} showStore={props.showStore} />
      ))}
    </ul>
  );
}

/**
 * Add to cart. Works as a plain form (POST /cart/items, 303 back to `returnTo` with `?added=1`);
 * /static/app.js sends it with fetch instead and says so in the status line.
 */
export function AddToCartForm(props: {
  productId: string;
  productName: string;
  returnTo: string;
  compact?: boolean;
  maxQty?: number;
}) {
  const base = `add-${props.productId}`;
  const back = `${props.returnTo}${props.returnTo.includes('?') ? '&' : '?'}added=1`;
  if (props.compact)
    return (
      <form method="post" action="/cart/items" class="add-form add-form-compact" data-add-form>
        <input type="hidden" name="productId" value={props.productId} />
        <input type="hidden" name="qty" value="1" />
        <input type="hidden" name="return_to" value={back} />
        <button type="submit" class="button button-small" aria-label={`Add ${props.productName} to cart`}>
          Add
        </button>
        <span class="form-status" role="status" data-status></span>
      </form>
    );
  return (
    <form method="post" action="/cart/items" class="add-form" data-add-form>
      <input type="hidden" name="productId" value={props.productId} />
      <input type="hidden" name="return_to" value={back} />
      <div class="field field-qty">
        <label for={`${base}-qty`}>Quantity</label>
        <input
          id={`${base}-qty`}
          name="qty"
          type="number"
          inputmode="numeric"
          min="1"
          max={String(Math.min(MAX_QTY, props.maxQty ?? MAX_QTY))}
          value="1"
          required
        />
      </div>
      <div class="field">
        <label for={`${base}-note`}>
          Special request <span class="optional">(optional)</span>
        </label>
        <textarea
          id={`${base}-note`}
          name="note"
          rows={2}
          maxlength={MAX_NOTE_CHARS}
          placeholder="Gift wrap, engraving, a colour preference…"
          aria-describedby={`${base}-note-hint`}
        ></textarea>
        <p class="hint" id={`${base}-note-hint`}>
          Up to {MAX_NOTE_CHARS} characters, passed on to the maker.
        </p>
      </div>
      <button type="submit" class="button button-primary button-large">
        Add to cart
      </button>
      <p class="form-status" role="status" data-status></p>
    </form>
  );
}

/** The shop's header and its tabs (the vendors' About and Contact pages hang below the shop page). */
export function ShopHeader(props: {
  store: Pick<Store, 'slug' | 'name' | 'tagline'>;
  current: 'home' | 'products' | 'about' | 'contact';
}) {
  const base = shopPath(props.store.slug);
  const tabs = [
    ['home', base, 'Home'],
    ['products', `${base}/products`, 'Products'],
    ['about', `${base}/about`, 'About'],
    ['contact', `${base}/contact`, 'Contact'],
  ] as const;
  return (
    <header class="shop-header">
      <p class="eyebrow">Maker</p>
      <h1>{props.store.name}</h1>
      {props.store.tagline ? <p class="lede">{props.store.tagline}</p> : null}
      <nav class="tabs" aria-label={`${props.store.name} pages`}>
        {tabs.map(([key, href, label]) => (
          <a href={href} aria-current={props.current === key ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
    </header>
  );
}

/**
 * A listing table (admin and vendor dashboard): one header cell per column, then the rows given as
 * children. `actions` adds a last column for row buttons, named for screen readers only.
 */
export function DataTable(props: { columns: readonly string[]; actions?: boolean; children?: Child }) {
  return (
    <table class="table">
      <thead>
        <tr>
          {props.columns.map((c) => (
            <th scope="col">{c}</th>
          ))}
          {props.actions ? (
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
}
