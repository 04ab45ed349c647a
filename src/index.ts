// Worker entry: the Hono app for HTTP, the payouts queue consumer, and the cron sweep.
import { app } from './app';

export { CartObject } from './cart/cart-object';

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
