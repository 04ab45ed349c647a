// The cart API (JSON), its no-JS form twins (POST, then 303 back to the page), the cart page and the
// live WebSocket. Routes parse and validate; the CartObject decides; pricing reads D1.
import { Hono, type Context } from 'hono';
import * as z from 'zod';
import { getDb } from '../db/client';
import { publicOrigin, storeConfig } from '../lib/config';
import { AppError, ConflictError, ForbiddenError, ValidationError } from '../lib/errors';
import { isForm, wantsHtml } from '../lib/http';
import { body, validate } from '../lib/input';
import { readShopperSession } from '../lib/shopper-session';
import { CartPage } from './cart-page';
import { applyDiscountCode, removeDiscountCode } from './discount';
import { applyCodeSchema } from '../discounts/input';
import { lineCountProblem } from './rules';
import { cartStub, emptyCart, failureError, limitsFor, viewCart, type PricedAnswer } from './service';
import { ensureCart } from './session';
import type { CartResult, CartView } from './types';
import { renderPage } from '../pages/document';

type AppContext = Context<{ Bindings: Env }>;

const productId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'productId is not a product id');

/** A form's number field: blank → absent; anything else through Number (so "abc" fails as NaN). */
const formNumber = z.preprocess(
  (v) => (typeof v !== 'string' || v.trim() === '' ? undefined : Number(v)),
  z.number().optional(),
);
/** Where a form post goes back to (checked by safeReturnPath before use). */
const returnTo = z.string().optional();
const needsQtyOrNote = (b: { qty?: number; note?: string }) => b.qty !== undefined || b.note !== undefined;

// Only JSON types are checked here; ranges (qty 0..99, note length, line count) are the object's rules.
const addSchema = z.object({
  productId,
  qty: z.number().default(1),
  note: z.string().optional(),
});
const addForm = z.object({
  productId,
  qty: formNumber.transform((q) => q ?? 1),
  note: z.string().optional(),
  return_to: returnTo,
});
const patchSchema = z
  .object({ qty: z.number().optional(), note: z.string().optional() })
  .refine(needsQtyOrNote, { error: 'Send qty, note or both.' });
/** The form twin of PATCH and DELETE for one line: `_method=delete` removes it. */
const lineForm = z
  .object({
    _method: z.string().optional(),
    qty: formNumber,
    note: z.string().optional(),
    return_to: returnTo,
  })
  .refine((b) => b._method?.toLowerCase() === 'delete' || needsQtyOrNote(b), {
    error: 'Send qty, note or both.',
  });
const emptyForm = z.object({ return_to: returnTo });
/** The cart page's code form. */
const discountForm = applyCodeSchema.extend({ return_to: returnTo });
const lineParam = z.object({ productId });
const replaceSchema = z.object({
  // `price` (and anything else) a client sends per item is dropped: prices come from D1.
  items: z.record(productId, z.object({ qty: z.number(), note: z.string().optional() })),
});

export const cartRoutes = new Hono<{ Bindings: Env }>();

// Carts are personal: never stored by a shared cache, and the same URL answers HTML or JSON.
for (const path of ['/cart', '/cart/*'])
  cartRoutes.use(path, async (c, next) => {
    await next();
    c.res.headers.set('cache-control', 'private, no-store');
    c.res.headers.append('vary', 'Accept, Cookie');
  });

cartRoutes
  /** The cart page for browsers, the priced cart as JSON for everyone else. */
  .get('/cart', async (c) => {
    if (!wantsHtml(c)) {
      // The API's answer, priced and serialised in the cart's object (one call; a new cart is empty).
      const { id, created } = await ensureCart(c);
      const { version, json } = created
        ? { version: 0, json: JSON.stringify(await viewCart(c.env, id, emptyCart(id))) }
        : await cartStub(c.env, id).viewPricedJson();
      c.header('etag', `"${version}"`);
      return c.body(json, 200, { 'content-type': 'application/json' });
    }
    const view = await currentView(c);
    c.header('etag', `"${view.version}"`);
    return renderPage(
      c,
      <CartPage
        view={view}
        config={storeConfig(c.env)}
        checkout={c.req.query('checkout')}
        email={await readShopperSession(c)}
      />,
    );
  })

  /** Whole-cart replacement, only from the version it was based on (If-Match); else 409 and the current cart. */
  .post('/cart', body(['json'], replaceSchema), async (c) => {
    const input = c.req.valid('json');
    const ifVersion = parseIfMatch(c.req.header('if-match'));
    const wanted = Object.entries(input.items).filter(([, item]) => item.qty !== 0);
    const countError = lineCountProblem(wanted.length);
    if (countError) throw failureToValidation(countError, 'items');
    const { id, created } = await ensureCart(c);
    if (ifVersion === null) {
      const view = await viewCart(c.env, id, created ? emptyCart(id) : undefined);
      throw new ConflictError(
        `Send If-Match with the cart version you changed (the cart is at version ${view.version}).`,
        { cart: view },
      );
    }
    const limits = await limitsFor(
      getDb(c.env),
      c.env,
      wanted.map(([pid]) => pid),
    );
    const seen = Object.fromEntries(Object.entries(limits).map(([pid, l]) => [pid, l.unitAmount ?? 0]));
    const result = await cartStub(c.env, id).replace(input.items, ifVersion, seen, limits);
    return answer(c, result);
  })

  /** Empties the cart. */
  .delete('/cart', async (c) => {
    const { id } = await ensureCart(c);
    const state = await cartStub(c.env, id).clear();
    return c.json(await viewCart(c.env, id, state));
  })

  /** Form twin of DELETE /cart. */
  .post('/cart/clear', body(['form'], emptyForm), async (c) => {
    const { id } = await ensureCart(c);
    await cartStub(c.env, id).clear();
    return c.redirect('/cart', 303);
  })

  /** Adds a product (JSON `{ productId, qty, note? }`, or the product page's form). */
  .post('/cart/items', body(['json', 'form'], addSchema, { form: addForm }), async (c) => {
    const input: z.output<typeof addForm> = c.req.valid('json');
    const { id } = await ensureCart(c);
    const priced = await cartStub(c.env, id).addItemPriced(input.productId, input.qty, input.note ?? '');
    // The no-JS pages' form posts get a 303 back; the API gets JSON.
    if (isForm(c)) return redirectBack(c, input.return_to, priced);
    return answer(c, priced);
  })

  /** Sets a line's quantity (0 removes) and/or note. */
  .patch('/cart/items/:productId', validate('param', lineParam), body(['json'], patchSchema), async (c) => {
    return answer(c, await patchLine(c, c.req.valid('param').productId, c.req.valid('json')));
  })

  /** Removes a line (removing a product that is not there changes nothing). */
  .delete('/cart/items/:productId', validate('param', lineParam), async (c) => {
    const { id } = await ensureCart(c);
    return answer(c, await cartStub(c.env, id).removeItem(c.req.valid('param').productId));
  })

  /** Form twin of PATCH/DELETE for one line: `_method=patch` (default) or `_method=delete`. */
  .post('/cart/items/:productId', validate('param', lineParam), body(['form'], lineForm), async (c) => {
    const pid = c.req.valid('param').productId;
    const form = c.req.valid('json');
    if (form._method?.toLowerCase() === 'delete') {
      const { id } = await ensureCart(c);
      return redirectBack(c, form.return_to, await cartStub(c.env, id).removeItem(pid));
    }
    const change = { qty: form.qty, note: form.note };
    return redirectBack(c, form.return_to, await patchLine(c, pid, change));
  })

  /** Enters a discount code (`{ code }`, case-insensitive, surrounding spaces ignored); 422 if it does not apply. */
  .post(
    '/cart/discount',
    body(['json', 'form'], applyCodeSchema, {
      form: discountForm,
      invalidForm: (c, errors) => refusedCode(c, errors.map((e) => e.message).join(' ')),
    }),
    async (c) => {
      const input: z.output<typeof discountForm> = c.req.valid('json');
      const { id } = await ensureCart(c);
      if (isForm(c)) {
        try {
          await applyDiscountCode(c.env, id, input.code);
        } catch (err) {
          // The cart page again, saying why, rather than an error page.
          if (err instanceof ValidationError) return refusedCode(c, err.message);
          throw err;
        }
        return c.redirect(safeReturnPath(input.return_to ?? null) ?? '/cart', 303);
      }
      const view = await applyDiscountCode(c.env, id, input.code);
      c.header('etag', `"${view.version}"`);
      return c.json(view);
    },
  )

  /** Removes the cart's discount code. */
  .delete('/cart/discount', async (c) => {
    const { id } = await ensureCart(c);
    const view = await removeDiscountCode(c.env, id);
    c.header('etag', `"${view.version}"`);
    return c.json(view);
  })

  /** Form twin of DELETE /cart/discount. */
  .post('/cart/discount/remove', body(['form'], emptyForm), async (c) => {
    const { id } = await ensureCart(c);
    await removeDiscountCode(c.env, id);
    return c.redirect(safeReturnPath(c.req.valid('json').return_to ?? null) ?? '/cart', 303);
  })

  /** Live tabs: upgrades to a WebSocket held (hibernating) by the cart's object. */
  .get('/cart/live', async (c) => {
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket')
      throw new AppError(426, 'Upgrade required', 'Connect to /cart/live with a WebSocket.');
    // Browsers send Origin with every WebSocket handshake and SameSite does not guard it: without this
    // check any site could open the visitor's cart socket with their cookie (cross-site WebSocket hijacking).
    if (c.req.header('origin') !== publicOrigin(c.env))
      throw new ForbiddenError('The live cart opens only from this site.');
    const { id } = await ensureCart(c);
    const upstream = await cartStub(c.env, id).fetch(c.req.raw);
    if (!upstream.webSocket)
      throw new AppError(502, 'Upstream error', 'The cart did not accept the WebSocket.');
    // A fresh Response (mutable headers) that carries the cookie of a cart created just now.
    const headers = new Headers();
    for (const cookie of c.res.headers.getSetCookie()) headers.append('set-cookie', cookie);
    return new Response(null, { status: 101, webSocket: upstream.webSocket, headers });
  });

/** The cart page (422) with the reason the code entered in its form was refused; the cart is unchanged. */
async function refusedCode(c: AppContext, message: string): Promise<Response> {
  const view = await currentView(c);
  return renderPage(
    c,
    <CartPage
      view={view}
      config={storeConfig(c.env)}
      email={await readShopperSession(c)}
      discountError={message}
    />,
    422,
  );
}

/** The visitor's priced cart; a cart created by this request is empty without asking its object. */
async function currentView(c: AppContext): Promise<CartView> {
  const { id, created } = await ensureCart(c);
  return viewCart(c.env, id, created ? emptyCart(id) : undefined);
}

async function patchLine(
  c: AppContext,
  pid: string,
  input: { qty?: number; note?: string },
): Promise<PricedAnswer> {
  const { id } = await ensureCart(c);
  return cartStub(c.env, id).setItemPriced(pid, input);
}

/**
 * JSON answer: the new priced cart (its JSON text, when the object already priced it), or the typed
 * error for a refusal.
 */
async function answer(c: AppContext, result: CartResult | PricedAnswer): Promise<Response> {
  if (!result.ok) throw await failureError(c.env, result.error);
  if ('json' in result) {
    c.header('etag', `"${result.version}"`);
    return c.body(result.json, 200, { 'content-type': 'application/json' });
  }
  c.header('etag', `"${result.cart.version}"`);
  return c.json(await viewCart(c.env, result.cart.id, result.cart));
}

/** Form answer: 303 back to the page the form came from; a refusal renders as the error page. */
async function redirectBack(
  c: AppContext,
  returnPath: string | undefined,
  result: CartResult | PricedAnswer,
): Promise<Response> {
  if (!result.ok) throw await failureError(c.env, result.error);
  return c.redirect(safeReturnPath(returnPath ?? null) ?? '/cart', 303);
}

/** `If-Match: 7`, `"7"` or `W/"7"` → 7; absent or unreadable → null. */
function parseIfMatch(header: string | undefined): number | null {
  if (!header) return null;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  return match ? Number(match[1]) : null;
}

/** A same-origin path to go back to, or null: never an absolute or protocol-relative URL (open redirect). */
export function safeReturnPath(value: string | null): string | null {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return null;
  const base = 'http://return.invalid';
  const url = new URL(value, base);
  if (url.origin !== base) return null;
  // What is returned is checked, not only what came in: `/..//evil.example` normalises to `//evil.example`.
  const path = url.pathname + url.search;
  return /^\/(?![/\\])/.test(path) ? path : null;
}

function failureToValidation(message: string, path: string) {
  return new ValidationError(message, { errors: [{ path, message }] });
}
