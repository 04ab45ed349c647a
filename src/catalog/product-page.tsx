// The product page: picture, price, stock, the maker, the add-to-cart form, more from the same shop.
import { productAvailability, type Product, type Store } from './availability';
import { productPath, shopPath } from './urls';
import { Price, ProductImage, StockNote } from '../pages/components';
import { AddToCartForm, ProductGrid } from './components';
import type { PricingProduct } from './rows';
import { Layout } from '../pages/layout';

export function ProductPage(props: {
  storeName: string;
  currency: string;
  product: Product;
  store: Store;
  more: PricingProduct[];
  added: boolean;
}) {
  const { product, store } = props;
  const availability = productAvailability(product, store, props.currency);
  const href = productPath(store.slug, product.slug);
  return (
    <Layout
      title={product.name}
      storeName={props.storeName}
      description={product.description.slice(0, 160) || `${product.name} by ${store.name}`}
    >
      <nav class="breadcrumbs" aria-label="Breadcrumb">
        <ol>
          <li>
            <a href="/">Shop</a>
          </li>
          <li>
            <a href={shopPath(store.slug)}>{store.name}</a>
          </li>
          <li aria-current="page">{product.name}</li>
        </ol>
      </nav>
      {props.added ? (
        <p class="notice notice-success" role="status">
          Added to your cart. <a href="/cart">View cart and check out</a>
        </p>
      ) : null}
      <article class="product">
        <div class="product-media">
          <ProductImage product={product} size="hero" />
        </div>
        <div class="product-info">
          <p class="eyebrow">
            <a href={shopPath(store.slug)}>{store.name}</a>
          </p>
          <h1>{product.name}</h1>
          <p class="product-price">
            <Price
              amount={product.unitAmount}
              currency={product.currency}
              interval={product.recurringInterval}
            />{' '}
            <StockNote stock={product.stock} />
          </p>
          {product.recurringInterval ? (
            <p class="hint">A subscription: billed every {product.recurringInterval} until you cancel.</p>
          ) : null}
          <div class="prose">
            {product.description.split(/\n{2,}/).map((para) => (
              <p>{para}</p>
            ))}
          </div>
          {availability.available ? (
            <AddToCartForm
              productId={product.id}
              productName={product.name}
              returnTo={href}
              maxQty={availability.maxQty}
            />
          ) : (
            <p class="notice notice-warn">{availability.reason}</p>
          )}
        </div>
      </article>
      {props.more.length ? (
        <section class="section" aria-labelledby="more-title">
          <div class="section-head">
            <h2 id="more-title">More from {store.name}</h2>
            <a href={shopPath(store.slug)}>See the whole shop</a>
          </div>
          <ProductGrid
            label={`More from ${store.name}`}
            showStore={false}
            items={props.more.map((p) => ({
              product: p,
              store,
              canSell: productAvailability(p, store, props.currency).available,
            }))}
          />
        </section>
      ) : null}
    </Layout>
  );
}
