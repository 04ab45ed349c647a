// Worker entry: the Hono app for HTTP, the queue consumers (payouts and notifications, each with its
// dead-letter queue), and the cron sweep.
import { app } from './app';
import { handleNotificationBatch, isNotificationQueue } from './notifications/consumer';
import type { NotifyMessage } from './notifications/outbox';
import { handlePayoutBatch, type PayoutMessage } from './payouts/consumer';
import { handleScheduled } from './ops/scheduled';

export { CartObject } from './cart/cart-object';

export default {
  fetch: app.fetch,
  queue: (batch, env) =>
    isNotificationQueue(batch.queue)
      ? handleNotificationBatch(batch, env)
      : handlePayoutBatch(batch as MessageBatch<PayoutMessage>, env),
  scheduled: (controller, env, ctx) => {
    ctx.waitUntil(handleScheduled(controller, env));
  },
} satisfies ExportedHandler<Env, PayoutMessage | NotifyMessage>;
