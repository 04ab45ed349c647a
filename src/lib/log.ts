// What may be logged about an error: its class, a code and stack frames, never its message. Messages
// carry data: drizzle's quote the query's parameters (e-mail addresses, tokens), others quote bodies.
import { DrizzleQueryError } from 'drizzle-orm/errors';

/** A code only when it is shaped like one (`D1_ERROR`, `SQLITE_BUSY`), so no free text slips through. */
const CODE = /^[A-Za-z][A-Za-z0-9_.-]{1,63}$/;
const LEADING_CODE = /^([A-Z][A-Z0-9_]{2,63}):/;

/**
 * Library errors that leave `name` as "Error": named here, because the production bundle is minified
 * without `keep_names` (wrangler.toml), so their constructors' names are not theirs any more.
 */
const KNOWN: readonly (readonly [abstract new (...args: never[]) => Error, string])[] = [
  [DrizzleQueryError, 'DrizzleQueryError'],
];

/** The class of an error as a log can name it. */
function nameOf(e: unknown): string {
  if (!(e instanceof Error)) return typeof e;
  if (e.name !== 'Error') return e.name;
  const known = KNOWN.find(([cls]) => e instanceof cls)?.[1];
  if (known) return known;
  // Stripe's SDK errors name their class in `type` (StripeCardError, StripeConnectionError…).
  const type = (e as { type?: unknown }).type;
  return typeof type === 'string' && CODE.test(type) ? type : 'Error';
}

/** Log fields for an error. */
export interface ErrorFields {
  error: string;
  causes?: string[];
  code?: string;
  frames?: string[];
}

/**
 * The fields to log for `err`: its class and its causes' classes, a code (a `code` property or a
 * message's leading `D1_ERROR:`-style prefix, along the cause chain), and the stack frames without the
 * message line.
 */
export function errorFields(err: unknown): ErrorFields {
  const chain: unknown[] = [];
  for (let e: unknown = err; e !== undefined && e !== null && chain.length < 5; e = (e as Error).cause)
    chain.push(e);
  let code: string | undefined;
  for (const e of chain) {
    const own = (e as { code?: unknown }).code;
    if (typeof own === 'string' && CODE.test(own)) code = own;
    else if (e instanceof Error) code = LEADING_CODE.exec(e.message)?.[1];
    if (code) break;
  }
  const frames = err instanceof Error ? err.stack?.split('\n').filter((l) => /^\s+at /.test(l)) : undefined;
  return {
    error: nameOf(err),
    ...(chain.length > 1 ? { causes: chain.slice(1).map(nameOf) } : {}),
    ...(code ? { code } : {}),
    ...(frames?.length ? { frames: frames.slice(0, 8).map((l) => l.trim()) } : {}),
  };
}
