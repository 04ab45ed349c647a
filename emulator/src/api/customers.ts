// Customers: create, retrieve, update, list, delete.
import { Hono } from 'hono';
import type { Ctx } from '../context';
import { previous } from '../context';
import { noSuch } from '../errors';
import { expandPaths, mergeMetadata, obj, str, type Params } from '../form';
import { newId } from '../ids';
import { createdFilter, list, render } from '../render';
import { stripeRoute, type AppEnv } from '../http';
import type { CustomerObj } from '../types';
import { addressParam, shippingParam } from './payments';

/** Creates a customer and emits `customer.created`. */
export function createCustomer(
  ctx: Ctx,
  fields: {
    email?: string | null;
    name?: string | null;
    phone?: string | null;
    description?: string | null;
    metadata?: Record<string, string>;
    address?: unknown;
    shipping?: unknown;
  },
): CustomerObj {
  const customer: CustomerObj = {
    id: newId('cus', 14),
    object: 'customer',
    address: fields.address ?? null,
    balance: 0,
    created: ctx.now(),
    currency: null,
    default_source: null,
    delinquent: false,
    description: fields.description ?? null,
    discount: null,
    email: fields.email ?? null,
    invoice_prefix: newId('X', 6).slice(2).toUpperCase(),
    invoice_settings: {
      custom_fields: null,
      default_payment_method: null,
      footer: null,
      rendering_options: null,
    },
    livemode: false,
    metadata: fields.metadata ?? {},
    name: fields.name ?? null,
    next_invoice_sequence: 1,
    phone: fields.phone ?? null,
    preferred_locales: [],
    shipping: fields.shipping ?? null,
    tax_exempt: 'none',
    test_clock: null,
  };
  ctx.store.put(customer, ctx.account);
  ctx.emit('customer.created', customer);
  return customer;
}

/** A customer in the request's scope, or Stripe's 404. */
export function getCustomer(ctx: Ctx, id: string, param = 'id'): CustomerObj {
  const c = ctx.store.get<CustomerObj>(id, ctx.account, 'customer');
  if (!c) throw noSuch('customer', id, param);
  return c;
}

function update(ctx: Ctx, p: Params, id: string): unknown {
  const c = getCustomer(ctx, id);
  const keys = ['email', 'name', 'phone', 'description', 'metadata', 'address', 'shipping'].filter(
    (k) => p[k] !== undefined,
  );
  const prev = previous(c, keys);
  for (const k of ['email', 'name', 'phone', 'description'] as const) {
    const v = p[k];
    if (typeof v === 'string') c[k] = v === '' ? null : v;
  }
  c.metadata = mergeMetadata(c.metadata, p);
  if (p.address !== undefined) c.address = addressParam(obj(p, 'address'), 'address');
  if (p.shipping !== undefined) c.shipping = shippingParam(p) ?? null;
  ctx.store.put(c, ctx.account);
  if (keys.length) ctx.emit('customer.updated', c, { previous_attributes: prev });
  return render(ctx, c, expandPaths(p));
}

/** Customers: create, list, retrieve, update, delete. */
export const customerRoutes = new Hono<AppEnv>()
  .post(
    '/v1/customers',
    stripeRoute((ctx, p) =>
      render(
        ctx,
        createCustomer(ctx, {
          email: str(p, 'email'),
          name: str(p, 'name'),
          phone: str(p, 'phone'),
          description: str(p, 'description'),
          metadata: mergeMetadata({}, p),
          address: p.address !== undefined ? addressParam(obj(p, 'address'), 'address') : null,
          shipping: shippingParam(p) ?? null,
        }),
        expandPaths(p),
      ),
    ),
  )
  .get(
    '/v1/customers',
    stripeRoute((ctx, p) =>
      list(
        ctx,
        ctx.store
          .all<CustomerObj>('customer', ctx.account)
          .filter((c) => p.email === undefined || c.email === p.email)
          .filter(createdFilter(p)),
        '/v1/customers',
        p,
        expandPaths(p),
      ),
    ),
  )
  .get(
    '/v1/customers/:id',
    stripeRoute((ctx, p, { id }) => render(ctx, getCustomer(ctx, id!), expandPaths(p))),
  )
  .post(
    '/v1/customers/:id',
    stripeRoute((ctx, p, { id }) => update(ctx, p, id!)),
  )
  .delete(
    '/v1/customers/:id',
    stripeRoute((ctx, _p, { id }) => {
      const c = getCustomer(ctx, id!);
      const deleted = { ...c, deleted: true };
      ctx.store.put({ id: c.id, object: 'deleted_customer', deleted: true }, ctx.account);
      ctx.emit('customer.deleted', deleted);
      return { id: c.id, object: 'customer', deleted: true };
    }),
  );
