// Typed view of the plain vars in wrangler.toml, parsed once per env object (vars never change in an isolate).

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
