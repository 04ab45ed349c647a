// The home page: featured products across vendors and the makers who sell here.
import { type JSX } from '../lib/jsx/jsx-runtime';
import type { Store } from './queries';
import { shopPath } from './urls';
import { ProductGrid, type CardProduct } from './components';
import { Layout } from '../pages/layout';

export function HomePage(props: {
  storeName: string;
  featured: { product: CardProduct; store: Pick<Store, 'slug' | 'name'> }[];
  stores: Pick<Store, 'slug' | 'name' | 'tagline'>[];
  /** The category chips. */
  filter?: JSX.Element | null;
  /** The chosen category's name: the grid then shows its products instead of the featured ones. */
  categoryName?: string | null;
}) {
  return (
    <Layout
      title={props.storeName}
      storeName={props.storeName}
      description={`${props.storeName}: goods from independent makers, in one cart.`}
    >
      <section class="hero">
        <div>
          <p class="eyebrow">Independent makers · one cart</p>
          <h1>Things made with care, from people who make them.</h1>
          <p class="lede">
            Ceramics, coffee, textiles and paper goods from {props.stores.length} small studios. Fill one cart
            across every shop and pay once; each maker is paid their share.
          </p>
          <p class="hero-actions">
            <a class="button button-primary button-large" href="#featured">
              Browse featured
            </a>
            <a class="button button-ghost button-large" href="#shops">
              Meet the makers
            </a>
          </p>
        </div>
      </section>

      <section id="featured" class="section" aria-labelledby="featured-title">
        <div class="section-head">
          <h2 id="featured-title">{props.categoryName ?? 'Featured'}</h2>
        </div>
        {props.filter ?? null}
        {props.featured.length ? (
          <ProductGrid
            label="Featured products"
            items={props.featured.map((r) => ({ product: r.product, store: r.store, canSell: true }))}
          />
        ) : (
          <p class="empty">No products yet. Makers are setting up shop; check back soon.</p>
        )}
      </section>

      <section id="shops" class="section" aria-labelledby="shops-title">
        <div class="section-head">
          <h2 id="shops-title">The makers</h2>
        </div>
        <ul class="shop-list">
          {props.stores.map((s) => (
            <li class="card shop-card">
              <a href={shopPath(s.slug)} class="card-link">
                <span class="shop-initial" aria-hidden="true">
                  {s.name.slice(0, 1)}
                </span>
                <span class="card-body">
                  <span class="card-title">{s.name}</span>
                  <span class="card-meta">{s.tagline}</span>
                </span>
              </a>
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}
