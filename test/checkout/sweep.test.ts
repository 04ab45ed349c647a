// The cron's checkout sweep: abandoned attempts are closed at Stripe, their orders canceled, stock back.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { sweepStaleCheckouts } from '../../src/checkout/sweep';
import { getStripe } from '../../src/stripe/client';
import { seedCatalog, stockOf } from '../helpers/checkout-fixtures';
import { ordersOfCart, shopper } from '../helpers/checkout-flow';
import { heldEmulator } from '../helpers/emulator';

heldEmulator();

describe('sweepStaleCheckouts', () => {
  it('cancels an abandoned PaymentIntent and gives its stock back; leaves fresh ones alone', async () => {
    const { products } = await seedCatalog([{ unitAmount: 1000, stock: 3 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!, 2);
    const res = await buyer.fetch('/create-payment-intent', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const { clientSecret } = await res.json<{ clientSecret: string }>();
    expect(await stockOf(products[0]!.id)).toBe(1);

    await sweepStaleCheckouts(env);
    expect((await ordersOfCart(buyer.cartId)).map((o) => o.status)).toEqual(['pending']);

    const twoDaysLater = Math.floor(Date.now() / 1000) + 2 * 24 * 3600;
    expect(await sweepStaleCheckouts(env, twoDaysLater)).toBeGreaterThanOrEqual(1);
    expect((await ordersOfCart(buyer.cartId)).map((o) => o.status)).toEqual(['canceled']);
    expect(await stockOf(products[0]!.id)).toBe(3);
    const pi = await getStripe(env).paymentIntents.retrieve(clientSecret.split('_secret_')[0]!);
    expect(pi.status).toBe('canceled');
  });
});
