// The Stripe emulator as a test file uses it: its control client, with webhook events held until the
// test drains them (tests decide when webhooks arrive).
import { env } from 'cloudflare:workers';
import { beforeAll } from 'vitest';
import { emulatorControl, type EmulatorControl } from '../../emulator/control-client';

/** The emulator for the calling test file. Call at the top of the file: the hold is set in its `beforeAll`. */
export function heldEmulator(): EmulatorControl {
  const emu = emulatorControl(env.STRIPE_EMULATOR!);
  beforeAll(async () => {
    await emu.config({ auto_deliver: false });
  });
  return emu;
}
