// A vendor's fulfilment: parts to ship (oldest first), shipments with tracking, delivered. Thin routes;
// a vendor reaches only their own store's part of an order (anything else is 404).
import { Hono } from 'hono';
import { getDb } from '../db/client';
import { storeConfig } from '../lib/config';
import { isForm, wantsJson } from '../lib/http';
import { body } from '../lib/input';
import { FulfilmentPage } from '../fulfilment/pages';
import { partsToFulfil } from '../fulfilment/parts';
import { createShipment, markDelivered, shipmentFormSchema, shipmentSchema } from '../fulfilment/shipments';
import { renderPage } from '../pages/document';
import {
  approveReturn,
  approveSchema,
  declineReturn,
  declineSchema,
  openReturnsOfStore,
} from '../fulfilment/returns';
import { requireVendor, type VendorEnv } from './session';

const PRIVATE = 'private, no-store';
const NOTICES: Record<string, string> = {
  shipped: 'Shipment recorded: the shopper has been told.',
  delivered: 'Marked as delivered.',
};

export const vendorFulfilmentRoutes = new Hono<VendorEnv>();

vendorFulfilmentRoutes.get('/vendor/fulfilment', requireVendor, async (c) => {
  const parts = await partsToFulfil(getDb(c.env), c.var.store.id);
  c.header('cache-control', PRIVATE);
  if (wantsJson(c)) return c.json({ parts });
  return renderPage(
    c,
    <FulfilmentPage
      storeName={storeConfig(c.env).storeName}
      shopName={c.var.store.name}
      parts={parts}
      flash={NOTICES[c.req.query('notice') ?? '']}
    />,
  );
});

vendorFulfilmentRoutes.post(
  '/vendor/orders/:orderId/shipments',
  requireVendor,
  body<typeof shipmentSchema, VendorEnv>(['form', 'json'], shipmentSchema, { form: shipmentFormSchema }),
  async (c) => {
    const { part, shipmentId } = await createShipment(
      c.env,
      c.req.param('orderId'),
      c.var.store.id,
      c.req.valid('json'),
    );
    c.header('cache-control', PRIVATE);
    if (isForm(c)) return c.redirect('/vendor/fulfilment?notice=shipped', 303);
    return c.json({ shipmentId, part }, 201);
  },
);

vendorFulfilmentRoutes.post('/vendor/orders/:orderId/delivered', requireVendor, async (c) => {
  const part = await markDelivered(c.env, c.req.param('orderId'), c.var.store.id, 'vendor');
  c.header('cache-control', PRIVATE);
  if (isForm(c)) return c.redirect('/vendor/fulfilment?notice=delivered', 303);
  return c.json({ part });
});

// ------------------------------------------------------------------ returns

vendorFulfilmentRoutes.get('/vendor/returns', requireVendor, async (c) => {
  c.header('cache-control', PRIVATE);
  return c.json({ returns: await openReturnsOfStore(getDb(c.env), c.var.store.id) });
});

vendorFulfilmentRoutes.post(
  '/vendor/returns/:id/approve',
  requireVendor,
  body<typeof approveSchema, VendorEnv>(['form', 'json', 'empty'], approveSchema),
  async (c) => {
    const decided = await approveReturn(
      c.env,
      c.req.param('id'),
      { kind: 'vendor', storeId: c.var.store.id },
      c.req.valid('json').restock,
    );
    c.header('cache-control', PRIVATE);
    return c.json({ return: decided });
  },
);

vendorFulfilmentRoutes.post(
  '/vendor/returns/:id/decline',
  requireVendor,
  body<typeof declineSchema, VendorEnv>(['form', 'json'], declineSchema),
  async (c) => {
    const decided = await declineReturn(
      c.env,
      c.req.param('id'),
      { kind: 'vendor', storeId: c.var.store.id },
      c.req.valid('json').reason,
    );
    c.header('cache-control', PRIVATE);
    return c.json({ return: decided });
  },
);
