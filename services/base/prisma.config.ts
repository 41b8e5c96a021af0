import { defineConfig } from "prisma/config";
import { createPgAdapter } from "@rail/common/prisma";

// Offline Prisma: the JS engine with the pg driver adapter, so no engine binaries are downloaded.
export default defineConfig({
  schema: "prisma/schema.prisma",
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => createPgAdapter(process.env.DATABASE_URL ?? "postgresql://rail:rail@127.0.0.1:55432/rail_base"),
});
