import { defineConfig } from 'prisma/config';

// The datasource URL is only needed by CLI commands that talk to a database (migrate deploy); the app builds
// its own adapter (api/src/db). Migrations live beside the schema in Prisma's folder format.
export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/loupe' },
});
