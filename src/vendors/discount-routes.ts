// A vendor's own discount codes: list (JSON), create (form or JSON), update (JSON) and deactivate. Every code is funded
// by the signed-in store and limited to its products; the rules live in src/discounts.
import { Hono } from 'hono';
import * as z from 'zod';
import { getDb } from '../db/client';
import { isForm } from '../lib/http';
import { body, validate } from '../lib/input';
import { discountCreateForm, discountCreateSchema, discountPatchSchema } from '../discounts/input';
import { createDiscount, listDiscounts, updateDiscount } from '../discounts/store';
import { requireVendor, type VendorEnv } from './session';

const idParam = z.object({ id: z.string().min(1).max(64) });

export const vendorDiscountRoutes = new Hono<VendorEnv>();

vendorDiscountRoutes
  .get('/vendor/discounts', requireVendor, async (c) =>
    c.json({ discounts: await listDiscounts(getDb(c.env), c.var.store.id) }),
  )
  .post(
    '/vendor/discounts',
    requireVendor,
    body<typeof discountCreateSchema, VendorEnv>(['json', 'form'], discountCreateSchema, {
      form: discountCreateForm,
    }),
    async (c) => {
      const made = await createDiscount(
        getDb(c.env),
        { kind: 'vendor', storeId: c.var.store.id },
        c.req.valid('json'),
      );
      if (isForm(c)) return c.redirect('/vendor?notice=discount-created#discounts-h', 303);
      return c.json({ discount: made }, 201);
    },
  )
  .patch(
    '/vendor/discounts/:id',
    requireVendor,
    validate('param', idParam),
    body<typeof discountPatchSchema, VendorEnv>(['json'], discountPatchSchema),
    async (c) =>
      c.json({
        discount: await updateDiscount(
          getDb(c.env),
          { kind: 'vendor', storeId: c.var.store.id },
          c.req.valid('param').id,
          c.req.valid('json'),
        ),
      }),
  )
  .post('/vendor/discounts/:id/deactivate', requireVendor, validate('param', idParam), async (c) => {
    const made = await updateDiscount(
      getDb(c.env),
      { kind: 'vendor', storeId: c.var.store.id },
      c.req.valid('param').id,
      { active: false },
    );
    if (isForm(c) || c.req.header('accept')?.includes('text/html'))
      return c.redirect('/vendor?notice=discount-deactivated#discounts-h', 303);
    return c.json({ discount: made });
  });
