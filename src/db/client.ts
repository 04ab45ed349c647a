// The drizzle client over the DB binding. Every domain module gets its database through here.
import { drizzle } from 'drizzle-orm/d1';
import * as schema from './schema';

export type Db = ReturnType<typeof getDb>;

/** A drizzle client for this request's D1 binding. Cheap: it only wraps the binding. */
export function getDb(env: Pick<Env, 'DB'>) {
  return drizzle(env.DB, { schema });
}

export { schema };
