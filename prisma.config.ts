import { defineConfig } from "prisma/config";

// Used by the Prisma CLI only (`prisma generate`, and `prisma migrate deploy` where the schema engine exists).
// The bot itself connects through a driver adapter (src/db/client.ts) and applies migrations with its own runner.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
