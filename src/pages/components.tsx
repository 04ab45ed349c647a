// Small pieces any page may use; they take props only: prices, pictures, stock notes, listing tables, one-button forms.
import { type Child } from '../lib/jsx/jsx-runtime';
import { formatMoney } from '../lib/money';

const INTERVAL_LABEL: Record<string, string> = { day: 'day', week: 'week', month: 'month', year: 'year' };

/** "$12.00" or "$12.00 / month" for a subscription. */
export function Price(props: { amount: number; currency: string; interval?: string | null; class?: string }) {
  const interval = props.interval ? INTERVAL_LABEL[props.interval] : undefined;
  return (
    <span class={props.class ?? 'price'}>
      {formatMoney(props.amount, props.currency)}
      {interval ? <span class="interval"> / {interval}</span> : null}
    </span>
  );
}

/** The product's picture, or a neutral placeholder. */
export function ProductImage(props: {
  product: { image: string | null; name: string };
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

/**
 * The optional "e-mail for your receipt" field of the cart's checkout form and the pay page: given, checkout
 * reuses the shopper's Stripe Customer; left empty, Stripe asks for it.
 */
export function ReceiptEmailField(props: { id: string; email?: string | null; required?: boolean }) {
  return (
    <div class="field field-email">
      <label for={props.id}>
        E-mail for your receipt{' '}
        <span class="optional">{props.required ? '(needed for a subscription)' : '(optional)'}</span>
      </label>
      <input
        id={props.id}
        name="email"
        type="email"
        autocomplete="email"
        maxlength={254}
        value={props.email ?? ''}
        required={props.required ?? false}
      />
    </div>
  );
}

/**
 * A button that POSTs to `action`: a form of its own (works without JavaScript), with `fields` as hidden
 * inputs. `class` styles the button (default `button`), `formClass` the form.
 */
export function PostButton(props: {
  action: string;
  class?: string;
  formClass?: string;
  fields?: Record<string, string>;
  children?: Child;
}) {
  return (
    <form method="post" action={props.action} class={props.formClass}>
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button class={props.class ?? 'button'} type="submit">
        {props.children}
      </button>
    </form>
  );
}

/**
 * A one-button POST that asks for a reason first (decline a return, cancel a part): the reason is
 * required and at most 1,000 characters, as the routes validate it. `class` styles the button.
 */
export function ReasonButton(props: { action: string; class?: string; children?: Child }) {
  return (
    <form method="post" action={props.action} class="inline">
      <label>
        Reason <input name="reason" required maxlength={1000} />
      </label>{' '}
      <button class={props.class ?? 'button button-small button-ghost'} type="submit">
        {props.children}
      </button>
    </form>
  );
}
