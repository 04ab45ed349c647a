// The admin's discount codes page: every code with its terms, funder, use count and state, a button to
// deactivate each, and the form to create a platform or vendor code. Props only.
import type { DiscountRow } from '../discounts/pricing';
import { formatMoney } from '../lib/money';
import { DataTable, PostButton } from '../pages/components';
import { AdminLayout } from './pages';

/** What a code takes off, in words: "10% off", "$5.00 off", "+ free shipping". */
function discountTerms(d: Pick<DiscountRow, 'percentOff' | 'amountOff' | 'freeShipping'>, currency: string) {
  const off =
    d.percentOff !== null
      ? `${d.percentOff}% off`
      : d.amountOff !== null
        ? `${formatMoney(d.amountOff, currency)} off`
        : '';
  return [off, d.freeShipping ? 'free shipping' : ''].filter(Boolean).join(' + ');
}

function scopeOf(d: DiscountRow): string {
  if (d.productIds?.length) return `products ${d.productIds.join(', ')}`;
  if (d.storeId) return `store ${d.storeId}`;
  return 'whole cart';
}

/** The list and the create form. */
export function DiscountsPage(props: {
  storeName: string;
  discounts: DiscountRow[];
  error?: string;
  currency?: string;
}) {
  const currency = props.currency ?? 'usd';
  return (
    <AdminLayout title="Discount codes" storeName={props.storeName} current="/admin/discounts">
      <h1>Discount codes</h1>
      {props.error ? (
        <p class="notice notice-error" role="alert">
          {props.error}
        </p>
      ) : null}
      <DataTable columns={['Code', 'Terms', 'Scope', 'Funded by', 'Used', 'State', '']}>
        {props.discounts.map((d) => (
          <tr data-discount-id={d.id}>
            <td>
              <code>{d.code}</code>
            </td>
            <td>{discountTerms(d, currency)}</td>
            <td>{scopeOf(d)}</td>
            <td>{d.fundedBy}</td>
            <td>
              {d.redemptions}
              {d.maxRedemptions !== null ? ` / ${d.maxRedemptions}` : ''}
            </td>
            <td>{d.active ? 'active' : 'inactive'}</td>
            <td>
              {d.active ? (
                <PostButton
                  action={`/admin/discounts/${d.id}/deactivate`}
                  class="button button-small"
                  formClass="inline"
                >
                  Deactivate
                </PostButton>
              ) : null}
            </td>
          </tr>
        ))}
      </DataTable>
      <h2>New code</h2>
      <form method="post" action="/admin/discounts" class="stack">
        <label>
          Code (case-insensitive) <input name="code" required maxlength={64} />
        </label>
        <label>
          Percent off <input name="percentOff" type="number" min={1} max={100} />
        </label>
        <label>
          or amount off (minor units) <input name="amountOff" type="number" min={1} />
        </label>
        <label>
          Funded by{' '}
          <select name="fundedBy">
            <option value="platform">platform (out of the fee)</option>
            <option value="vendor">vendor (out of the store's share)</option>
          </select>
        </label>
        <label>
          Store id (one vendor's products) <input name="storeId" />
        </label>
        <label>
          Product ids (comma-separated) <input name="productIds" />
        </label>
        <label>
          Minimum subtotal (minor units) <input name="minSubtotal" type="number" min={0} />
        </label>
        <label>
          Redemption limit <input name="maxRedemptions" type="number" min={1} />
        </label>
        <label>
          <input name="freeShipping" type="checkbox" /> Free shipping
        </label>
        <label>
          <input name="oncePerCustomer" type="checkbox" /> Once per customer
        </label>
        <button class="button button-primary" type="submit">
          Create
        </button>
      </form>
    </AdminLayout>
  );
}
