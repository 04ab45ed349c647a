// Fulfilment views: the vendor's "to fulfil" and returns pages, the shopper's per-vendor parts with
// shipments, tracking, cancel, return and "I received it" forms. Props only.
import { formatUtc } from '../lib/time';
import type { schema } from '../db/client';
import { formatMoney } from '../lib/money';
import { Layout } from '../pages/layout';
import type { PartToFulfil, PartView } from './parts';
import type { ReturnView } from './views';
import { RETURN_TABS, type ReturnTab } from './returns';
import { PostButton } from '../pages/components';

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

/** A part's status in words. */
export const PART_LABEL: Record<PartView['status'], string> = {
  unfulfilled: 'Preparing',
  partially_shipped: 'Partly shipped',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
};

/** A shipment's tracking: a link when the vendor gave an http(s) address, else the number. */
function Tracking(props: { shipment: PartView['shipments'][number]; names?: Map<string, string> }) {
  const s = props.shipment;
  const name = (id: string) => props.names?.get(id) ?? id;
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
      ({s.lines.map((l) => `${l.quantity}× ${name(l.productId)}`).join(', ')})
    </li>
  );
}

type ReturnRow = typeof schema.returnRequests.$inferSelect;

const RETURN_LABEL: Record<ReturnRow['status'], string> = {
  requested: 'Waiting for the seller',
  approved: 'Approved',
  declined: 'Declined',
};

/** Units of each product a part's earlier return requests (not declined) already cover. */
/**
 * A part's lines (shipped of ordered) and its shipments with tracking, as the shopper and the operator see
 * them; `empty` is said when nothing has shipped yet.
 */
export function PartItems(props: { part: PartView; empty?: string }) {
  const { part } = props;
  const names = new Map(part.lines.map((l) => [l.productId, l.name]));
  return (
    <>
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
            <Tracking shipment={s} names={names} />
          ))}
        </ul>
      ) : props.empty ? (
        <p>{props.empty}</p>
      ) : null}
    </>
  );
}

function coveredByReturns(returns: readonly ReturnRow[], storeId: string): Map<string, number> {
  const covered = new Map<string, number>();
  for (const r of returns)
    if (r.storeId === storeId && r.status !== 'declined')
      for (const i of r.items) covered.set(i.productId, (covered.get(i.productId) ?? 0) + i.quantity);
  return covered;
}

/** A cancel button that asks first: a disclosure with an optional reason and the real submit (no JS). */
function CancelDisclosure(props: { action: string; summary: string; confirm: string; hint: string }) {
  return (
    <details class="confirm">
      <summary class="button button-ghost">{props.summary}</summary>
      <form method="post" action={props.action} class="form">
        <p class="hint">{props.hint}</p>
        <div class="field">
          <label>
            Reason (optional)
            <textarea name="reason" rows={2} maxlength={1000}></textarea>
          </label>
        </div>
        <button class="button button-secondary" type="submit">
          {props.confirm}
        </button>
      </form>
    </details>
  );
}

/** The shopper's return form for the shipped units of one part not already asked for. */
function ReturnForm(props: { action: string; part: PartView; covered: Map<string, number> }) {
  const lines = props.part.lines
    .map((l) => ({ ...l, left: l.shipped - (props.covered.get(l.productId) ?? 0) }))
    .filter((l) => l.left > 0);
  if (lines.length === 0) return null;
  return (
    <details class="confirm">
      <summary class="button button-ghost">Return items / ask for a refund</summary>
      <form method="post" action={props.action} class="form">
        <input type="hidden" name="store_id" value={props.part.storeId} />
        {lines.map((l) => (
          <div class="field field-qty">
            <label>
              {l.name} (up to {l.left})
              <input type="number" name={`qty.${l.productId}`} min="0" max={String(l.left)} value="0" />
            </label>
          </div>
        ))}
        <div class="field">
          <label>
            Why are you returning them?
            <textarea name="reason" rows={2} maxlength={1000} required></textarea>
          </label>
        </div>
        <button class="button button-secondary" type="submit">
          Ask for a refund
        </button>
      </form>
    </details>
  );
}

/** The history of an order's return requests and their decisions. */
function ReturnHistory(props: {
  returns: readonly ReturnRow[];
  names: Map<string, string>;
  currency: string;
}) {
  if (props.returns.length === 0) return null;
  return (
    <section class="panel order-returns">
      <h2>Returns</h2>
      <ul>
        {props.returns.map((r) => (
          <li data-return-id={r.id} data-return-status={r.status}>
            <strong>{RETURN_LABEL[r.status]}</strong>:{' '}
            {r.items.map((i) => `${i.quantity}× ${props.names.get(i.productId) ?? i.productId}`).join(', ')} ·{' '}
            {formatMoney(r.amount, props.currency)} · “{r.reason}”
            {r.status === 'approved' ? ` · refund of ${formatMoney(r.amount, props.currency)} issued` : ''}
            {r.status === 'declined' && r.decisionReason ? ` · the seller said: “${r.decisionReason}”` : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The shopper's view of each vendor's part of an order. `actions` adds the forms: cancel a vendor's
 * unshipped items or the whole order (each asks first), return shipped items, "I received it".
 * `query` is appended to every form's action (a signed link's `?t=`, so the forms work from it).
 */
export function OrderParts(props: {
  orderId: string;
  parts: PartView[];
  actions?: boolean;
  returns?: readonly ReturnRow[];
  currency?: string;
  names?: Map<string, string>;
  query?: string;
}) {
  if (props.parts.length === 0) return null;
  const returns = props.returns ?? [];
  const q = props.query ?? '';
  const base = `/orders/${props.orderId}`;
  const nothingShipped =
    props.parts.every((p) => p.shipments.length === 0) && props.parts.some((p) => p.status !== 'cancelled');
  return (
    <>
      <section class="order-parts">
        <h2>Delivery</h2>
        {props.parts.map((part) => (
          <article class="panel order-part" data-store-id={part.storeId} data-part-status={part.status}>
            <h3>
              {part.storeName}: <span class={`status status-${part.status}`}>{PART_LABEL[part.status]}</span>
            </h3>
            {part.cancelReason ? <p>Reason: {part.cancelReason}</p> : null}
            <PartItems part={part} />
            {props.actions && part.status === 'unfulfilled' ? (
              <CancelDisclosure
                action={`${base}/parts/${part.storeId}/cancel${q}`}
                summary="Cancel this vendor's items"
                confirm={`Yes, cancel the items from ${part.storeName}`}
                hint="These items are refunded and the seller is told not to send them."
              />
            ) : null}
            {props.actions && part.status === 'shipped' ? (
              <PostButton action={`${base}/parts/${part.storeId}/received${q}`}>I received it</PostButton>
            ) : null}
            {props.actions ? (
              <ReturnForm
                action={`${base}/returns${q}`}
                part={part}
                covered={coveredByReturns(returns, part.storeId)}
              />
            ) : null}
          </article>
        ))}
        {props.actions && nothingShipped ? (
          <CancelDisclosure
            action={`${base}/cancel${q}`}
            summary="Cancel whole order"
            confirm="Yes, cancel the whole order"
            hint="Nothing has shipped yet: everything is refunded, shipping included."
          />
        ) : null}
      </section>
      <ReturnHistory returns={returns} names={props.names ?? new Map()} currency={props.currency ?? 'usd'} />
    </>
  );
}

/** The vendor's parts to fulfil, oldest first: address, lines with notes, and a shipment form each. */
export function FulfilmentPage(props: {
  storeName: string;
  shopName: string;
  parts: PartToFulfil[];
  /** Parts shipped in full, newest first: tracking, and "Mark delivered" while not yet delivered. */
  shipped?: PartView[];
  flash?: string;
  error?: string;
}) {
  return (
    <Layout title={`${props.shopName} · to fulfil`} storeName={props.storeName}>
      <section class="panel">
        <p class="eyebrow">Vendor dashboard</p>
        <h1>To fulfil</h1>
        <VendorNav current="/vendor/fulfilment" />
        <Flash ok={props.flash} error={props.error} />
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
                <Tracking shipment={s} names={new Map(part.lines.map((l) => [l.productId, l.name]))} />
              ))}
            </ul>
          ) : null}
        </section>
      ))}
      <section class="panel recent-shipments" aria-labelledby="shipped-h">
        <h2 id="shipped-h">Shipped</h2>
        {(props.shipped ?? []).length === 0 ? <p>No shipped orders yet.</p> : null}
        {(props.shipped ?? []).map((part) => (
          <article class="shipped-part" data-order-id={part.orderId} data-part-status={part.status}>
            <h3>
              Order <code>{part.orderId}</code> · {PART_LABEL[part.status]}
              {part.deliveredBy ? ` (by ${part.deliveredBy})` : ''}
            </h3>
            <ul class="shipments">
              {part.shipments.map((s) => (
                <Tracking shipment={s} names={new Map(part.lines.map((l) => [l.productId, l.name]))} />
              ))}
            </ul>
            {part.status === 'shipped' ? (
              <PostButton action={`/vendor/orders/${part.orderId}/delivered`} class="button button-small">
                Mark delivered
              </PostButton>
            ) : null}
          </article>
        ))}
      </section>
    </Layout>
  );
}

/** The vendor area's links: dashboard, parts to fulfil, return requests. */
function VendorNav(props: { current: string }) {
  const links: [string, string][] = [
    ['/vendor', 'Dashboard'],
    ['/vendor/fulfilment', 'Orders to fulfil'],
    ['/vendor/returns', 'Returns'],
  ];
  return (
    <nav aria-label="Vendor" class="vendor-nav">
      {links.map(([href, label], i) => (
        <>
          {i > 0 ? ' · ' : ''}
          <a href={href} aria-current={props.current === href ? 'page' : undefined}>
            {label}
          </a>
        </>
      ))}
    </nav>
  );
}

/** A form's outcome: a flash after a 303, or the reason it was refused. */
function Flash(props: { ok?: string; error?: string }) {
  if (props.error)
    return (
      <p class="notice notice-error" role="alert">
        {props.error}
      </p>
    );
  if (props.ok)
    return (
      <p class="notice notice-ok" role="status">
        {props.ok}
      </p>
    );
  return null;
}

const RETURN_TAB_LABEL: Record<ReturnTab, string> = {
  open: 'Open',
  approved: 'Approved',
  declined: 'Declined',
  all: 'All',
};

const NO_RETURNS: Record<ReturnTab, string> = {
  open: 'No open return requests.',
  approved: 'No approved returns.',
  declined: 'No declined returns.',
  all: 'No returns yet.',
};

/** A tab's address: shareable, the page's own link for each tab. */
const tabHref = (tab: ReturnTab) => `/vendor/returns?status=${tab}`;

/** A moment as its UTC date and time, for people and (in `datetime`) for machines. */
function When(props: { seconds: number }) {
  return (
    <time datetime={new Date(props.seconds * 1000).toISOString()}>
      {formatUtc(props.seconds, 'minute')} UTC
    </time>
  );
}

/** Who decided, as recorded: the vendor (`vendor:<store>`, only ever this one here) or an operator. */
const deciderLabel = (decidedBy: string | null) =>
  decidedBy === 'operator' ? 'the marketplace operator' : decidedBy?.startsWith('vendor:') ? 'you' : null;

/** A decided request: approved (the refund, or why none) or declined (the reason given). */
function Decision(props: { r: ReturnView }) {
  const { r } = props;
  const who = deciderLabel(r.decidedBy);
  const by = (
    <>
      {who ? ` by ${who}` : ''}
      {r.decidedAt ? (
        <>
          {' '}
          on <When seconds={r.decidedAt} />
        </>
      ) : null}
    </>
  );
  if (r.status === 'declined')
    return (
      <p class="decision">
        <strong>Declined</strong>
        {by}. Reason given: “{r.decisionReason ?? ''}”
      </p>
    );
  const refund =
    r.amount <= 0
      ? 'No refund: nothing of the order was left to refund.'
      : r.refundId
        ? `Refunded ${formatMoney(r.amount, r.currency)} to the shopper; your share of it was ${formatMoney(r.vendorAmount, r.currency)}.`
        : `A refund of ${formatMoney(r.amount, r.currency)} is waiting for Stripe; it is retried until it is made.`;
  return (
    <p class="decision">
      <strong>Approved</strong>
      {by}. {refund}
      {r.restock ? ' The units went back in stock.' : ''}
    </p>
  );
}

/** Approve (restock?) or decline an open request. */
function DecisionForms(props: { id: string }) {
  return (
    <div class="actions">
      <form method="post" action={`/vendor/returns/${props.id}/approve`} class="form">
        <div class="field-check">
          <label>
            <input type="checkbox" name="restock" value="on" /> The goods came back: put them back in stock
          </label>
        </div>
        <button class="button" type="submit">
          Approve and refund
        </button>
      </form>
      <form method="post" action={`/vendor/returns/${props.id}/decline`} class="form">
        <div class="field">
          <label>
            Why decline?
            <textarea name="reason" rows={2} maxlength={1000} required></textarea>
          </label>
        </div>
        <button class="button button-secondary" type="submit">
          Decline
        </button>
      </form>
    </div>
  );
}

/**
 * The vendor's return requests, one tab at a time (Open, Approved, Declined, All): lines, amounts, the
 * shopper's reason; open ones with approve (restock?) and decline forms, decided ones with the decision,
 * who made it and when, the reason or the refund. `next` links to the following page.
 */
export function VendorReturnsPage(props: {
  storeName: string;
  shopName: string;
  tab: ReturnTab;
  returns: ReturnView[];
  next: { cursor: string; limit?: number } | null;
  flash?: string;
  error?: string;
}) {
  const next = props.next
    ? `${tabHref(props.tab)}&cursor=${encodeURIComponent(props.next.cursor)}${props.next.limit ? `&limit=${props.next.limit}` : ''}`
    : null;
  return (
    <Layout title={`${props.shopName} · returns`} storeName={props.storeName}>
      <section class="panel">
        <p class="eyebrow">Vendor dashboard</p>
        <h1>Return requests</h1>
        <VendorNav current="/vendor/returns" />
        <nav aria-label="Returns by status" class="tabs">
          {RETURN_TABS.map((tab, i) => (
            <>
              {i > 0 ? ' · ' : ''}
              <a href={tabHref(tab)} aria-current={tab === props.tab ? 'page' : undefined}>
                {RETURN_TAB_LABEL[tab]}
              </a>
            </>
          ))}
        </nav>
        <Flash ok={props.flash} error={props.error} />
        {props.returns.length === 0 ? <p>{NO_RETURNS[props.tab]}</p> : null}
      </section>
      {props.returns.map((r) => (
        <section
          class="panel return-request"
          data-return-id={r.id}
          data-order-id={r.orderId}
          data-return-status={r.status}
        >
          <h2>
            Order <code>{r.orderId}</code> · {r.status === 'requested' ? 'Open' : RETURN_LABEL[r.status]}
          </h2>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Quantity</th>
                <th scope="col">Price</th>
              </tr>
            </thead>
            <tbody>
              {r.lines.map((l) => (
                <tr>
                  <td>{l.name}</td>
                  <td>{l.quantity}</td>
                  <td>{formatMoney(l.unitAmount * l.quantity, r.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {r.status === 'requested' ? (
            <>
              <p>
                Requested on <When seconds={r.createdAt} />. Reason: “{r.reason}” · The shopper gets{' '}
                {formatMoney(r.amount, r.currency)} back; your share of it is{' '}
                {formatMoney(r.vendorAmount, r.currency)}.
              </p>
              <DecisionForms id={r.id} />
            </>
          ) : (
            <>
              <p>
                Requested on <When seconds={r.createdAt} />. The shopper's reason: “{r.reason}”
              </p>
              <Decision r={r} />
            </>
          )}
        </section>
      ))}
      {next ? (
        <nav aria-label="Pages" class="panel pager">
          <a href={next} rel="next">
            Next page
          </a>
        </nav>
      ) : null}
    </Layout>
  );
}

/** A form's action was refused (409, 422): why, and the way back to the page it came from. */
export function ActionRefusedPage(props: {
  storeName: string;
  title: string;
  detail: string;
  back: string;
  backLabel: string;
}) {
  return (
    <Layout title={props.title} storeName={props.storeName}>
      <section class="panel error-page">
        <h1>{props.title}</h1>
        <p class="notice notice-error" role="alert">
          {props.detail}
        </p>
        <p>
          <a class="button" href={props.back}>
            {props.backLabel}
          </a>
        </p>
      </section>
    </Layout>
  );
}
