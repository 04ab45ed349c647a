// Test helpers for the catalog: the demo seed (the same SQL `npm run dev` applies) and small catalogs
// with fresh ids, for tests that need their own products (storage is shared by the tests of a file).
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import demoSql from '../../seed/demo.sql';
import { getDb, schema } from '../../src/db/client';
import { newId } from '../../src/lib/ids';

type NewStore = typeof schema.stores.$inferInsert;
type NewProduct = typeof schema.products.$inferInsert;
export type TestStore = typeof schema.stores.$inferSelect;
export type TestProduct = typeof schema.products.$inferSelect;

/** Ids in seed/demo.sql that tests may rely on. */
export const DEMO = {
  stores: {
    tidewater: 'st_demo_tidewater',
    northwind: 'st_demo_northwind',
    fernThread: 'st_demo_fernthread',
    lantern: 'st_demo_lantern',
  },
  products: {
    /** $28.00, unlimited stock, featured. */
    mug: 'prod_demo_stoneware_mug',
    /** $64.00, 3 in stock. */
    rippleBowl: 'prod_demo_ripple_bowl',
    /** $18.00, unlimited. */
    harborBlend: 'prod_demo_harbor_blend',
    /** $20.00 a month: a subscription. */
    roastersChoice: 'prod_demo_roasters_choice',
    /** $58.00, 2 in stock. */
    indigoScarf: 'prod_demo_indigo_scarf',
    /** $16.00, unlimited. */
    notebook: 'prod_demo_dot_notebook',
    /** Sold out (stock 0). */
    wallCalendar: 'prod_demo_wall_calendar',
  },
} as const;

/** The statements of a SQL file: split on `;` outside quotes, `--` comments dropped. */
function splitSql(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (!quoted && ch === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
      current += '\n';
      continue;
    }
    if (ch === "'") quoted = !quoted; // '' inside a string toggles twice: still quoted
    if (!quoted && ch === ';') {
      if (current.trim()) statements.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}

/** Applies seed/demo.sql (idempotent: safe to call from every test). */
export async function seedDemoCatalog(db: D1Database = env.DB): Promise<void> {
  await db.batch(splitSql(demoSql).map((s) => db.prepare(s)));
}

/** Inserts a store that can sell, with fresh id and slug unless given. */
export async function createStore(overrides: Partial<NewStore> = {}): Promise<TestStore> {
  const id = overrides.id ?? newId('st_test');
  const row: NewStore = {
    id,
    slug: overrides.slug ?? id.replace(/_/g, '-'),
    name: 'Test Studio',
    tagline: 'Made for tests.',
    chargesEnabled: true,
    payoutsEnabled: true,
    detailsSubmitted: true,
    ...overrides,
  };
  const [store] = await getDb(env).insert(schema.stores).values(row).returning();
  return store!;
}

/** Inserts an active one-off product ($10.00 USD, unlimited stock unless given) in `storeId`. */
export async function createProduct(
  storeId: string,
  overrides: Partial<NewProduct> = {},
): Promise<TestProduct> {
  const id = overrides.id ?? newId('prod_test');
  const row: NewProduct = {
    id,
    storeId,
    slug: overrides.slug ?? id.replace(/_/g, '-'),
    name: `Product ${id.slice(-6)}`,
    description: 'A product made for a test.',
    image: null,
    unitAmount: 1000,
    currency: 'usd',
    ...overrides,
  };
  const [product] = await getDb(env).insert(schema.products).values(row).returning();
  return product!;
}

/**
 * A small catalog with fresh ids: one store that can sell with `count` products priced 10.00, 20.00,
 * 30.00, ... (the last with 3 in stock), for tests that change products without touching others'.
 */
export async function createCatalog(
  count = 3,
  storeOverrides: Partial<NewStore> = {},
): Promise<{ store: TestStore; products: TestProduct[] }> {
  const store = await createStore(storeOverrides);
  const products: TestProduct[] = [];
  for (let i = 0; i < count; i++)
    products.push(
      await createProduct(store.id, {
        name: `${store.name} item ${i + 1}`,
        unitAmount: 1000 * (i + 1),
        stock: i === count - 1 ? 3 : null,
      }),
    );
  return { store, products };
}

/** Changes a product in place (price, stock, active...), as a vendor would. */
export async function updateProduct(id: string, changes: Partial<NewProduct>): Promise<void> {
  await getDb(env).update(schema.products).set(changes).where(eq(schema.products.id, id));
}

/** Changes a store in place (e.g. payouts disabled). */
export async function updateStore(id: string, changes: Partial<NewStore>): Promise<void> {
  await getDb(env).update(schema.stores).set(changes).where(eq(schema.stores.id, id));
}
