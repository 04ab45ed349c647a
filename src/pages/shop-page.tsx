// A vendor's shop page: its header and tabs, and the grid of its products.
import { productAvailability, storeCanSell, type Product, type Store } from '../catalog/availability';
import { ProductGrid, ShopHeader } from './components';
import { Layout } from './layout';

export function ShopPage(props: { storeName: string; currency: string; store: Store; products: Product[] }) {
  const { store } = props;
  const open = storeCanSell(store);
  return (
    <Layout
      title={store.name}
      storeName={props.storeName}
      description={store.tagline || `${store.name} on ${props.storeName}`}
    >
      <ShopHeader store={store} current="products" />
      {open ? null : (
        <p class="notice notice-warn" role="status">
          {store.name} isn't taking orders right now. You can still look around.
        </p>
      )}
      {props.products.length ? (
        <ProductGrid
          label={`Products from ${store.name}`}
          showStore={false}
          items={props.products.map((p) => ({
            product: p,
            store,
            canSell: productAvailability(p, store, props.currency).available,
          }))}
        />
      ) : (
        <p class="empty">{store.name} has no products on sale yet.</p>
      )}
    </Layout>
  );
}
