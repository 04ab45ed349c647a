// Worker entry: the Hono app for HTTP, the payouts queue consumer, and the cron sweep.
import { app } from './app';
import { handlePayoutBatch, type PayoutMessage } from './payouts/consumer';
import { handleScheduled } from './ops/scheduled';

export { CartObject } from './cart/cart-object';

export default {
  fetch: app.fetch,
  queue: (batch, env) => handlePayoutBatch(batch, env),
  scheduled: (controller, env, ctx) => {
    ctx.waitUntil(handleScheduled(controller, env));
  },
} satisfies ExportedHandler<Env, PayoutMessage>;
