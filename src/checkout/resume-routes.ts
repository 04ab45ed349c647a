// POST /orders/:id/resume: "Complete payment" on a pending order's page (its cart, a signed link or its
// signed-in shopper only). A form goes straight to the new payment page; JSON gets its address.
import { Hono } from 'hono';
import { isForm } from '../lib/http';
import { orderForShopper } from '../orders/access';
import { resumePayment } from './resume';

export const resumeRoutes = new Hono<{ Bindings: Env }>().post('/orders/:id/resume', async (c) => {
  const { order } = await orderForShopper(c, c.req.param('id'));
  const started = await resumePayment(c.env, order.id);
  c.header('cache-control', 'private, no-store');
  if (isForm(c)) return c.redirect(started.url, 303);
  return c.json(started, 201);
});
