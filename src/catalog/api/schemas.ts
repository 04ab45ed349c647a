// The headless catalog API's zod schemas: the query strings they validate and the JSON they answer. The
// OpenAPI document (spec.ts) is generated from these same schemas, so the two cannot drift apart.
import { pageCursor, pageLimit } from '../../lib/cursor';
import * as z from 'zod';
import { PRODUCT_SORTS } from '../listing';
import { MAX_QUERY_LENGTH } from '../search';

/** Named schemas that become `components.schemas` in the OpenAPI document. */
export const apiSchemas = z.registry<{ id: string; description?: string }>();

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'A slug: lower-case letters, digits and dashes.');
const minorUnits = z
  .string()
  .regex(/^\d{1,9}$/, 'A whole number of minor units (cents), e.g. 2500 for $25.00.')
  .transform(Number);

/** Filters shared by the listing and search. */
const filters = {
  store: slug.optional().meta({ description: "Only this store's products (its slug)." }),
  category: slug.optional().meta({ description: 'Only products in this category (its slug).' }),
  min_price: minorUnits.optional().meta({ description: 'Lowest price, in minor units (inclusive).' }),
  max_price: minorUnits.optional().meta({ description: 'Highest price, in minor units (inclusive).' }),
  in_stock: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .meta({ description: '`true`: only products with at least one unit left.' }),
};

const limit = pageLimit.meta({ description: 'Items per page, 1 to 100 (default 24).' });

/** `GET /api/v1/products` query. */
export const productListQuery = z.object({
  ...filters,
  sort: z.enum(PRODUCT_SORTS).optional().meta({
    description:
      '`featured` (default: featured first, then newest), `newest`, `price_asc`, `price_desc`, `name`.',
  }),
  limit,
  cursor: pageCursor.meta({ description: "The previous page's `nextCursor`, with the same sort." }),
});

/** `GET /api/v1/search` query. */
export const searchQuery = z.object({
  q: z
    .string()
    .trim()
    .min(1, 'Type something to search for.')
    .max(MAX_QUERY_LENGTH, `At most ${MAX_QUERY_LENGTH} characters.`)
    .meta({ description: 'The words to find, each matched as a prefix, accents ignored.' }),
  ...filters,
  limit,
});

/** `:id` of a product. */
export const productParams = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,80}$/, 'A product id.')
    .meta({ description: 'The product id.' }),
});

/** `:slug` of a store. */
export const storeParams = z.object({ slug: slug.meta({ description: "The store's slug." }) });

const categorySchema = z
  .object({ slug: z.string(), name: z.string() })
  .register(apiSchemas, { id: 'Category', description: 'A category of the platform-wide list.' });

const categoryCountSchema = z
  .object({ slug: z.string(), name: z.string(), productCount: z.int().min(0) })
  .register(apiSchemas, {
    id: 'CategoryCount',
    description: 'A category and how many products are listed in it.',
  });

const moneySchema = z
  .object({
    amount: z.int().min(0).meta({ description: 'In minor units of `currency` (cents).' }),
    currency: z.string().meta({ description: 'Lower-case ISO 4217 code.' }),
  })
  .register(apiSchemas, { id: 'Money' });

const storeRefSchema = z
  .object({ id: z.string(), slug: z.string(), name: z.string(), url: z.url() })
  .register(apiSchemas, { id: 'StoreRef', description: 'The store that sells a product.' });

export const productSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    image: z.string().nullable().meta({ description: 'Absolute URL of the picture, or null.' }),
    price: moneySchema,
    recurringInterval: z.enum(['day', 'week', 'month', 'year']).nullable(),
    stock: z.int().nullable().meta({ description: 'Units left; null = unlimited.' }),
    inStock: z.boolean(),
    available: z
      .boolean()
      .meta({ description: 'Whether it can be put in a cart now (see `unavailableReason`).' }),
    unavailableReason: z.string().nullable(),
    featured: z.boolean(),
    category: categorySchema.nullable(),
    store: storeRefSchema,
    url: z.url().meta({ description: 'The product page.' }),
    createdAt: z.int().meta({ description: 'Unix seconds.' }),
    updatedAt: z.int().meta({ description: 'Unix seconds.' }),
  })
  .register(apiSchemas, { id: 'Product' });

export const productListSchema = z
  .object({
    data: z.array(productSchema),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: 'Pass as `cursor` for the next page; null on the last.' }),
  })
  .register(apiSchemas, { id: 'ProductList' });

export const searchResultSchema = z
  .object({ query: z.string(), data: z.array(productSchema) })
  .register(apiSchemas, { id: 'SearchResult', description: 'Matching products, best first.' });

export const storeSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    tagline: z.string(),
    about: z.string(),
    website: z.string().nullable(),
    canSell: z.boolean().meta({ description: 'Whether its products can be bought now.' }),
    url: z.url().meta({ description: 'The shop page.' }),
  })
  .register(apiSchemas, { id: 'Store' });

export const storeListSchema = z
  .object({ data: z.array(storeSchema) })
  .register(apiSchemas, { id: 'StoreList' });

export const storeDetailSchema = storeSchema
  .extend({ categories: z.array(categoryCountSchema) })
  .register(apiSchemas, { id: 'StoreDetail', description: 'A store and the categories of its products.' });

export const categoryListSchema = z
  .object({ data: z.array(categoryCountSchema) })
  .register(apiSchemas, { id: 'CategoryList' });

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .register(apiSchemas, { id: 'Problem', description: 'An error, as RFC 9457 problem details.' });
