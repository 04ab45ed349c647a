// Browsing pieces: the category chips of the home and shop Products pages (plain links, so every filtered
// view has a shareable URL) and the search page with its filters.
import type { CategoryCount } from './categories';
import { ProductGrid } from './components';
import type { ProductWithStore } from './queries';
import { productAvailability } from './availability';
import { Layout } from '../pages/layout';

/** Category chips: "All" and each category with products, the current one marked. `base` is the page's path. */
export function CategoryFilter(props: { base: string; categories: CategoryCount[]; current: string | null }) {
  if (props.categories.length === 0) return null;
  const href = (slug: string | null) =>
    slug ? `${props.base}?category=${encodeURIComponent(slug)}` : props.base;
  return (
    <nav class="category-filter" aria-label="Categories">
      <ul class="chips">
        <li>
          <a class="chip" href={href(null)} aria-current={props.current === null ? 'page' : undefined}>
            All
          </a>
        </li>
        {props.categories.map((c) => (
          <li>
            <a class="chip" href={href(c.slug)} aria-current={props.current === c.slug ? 'page' : undefined}>
              {c.name} <span class="chip-count">{c.productCount}</span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** What the search page was asked (the query string, as typed). */
export interface SearchForm {
  q: string;
  category: string;
  store: string;
  min: string;
  max: string;
  inStock: boolean;
}

/** The search results page: the form with its filters, then the results, best first. */
export function SearchPage(props: {
  storeName: string;
  currency: string;
  form: SearchForm;
  categories: CategoryCount[];
  stores: { slug: string; name: string }[];
  results: ProductWithStore[];
  error?: string | undefined;
}) {
  const { form } = props;
  const title = form.q ? `Search: ${form.q}` : 'Search';
  return (
    <Layout title={title} storeName={props.storeName}>
      <section class="section">
        <h1>{form.q ? `Results for “${form.q}”` : 'Search the shop'}</h1>
        <form class="filters" method="get" action="/search" role="search">
          <label>
            Words
            <input type="search" name="q" value={form.q} maxlength={200} />
          </label>
          <label>
            Category
            <select name="category">
              <option value="">Any</option>
              {props.categories.map((c) => (
                <option value={c.slug} selected={form.category === c.slug}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Maker
            <select name="store">
              <option value="">Any</option>
              {props.stores.map((s) => (
                <option value={s.slug} selected={form.store === s.slug}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Min price
            <input name="min" value={form.min} inputmode="numeric" size={5} />
          </label>
          <label>
            Max price
            <input name="max" value={form.max} inputmode="numeric" size={5} />
          </label>
          <label>
            <input type="checkbox" name="in_stock" value="true" checked={form.inStock} /> In stock
          </label>
          <button class="button button-primary" type="submit">
            Search
          </button>
        </form>
        {props.error ? (
          <p class="notice notice-warn" role="status">
            {props.error}
          </p>
        ) : null}
        {form.q && !props.error ? (
          props.results.length ? (
            <ProductGrid
              label="Search results"
              items={props.results.map((r) => ({
                product: r.product,
                store: r.store,
                canSell: productAvailability(r.product, r.store, props.currency).available,
              }))}
            />
          ) : (
            <p class="empty">Nothing matches “{form.q}”. Try fewer words or another spelling.</p>
          )
        ) : null}
      </section>
    </Layout>
  );
}
