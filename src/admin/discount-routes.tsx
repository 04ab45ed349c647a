// Operators' discount codes: the JSON API (/admin/api/discounts: list, create, update, deactivate) and
// the admin page with its create form. Mounted behind the admin guard; rules live in src/discounts.
import { Hono, type Context } from 'hono';
import * as z from 'zod';
import { getDb } from '../db/client';
import { storeConfig } from '../lib/config';
import { AppError } from '../lib/errors';
import { body, validate } from '../lib/input';
import { discountCreateForm, discountCreateSchema, discountPatchSchema } from '../discounts/input';
import { createDiscount, getDiscount, listDiscounts, updateDiscount } from '../discounts/store';
import { renderPage } from '../pages/document';
import { DiscountsPage } from './discount-pages';

const ADMIN = { kind: 'admin' } as const;
const idParam = z.object({ id: z.string().min(1).max(64) });

export const adminDiscountRoutes = new Hono<{ Bindings: Env }>();

adminDiscountRoutes
  .get('/admin/api/discounts', async (c) => c.json({ discounts: await listDiscounts(getDb(c.env)) }))
  .post('/admin/api/discounts', body(['json'], discountCreateSchema), async (c) =>
    c.json({ discount: await createDiscount(getDb(c.env), ADMIN, c.req.valid('json')) }, 201),
  )
  .get('/admin/api/discounts/:id', validate('param', idParam), async (c) =>
    c.json({ discount: await getDiscount(getDb(c.env), c.req.valid('param').id) }),
  )
  .patch(
    '/admin/api/discounts/:id',
    validate('param', idParam),
    body(['json'], discountPatchSchema),
    async (c) =>
      c.json({
        discount: await updateDiscount(getDb(c.env), ADMIN, c.req.valid('param').id, c.req.valid('json')),
      }),
  )
  .post('/admin/api/discounts/:id/deactivate', validate('param', idParam), async (c) =>
    c.json({
      discount: await updateDiscount(getDb(c.env), ADMIN, c.req.valid('param').id, { active: false }),
    }),
  )
  .get('/admin/discounts', async (c) => page(c))
  .post(
    '/admin/discounts',
    body(['form'], discountCreateSchema, {
      form: discountCreateForm,
      invalidForm: (c, errors) => page(c, errors.map((e) => `${e.path}: ${e.message}`).join(' '), 422),
    }),
    async (c) => {
      try {
        await createDiscount(getDb(c.env), ADMIN, c.req.valid('json'));
      } catch (err) {
        if (err instanceof AppError) return page(c, err.message, 422);
        throw err;
      }
      return c.redirect('/admin/discounts', 303);
    },
  )
  .post('/admin/discounts/:id/deactivate', validate('param', idParam), async (c) => {
    await updateDiscount(getDb(c.env), ADMIN, c.req.valid('param').id, { active: false });
    return c.redirect('/admin/discounts', 303);
  });

async function page(c: Context<{ Bindings: Env }>, error?: string, status: 200 | 422 = 200) {
  const discounts = await listDiscounts(getDb(c.env));
  return renderPage(
    c,
    <DiscountsPage
      storeName={storeConfig(c.env).storeName}
      currency={storeConfig(c.env).currency}
      discounts={discounts}
      error={error}
    />,
    status,
  );
}
