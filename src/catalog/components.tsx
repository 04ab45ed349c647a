// Catalog pieces shared by the home, shop and product pages and the vendors' shop pages: product cards
// and grids, the add-to-cart form, the shop's header and tabs.
import type { Product, Store } from './availability';
import { MAX_NOTE_CHARS, MAX_QTY } from './line-limits';
import { productPath, shopPath } from './urls';
import type { SafeHtml } from '../lib/jsx/jsx-runtime';
import { Price, ProductImage, StockNote } from '../pages/components';

/** What a product card shows (the home page reads only these columns). */
export type CardProduct = Pick<
  Product,
  'id' | 'slug' | 'name' | 'image' | 'unitAmount' | 'currency' | 'recurringInterval' | 'stock'
>;

/** A product in a grid: picture, name, maker, price, and a quick add when it can be bought. */
function ProductCard(props: {
  product: CardProduct;
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

type CardProps = Parameters<typeof ProductCard>[0];

/**
 * Rendered cards by everything a card shows. A card is a pure function of these fields, so the same fields
 * give the same HTML: a page built from fresh rows renders only the cards whose product changed. Bounded:
 * the oldest card goes when it is full.
 */
const renderedCards = new Map<string, SafeHtml>();
const RENDERED_CARDS_MAX = 2000;

function MemoCard(props: CardProps): SafeHtml {
  const { product: p, store } = props;
  const key = JSON.stringify([
    p.id,
    p.slug,
    p.name,
    p.image,
    p.unitAmount,
    p.currency,
    p.recurringInterval,
    p.stock,
    store.slug,
    store.name,
    props.canSell,
    props.showStore !== false,
  ]);
  let card = renderedCards.get(key);
  if (!card) {
    card = <ProductCard {...props} />;
    if (renderedCards.size >= RENDERED_CARDS_MAX) renderedCards.delete(renderedCards.keys().next().value!);
    renderedCards.set(key, card);
  }
  return card;
}

/** A grid of product cards. */
export function ProductGrid(props: {
  items: { product: CardProduct; store: Pick<Store, 'slug' | 'name'>; canSell: boolean }[];
  showStore?: boolean;
  label: string;
}) {
  return (
    <ul class="product-grid" aria-label={props.label}>
      {props.items.map((i) => (
        <MemoCard product={i.product} store={i.store} canSell={i.canSell} showStore={props.showStore} />
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
