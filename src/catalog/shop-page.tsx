// A vendor's shop: Home (featured products and a word about the maker) and Products (the whole range).
import { type JSX } from '../lib/jsx/jsx-runtime';
import { productAvailability, storeCanSell, type Product, type Store } from './availability';
import { shopPath } from './urls';
import { ProductGrid, ShopHeader } from './components';
import { Layout } from '../pages/layout';

/** How many products the shop's Home shows (featured first). */
const SHOP_HOME_PRODUCTS = 8;

export function ShopPage(props: {
  storeName: string;
  currency: string;
  store: Store;
  /** Active products, featured first. */
  products: Product[];
  view: 'home' | 'products';
  /** The category chips of the Products view. */
  filter?: JSX.Element | null;
}) {
  const { store, view } = props;
  const open = storeCanSell(store);
  const shown = view === 'home' ? props.products.slice(0, SHOP_HOME_PRODUCTS) : props.products;
  const anyFeatured = shown.some((p) => p.featured);
  return (
    <Layout
      title={store.name}
      storeName={props.storeName}
      description={store.tagline || `${store.name} on ${props.storeName}`}
    >
      <ShopHeader store={store} current={view} />
      {open ? null : (
        <p class="notice notice-warn" role="status">
          {store.deauthorizedAt != null
            ? `${store.name} has closed its shop. You can still look around.`
            : `${store.name} is opening soon: it isn't taking orders yet. You can still look around.`}
        </p>
      )}
      {props.filter ?? null}
      {view === 'home' ? (
        <div class="section-head">
          <h2>{anyFeatured ? 'Featured' : `From ${store.name}`}</h2>
        </div>
      ) : null}
      {shown.length ? (
        <ProductGrid
          label={`Products from ${store.name}`}
          showStore={false}
          items={shown.map((p) => ({
            product: p,
            store,
            canSell: productAvailability(p, store, props.currency).available,
          }))}
        />
      ) : (
        <p class="empty">{store.name} has no products on sale yet.</p>
      )}
      {view === 'home' && props.products.length > shown.length ? (
        <p>
          <a class="button" href={`${shopPath(store.slug)}/products`}>
            See all {props.products.length} products
          </a>
        </p>
      ) : null}
      {view === 'home' && store.about ? (
        <section class="section" aria-labelledby="shop-about-title">
          <div class="section-head">
            <h2 id="shop-about-title">About {store.name}</h2>
          </div>
          <p>{store.about.length > 400 ? `${store.about.slice(0, 400).trimEnd()}…` : store.about}</p>
          <p>
            <a href={`${shopPath(store.slug)}/about`}>More about {store.name}</a>
          </p>
        </section>
      ) : null}
    </Layout>
  );
}
