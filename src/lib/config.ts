// Typed view of the plain vars in wrangler.toml, parsed once per env object (vars never change in an isolate).
import { AppError } from './errors';

export interface StoreConfig {
  storeName: string;
  currency: string;
  platformFeeBps: number;
  cartTtlDays: number;
  /** Flat shipping rate in minor units; 0 = free shipping. */
  shippingAmount: number;
  automaticTax: boolean;
  production: boolean;
}

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

const parsed = new WeakMap<object, Readonly<StoreConfig>>();

/** Reads the store's configuration from the environment, with the documented defaults. */
export function storeConfig(env: Partial<Env>): StoreConfig {
  let config = parsed.get(env);
  if (!config) {
    config = Object.freeze(readConfig(env));
    parsed.set(env, config);
  }
  return config;
}

function readConfig(env: Partial<Env>): StoreConfig {
  return {
    storeName: env.STORE_NAME || 'Harbor Market',
    currency: (env.CURRENCY || 'usd').toLowerCase(),
    platformFeeBps: Math.min(int(env.PLATFORM_FEE_BPS, 1000, 'PLATFORM_FEE_BPS'), 10_000),
    cartTtlDays: int(env.CART_TTL_DAYS, 365, 'CART_TTL_DAYS') || 365,
    shippingAmount: int(env.SHIPPING_AMOUNT, 0, 'SHIPPING_AMOUNT'),
    automaticTax: env.AUTOMATIC_TAX === 'true',
    production: env.ENVIRONMENT === 'production',
  };
}

/** 500: PUBLIC_URL is missing or not an origin; every absolute URL the app hands out depends on it. */
class PublicUrlError extends AppError {
  constructor(value: string | undefined) {
    const got = value ? `"${value}"` : 'nothing';
    super(
      500,
      'The site is misconfigured',
      `PUBLIC_URL must be the site's origin, e.g. https://shop.example.com (got ${got}).`,
    );
  }
}

const origins = new WeakMap<object, string>();

/**
 * The site's public origin from PUBLIC_URL (`https://shop.example.com`, no path): the one base of every
 * absolute URL we hand out (Stripe return URLs, e-mailed links, the emulator's pages). Never the request's
 * Host, which the client chooses. Throws a PublicUrlError when it is missing or not an http(s) origin.
 */
export function publicOrigin(env: Pick<Env, 'PUBLIC_URL'>): string {
  let origin = origins.get(env);
  if (origin === undefined) {
    origin = parseOrigin(env.PUBLIC_URL);
    origins.set(env, origin);
  }
  return origin;
}

function parseOrigin(value: string | undefined): string {
  let url: URL;
  try {
    url = new URL((value ?? '').trim());
  } catch {
    throw new PublicUrlError(value);
  }
  const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !bare) throw new PublicUrlError(value);
  return url.origin;
}

/** An absolute URL on the public site for `path` (which starts with `/`), from PUBLIC_URL. */
export function absoluteUrl(env: Pick<Env, 'PUBLIC_URL'>, path: string): string {
  return `${publicOrigin(env)}${path.startsWith('/') ? path : `/${path}`}`;
}
