// Entry of the Stripe emulator Worker: every request goes to the one Durable Object holding its state.
import type { EmulatorEnv } from './env';

export { StripeEmulator } from './emulator';

export default {
  async fetch(request, env) {
    return env.EMULATOR.get(env.EMULATOR.idFromName('stripe')).fetch(request);
  },
} satisfies ExportedHandler<EmulatorEnv>;
