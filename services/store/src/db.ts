import { createPgAdapter, createPgPool, withPgPool, type PgPool } from "@rail/common/prisma";
import { PrismaClient } from "./generated/prisma/client.js";

/** Prisma, plus its pg pool (`$pg`) for the prepared purchase statements (the robot's hot path). */
export type Db = PrismaClient & { readonly $pg: PgPool };

export const createDb = (databaseUrl: string): Db => {
  const pool = createPgPool(databaseUrl);
  return withPgPool(new PrismaClient({ adapter: createPgAdapter(pool) }), pool);
};
