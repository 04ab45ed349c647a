// Fulfilment views: the vendor's "to fulfil" page (one form per part) and the shopper's per-vendor parts
// with shipments and tracking links. Props only.
import { Layout } from '../pages/layout';
import type { PartToFulfil, PartView } from './parts';

/** Shipping as Stripe gives it ({ name, address: { line1, ... } }), as lines of text. */
function addressLines(shipping: unknown): string[] {
  if (!shipping || typeof shipping !== 'object') return [];
  const s = shipping as { name?: unknown; address?: Record<string, unknown> | null };
  const a = s.address ?? {};
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v : null);
  return [
    str(s.name),
    str(a.line1),
    str(a.line2),
    [str(a.postal_code), str(a.city)].filter(Boolean).join(' ') || null,
    [str(a.state), str(a.country)].filter(Boolean).join(', ') || null,
  ].filter((x): x is string => Boolean(x));
}

const PART_LABEL: Record<PartView['status'], string> = {
  unfulfilled: 'Preparing',
  partially_shipped: 'Partly shipped',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
};

/** A shipment's tracking: a link when the vendor gave an http(s) address, else the number. */
function Tracking(props: { shipment: PartView['shipments'][number] }) {
  const s = props.shipment;
  return (
    <li data-shipment-id={s.id}>
      {s.carrier} ·{' '}
      {s.trackingUrl ? (
        <a href={s.trackingUrl} rel="noopener noreferrer nofollow" target="_blank">
          {s.trackingNumber}
        </a>
      ) : (
        <code>{s.trackingNumber}</code>
      )}{' '}
      ({s.lines.map((l) => `${l.quantity}× ${l.productId}`).join(', ')})
    </li>
  );
}

/** The shopper's view of each vendor's part of an order. `actions` adds the "I received it" buttons. */
export function OrderParts(props: { orderId: string; parts: PartView[]; actions?: boolean }) {
  if (props.parts.length === 0) return null;
  return (
    <section class="order-parts">
      <h2>Delivery</h2>
      {props.parts.map((part) => (
        <article class="panel order-part" data-store-id={part.storeId} data-part-status={part.status}>
          <h3>
            {part.storeName}: <span class={`status status-${part.status}`}>{PART_LABEL[part.status]}</span>
          </h3>
          {part.cancelReason ? <p>Reason: {part.cancelReason}</p> : null}
          <ul>
            {part.lines.map((l) => (
              <li>
                {l.name}: {l.shipped} of {l.quantity} shipped
              </li>
            ))}
          </ul>
          {part.shipments.length ? (
            <ul class="shipments">
              {part.shipments.map((s) => (
                <Tracking shipment={s} />
              ))}
            </ul>
          ) : null}
          {props.actions && part.status === 'unfulfilled' ? (
            <form method="post" action={`/orders/${props.orderId}/parts/${part.storeId}/cancel`}>
              <button class="button" type="submit">
                Cancel these items
              </button>
            </form>
          ) : null}
          {props.actions && part.status === 'shipped' ? (
            <form method="post" action={`/orders/${props.orderId}/parts/${part.storeId}/received`}>
              <button class="button" type="submit">
                I received it
              </button>
            </form>
          ) : null}
        </article>
      ))}
    </section>
  );
}

/** The vendor's parts to fulfil, oldest first: address, lines with notes, and a shipment form each. */
export function FulfilmentPage(props: {
  storeName: string;
  shopName: string;
  parts: PartToFulfil[];
  flash?: string;
}) {
  return (
    <Layout title={`${props.shopName} · to fulfil`} storeName={props.storeName}>
      <section class="panel">
        <p class="eyebrow">Vendor dashboard</p>
        <h1>To fulfil</h1>
        {props.flash ? (
          <p class="notice notice-ok" role="status">
            {props.flash}
          </p>
        ) : null}
        {props.parts.length === 0 ? <p>Nothing to ship right now.</p> : null}
      </section>
      {props.parts.map((part) => (
        <section class="panel fulfil-part" data-order-id={part.orderId} data-part-status={part.status}>
          <h2>
            Order <code>{part.orderId}</code> · {PART_LABEL[part.status]}
          </h2>
          <address>
            {addressLines(part.shipping).map((l) => (
              <div>{l}</div>
            ))}
          </address>
          <form method="post" action={`/vendor/orders/${part.orderId}/shipments`}>
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Ordered</th>
                  <th scope="col">Shipped</th>
                  <th scope="col">In this parcel</th>
                </tr>
              </thead>
              <tbody>
                {part.lines.map((l) => (
                  <tr>
                    <td>
                      {l.name}
                      {l.note ? <div class="note">Special request: {l.note}</div> : null}
                    </td>
                    <td>{l.quantity}</td>
                    <td>{l.shipped}</td>
                    <td>
                      <input
                        type="number"
                        name={`qty.${l.productId}`}
                        min="0"
                        max={String(l.quantity - l.shipped)}
                        value={String(l.quantity - l.shipped)}
                        aria-label={`Units of ${l.name} in this parcel`}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <label>
              Carrier <input name="carrier" required maxlength={100} />
            </label>
            <label>
              Tracking number <input name="tracking_number" required maxlength={100} />
            </label>
            <label>
              Tracking link <input name="tracking_url" type="url" maxlength={2000} placeholder="https://" />
            </label>
            <button class="button" type="submit">
              Record shipment
            </button>
          </form>
          {part.shipments.length ? (
            <ul class="shipments">
              {part.shipments.map((s) => (
                <Tracking shipment={s} />
              ))}
            </ul>
          ) : null}
        </section>
      ))}
    </Layout>
  );
}
