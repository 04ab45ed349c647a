// A vendor's fulfilment: parts to ship (oldest first), shipments with tracking, delivered, and return
// requests to approve or decline, with their history by tab. Thin routes; a vendor reaches only their own
// store's part of an order and their own returns (anything else is 404). Forms get a 303 with a flash, or
// the page again with the reason they were refused; JSON callers get JSON and problem+json.
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { getDb } from '../db/client';
import { storeConfig } from '../lib/config';
import { AppError, NotFoundError } from '../lib/errors';
import { isForm, wantsJson } from '../lib/http';
import { body, validate, type FieldError } from '../lib/input';
import { FulfilmentPage, VendorReturnsPage } from '../fulfilment/pages';
import { partsToFulfil } from '../fulfilment/parts';
import { createShipment, markDelivered, shipmentFormSchema, shipmentSchema } from '../fulfilment/shipments';
import { recentlyShippedParts, withReturnLines } from '../fulfilment/views';
import { renderPage } from '../pages/document';
import {
  approveReturn,
  approveSchema,
  declineReturn,
  declineSchema,
  DEFAULT_RETURNS_PAGE,
  returnsOfStore,
  returnsQuery,
  type ReturnTab,
} from '../fulfilment/returns';
import { requireVendor, type VendorEnv } from './session';

type Ctx = Context<VendorEnv>;

const PRIVATE = 'private, no-store';
const NOTICES: Record<string, string> = {
  shipped: 'Shipment recorded: the shopper has been told.',
  delivered: 'Marked as delivered.',
  approved: 'Return approved: the shopper is being refunded.',
  declined: 'Return declined: the shopper can see your reason.',
};

export const vendorFulfilmentRoutes = new Hono<VendorEnv>();

/** The "to fulfil" page, with a flash or the reason a form was refused. */
async function fulfilmentPage(c: Ctx, error?: { message: string; status: ContentfulStatusCode }) {
  const db = getDb(c.env);
  const [parts, shipped] = await Promise.all([
    partsToFulfil(db, c.var.store.id),
    recentlyShippedParts(db, c.var.store.id),
  ]);
  c.header('cache-control', PRIVATE);
  return renderPage(
    c,
    <FulfilmentPage
      storeName={storeConfig(c.env).storeName}
      shopName={c.var.store.name}
      parts={parts}
      shipped={shipped}
      flash={NOTICES[c.req.query('notice') ?? '']}
      error={error?.message}
    />,
    error?.status,
  );
}

/** Which returns a page shows: a tab, where it starts, how many rows. */
type ReturnsListing = { tab: ReturnTab; before?: string; limit: number };

/** The open returns' first page: what a refused form shows again. */
const OPEN_RETURNS: ReturnsListing = { tab: 'open', limit: DEFAULT_RETURNS_PAGE };

/** The returns page (one tab, one page of it), likewise. */
async function returnsPage(
  c: Ctx,
  error?: { message: string; status: ContentfulStatusCode },
  listing: ReturnsListing = OPEN_RETURNS,
) {
  const db = getDb(c.env);
  const page = await returnsOfStore(db, c.var.store.id, listing);
  c.header('cache-control', PRIVATE);
  return renderPage(
    c,
    <VendorReturnsPage
      storeName={storeConfig(c.env).storeName}
      shopName={c.var.store.name}
      tab={listing.tab}
      returns={await withReturnLines(db, page.rows)}
      next={
        page.nextCursor
          ? {
              cursor: page.nextCursor,
              limit: listing.limit === DEFAULT_RETURNS_PAGE ? undefined : listing.limit,
            }
          : null
      }
      flash={NOTICES[c.req.query('notice') ?? '']}
      error={error?.message}
    />,
    error?.status,
  );
}

type Page = typeof fulfilmentPage;

/** A form's invalid fields: the page again, 422, naming them. */
const invalidOn = (page: Page) => (c: Ctx, errors: FieldError[]) =>
  page(c, { message: errors.map((e) => e.message).join(' '), status: 422 });

/**
 * Runs a form's action: a refusal (409, 422) shows `page` again with the reason and its status; a
 * missing part or request stays the plain 404, and JSON callers get the error as it is.
 */
async function orRefused(c: Ctx, page: Page, action: () => Promise<Response>): Promise<Response> {
  try {
    return await action();
  } catch (err) {
    if (!isForm(c) || !(err instanceof AppError) || err instanceof NotFoundError) throw err;
    return page(c, { message: err.message, status: err.status as ContentfulStatusCode });
  }
}

vendorFulfilmentRoutes.get('/vendor/fulfilment', requireVendor, async (c) => {
  if (!wantsJson(c)) return fulfilmentPage(c);
  c.header('cache-control', PRIVATE);
  return c.json({ parts: await partsToFulfil(getDb(c.env), c.var.store.id) });
});

vendorFulfilmentRoutes.post(
  '/vendor/orders/:orderId/shipments',
  requireVendor,
  body<typeof shipmentSchema, VendorEnv>(['form', 'json'], shipmentSchema, {
    form: shipmentFormSchema,
    invalidForm: invalidOn(fulfilmentPage),
  }),
  (c) =>
    orRefused(c, fulfilmentPage, async () => {
      const { part, shipmentId } = await createShipment(
        c.env,
        c.req.param('orderId'),
        c.var.store.id,
        c.req.valid('json'),
      );
      c.header('cache-control', PRIVATE);
      if (isForm(c)) return c.redirect('/vendor/fulfilment?notice=shipped', 303);
      return c.json({ shipmentId, part }, 201);
    }),
);

vendorFulfilmentRoutes.post('/vendor/orders/:orderId/delivered', requireVendor, (c) =>
  orRefused(c, fulfilmentPage, async () => {
    const part = await markDelivered(c.env, c.req.param('orderId'), c.var.store.id, 'vendor');
    c.header('cache-control', PRIVATE);
    if (isForm(c)) return c.redirect('/vendor/fulfilment?notice=delivered', 303);
    return c.json({ part });
  }),
);

// ------------------------------------------------------------------ returns

vendorFulfilmentRoutes.get('/vendor/returns', requireVendor, validate('query', returnsQuery), async (c) => {
  const { status: tab, cursor, limit } = c.req.valid('query');
  const listing = { tab, before: cursor, limit };
  if (!wantsJson(c)) return returnsPage(c, undefined, listing);
  const page = await returnsOfStore(getDb(c.env), c.var.store.id, listing);
  c.header('cache-control', PRIVATE);
  return c.json({ returns: page.rows, next_cursor: page.nextCursor });
});

/**
 * A vendor's decision on a return request: made by `decide` for this store, then 303 back to the returns
 * page with `notice` for a form, the decided request as JSON for the API; a refusal re-renders the page.
 */
function decideReturn(
  c: Ctx,
  notice: 'approved' | 'declined',
  decide: (id: string, by: { kind: 'vendor'; storeId: string }) => Promise<unknown>,
) {
  return orRefused(c, returnsPage, async () => {
    const decided = await decide(c.req.param('id') ?? '', { kind: 'vendor', storeId: c.var.store.id });
    c.header('cache-control', PRIVATE);
    if (isForm(c)) return c.redirect(`/vendor/returns?notice=${notice}`, 303);
    return c.json({ return: decided });
  });
}

vendorFulfilmentRoutes.post(
  '/vendor/returns/:id/approve',
  requireVendor,
  body<typeof approveSchema, VendorEnv>(['form', 'json', 'empty'], approveSchema),
  (c) => decideReturn(c, 'approved', (id, by) => approveReturn(c.env, id, by, c.req.valid('json').restock)),
);

vendorFulfilmentRoutes.post(
  '/vendor/returns/:id/decline',
  requireVendor,
  body<typeof declineSchema, VendorEnv>(['form', 'json'], declineSchema, {
    invalidForm: invalidOn(returnsPage),
  }),
  (c) => decideReturn(c, 'declined', (id, by) => declineReturn(c.env, id, by, c.req.valid('json').reason)),
);
