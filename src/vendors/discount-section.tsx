// The vendor dashboard's discount codes: the store's own codes (funded by the store, limited to its
// products) with their use count, a button to deactivate each, and the form to create one. Props only.
import type { DiscountRow } from '../discounts/pricing';
import { formatMoney } from '../lib/money';
import { DataTable, PostButton } from '../pages/components';

function terms(d: DiscountRow, currency: string): string {
  if (d.percentOff !== null) return `${d.percentOff}% off`;
  if (d.amountOff !== null) return `${formatMoney(d.amountOff, currency)} off`;
  return '';
}

/** The section under the dashboard's products. */
export function VendorDiscounts(props: {
  discounts: DiscountRow[];
  products: { id: string; name: string }[];
  currency: string;
  error?: string;
}) {
  return (
    <section class="panel" aria-labelledby="discounts-h">
      <h2 id="discounts-h">Discount codes</h2>
      <p class="hint">
        Codes you create are paid for by your shop (they come out of your payout) and apply only to your
        products. Codes are case-insensitive.
      </p>
      {props.error ? (
        <p class="notice notice-error" role="alert">
          {props.error}
        </p>
      ) : null}
      {props.discounts.length ? (
        <DataTable columns={['Code', 'Terms', 'Products', 'Used', 'State', '']}>
          {props.discounts.map((d) => (
            <tr data-discount-id={d.id}>
              <td>
                <code>{d.code}</code>
              </td>
              <td>{terms(d, props.currency)}</td>
              <td>{d.productIds?.length ? d.productIds.join(', ') : 'all your products'}</td>
              <td>
                {d.redemptions}
                {d.maxRedemptions !== null ? ` / ${d.maxRedemptions}` : ''}
              </td>
              <td>{d.active ? 'active' : 'inactive'}</td>
              <td>
                {d.active ? (
                  <PostButton action={`/vendor/discounts/${d.id}/deactivate`} class="button button-small">
                    Deactivate
                  </PostButton>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p class="empty">No codes yet.</p>
      )}
      <form method="post" action="/vendor/discounts" class="stack">
        <input type="hidden" name="fundedBy" value="vendor" />
        <label>
          Code <input name="code" required maxlength={64} />
        </label>
        <label>
          Percent off <input name="percentOff" type="number" min={1} max={100} />
        </label>
        <label>
          or amount off (cents) <input name="amountOff" type="number" min={1} />
        </label>
        <label>
          Only these product ids (comma-separated, blank = all yours) <input name="productIds" />
        </label>
        <label>
          Minimum (cents) <input name="minSubtotal" type="number" min={0} />
        </label>
        <label>
          Redemption limit <input name="maxRedemptions" type="number" min={1} />
        </label>
        <label>
          <input name="oncePerCustomer" type="checkbox" /> Once per customer
        </label>
        <button class="button button-primary" type="submit">
          Create code
        </button>
      </form>
    </section>
  );
}
