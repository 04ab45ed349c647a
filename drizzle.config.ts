// drizzle-kit: `npm run db:generate` writes SQL migrations for D1 into migrations/.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './migrations',
});
