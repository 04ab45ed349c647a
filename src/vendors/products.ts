// A vendor's own products: the form's rules (zod), and add, edit, hide/show scoped to the vendor's store.
import { invalidateCatalogPages } from '../catalog/page-cache';
import { and, desc, eq, like, or } from 'drizzle-orm';
import * as z from 'zod';
import type { Db } from '../db/client';
import { schema, firstRow } from '../db/client';
import { NotFoundError } from '../lib/errors';
import { newId } from '../lib/ids';
import { minorDigits } from '../lib/money';
import { slugify } from '../catalog/stores';
import { categoryWrite } from '../catalog/categories';
import { nowSeconds } from '../lib/time';
import { fieldText } from '../lib/input';

export type ProductRow = typeof schema.products.$inferSelect;

/** The product form (HTML form strings or JSON values). Prices are typed as decimals ("12.50"). */
export const productFormSchema = z.object({
  name: z.preprocess(
    fieldText,
    z.string().trim().min(1, 'Give the product a name.').max(120, 'At most 120 characters.'),
  ),
  description: z.preprocess(fieldText, z.string().trim().max(2000, 'At most 2000 characters.')),
  price: z.preprocess(
    fieldText,
    z
      .string()
      .trim()
      .regex(/^\d{1,7}(\.\d{1,2})?$/, 'Enter a price like 12.50.'),
  ),
  image: z.preprocess(
    fieldText,
    z
      .string()
      .trim()
      .max(500, 'At most 500 characters.')
      .refine((v) => v === '' || /^https:\/\/[^\s]+$/.test(v) || /^\/[^\s/][^\s]*$/.test(v), {
        error: 'Use an https:// address or a path on this site.',
      }),
  ),
  stock: z.preprocess(
    fieldText,
    z
      .string()
      .trim()
      .regex(/^(\d{1,6})?$/, 'Stock is a whole number (leave it empty for unlimited).'),
  ),
  featured: z.preprocess((v) => v === true || v === 'on' || v === 'true' || v === '1', z.boolean()),
  /** A category slug, '' for none; left out (JSON), the product's category stays as it is. */
  category: z.preprocess(
    (v) => (v === undefined || v === null ? undefined : fieldText(v)),
    z
      .string()
      .trim()
      .regex(/^([a-z0-9][a-z0-9-]{0,79})?$/, 'Choose a category from the list.')
      .optional(),
  ),
});

export interface ProductInput {
  name: string;
  description: string;
  unitAmount: number;
  image: string | null;
  stock: number | null;
  featured: boolean;
  /** The category slug, null for none, undefined to leave it as it is. */
  category?: string | null | undefined;
}

/** "12.50" in `currency` → 1250 minor units, with no float arithmetic. */
export function toMinorUnits(price: string, currency: string): number | null {
  const digits = minorDigits(currency);
  const [whole, frac = ''] = price.split('.');
  if (frac.length > digits) return null;
  return Number(whole) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
}

/** 1250 in `currency` → "12.50" (the form's value). */
export function toDecimal(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(amount);
  const s = String(amount).padStart(digits + 1, '0');
  return `${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** Checks a parsed form against the store's currency; the field errors, or the product input. */
export function productInput(
  form: z.infer<typeof productFormSchema>,
  currency: string,
): { ok: true; input: ProductInput } | { ok: false; errors: { path: string; message: string }[] } {
  const unitAmount = toMinorUnits(form.price, currency);
  if (unitAmount === null || unitAmount <= 0) {
    return {
      ok: false,
      errors: [
        {
          path: 'price',
          message:
            unitAmount === 0 ? 'The price must be above zero.' : `${currency.toUpperCase()} has no cents.`,
        },
      ],
    };
  }
  return {
    ok: true,
    input: {
      name: form.name,
      description: form.description,
      unitAmount,
      image: form.image || null,
      stock: form.stock === '' ? null : Number(form.stock),
      featured: form.featured,
      category: form.category === undefined ? undefined : form.category || null,
    },
  };
}

/** The store's products, newest first, hidden ones included. */
export function listStoreProducts(db: Db, storeId: string): Promise<ProductRow[]> {
  return db
    .select()
    .from(schema.products)
    .where(eq(schema.products.storeId, storeId))
    .orderBy(desc(schema.products.createdAt), desc(schema.products.id));
}

/** One of the store's products, or 404 (another store's product is not yours to see). */
export async function getStoreProduct(db: Db, storeId: string, productId: string): Promise<ProductRow> {
  const row = await firstRow(
    db,
    schema.products,
    and(eq(schema.products.id, productId), eq(schema.products.storeId, storeId)),
  );
  if (!row) throw new NotFoundError('No such product in your shop.');
  return row;
}

async function uniqueProductSlug(db: Db, storeId: string, name: string): Promise<string> {
  const base = slugify(name);
  const taken = new Set(
    (
      await db
        .select({ slug: schema.products.slug })
        .from(schema.products)
        .where(
          and(
            eq(schema.products.storeId, storeId),
            or(eq(schema.products.slug, base), like(schema.products.slug, `${base}-%`)),
          ),
        )
    ).map((r) => r.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** Adds a product to the store, priced in the store's currency and visible at once. */
export async function createProduct(
  db: Db,
  storeId: string,
  currency: string,
  input: ProductInput,
): Promise<ProductRow> {
  const { category, ...columns } = input;
  const id = newId('prod');
  const insert = db
    .insert(schema.products)
    .values({
      id,
      storeId,
      slug: await uniqueProductSlug(db, storeId, input.name),
      currency,
      active: true,
      ...columns,
    })
    .returning();
  const [rows] = category ? await db.batch([insert, categoryWrite(db, id, category)]) : [await insert];
  invalidateCatalogPages();
  return rows[0]!;
}

/** Edits one of the store's products (its slug, and so its address, stays). */
export async function updateProduct(
  db: Db,
  storeId: string,
  productId: string,
  input: ProductInput,
): Promise<ProductRow> {
  const { category, ...columns } = input;
  const update = db
    .update(schema.products)
    .set({ ...columns, updatedAt: nowSeconds() })
    .where(and(eq(schema.products.id, productId), eq(schema.products.storeId, storeId)))
    .returning();
  // The category is written only for a product of this store.
  if (category !== undefined) await getStoreProduct(db, storeId, productId);
  const [rows] =
    category !== undefined
      ? await db.batch([update, categoryWrite(db, productId, category)])
      : [await update];
  const row = rows[0];
  if (!row) throw new NotFoundError('No such product in your shop.');
  invalidateCatalogPages();
  return row;
}

/** Hides (or shows again) one of the store's products: hidden ones can't be bought, carts report them. */
export async function setProductActive(
  db: Db,
  storeId: string,
  productId: string,
  active: boolean,
): Promise<ProductRow> {
  const [row] = await db
    .update(schema.products)
    .set({ active, updatedAt: nowSeconds() })
    .where(and(eq(schema.products.id, productId), eq(schema.products.storeId, storeId)))
    .returning();
  if (!row) throw new NotFoundError('No such product in your shop.');
  invalidateCatalogPages();
  return row;
}
