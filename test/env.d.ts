// Bindings that exist only in tests (see vitest.config.ts).
import type { D1Migration } from '@cloudflare/vitest-plugin';

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
    }
  }
  interface Env {
    TEST_MIGRATIONS: D1Migration[];
  }
}
