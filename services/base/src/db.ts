import { createPgAdapter, createPgPool, withPgPool, type PgPool } from "@rail/common/prisma";
import { PrismaClient } from "./generated/prisma/client.js";

/** Prisma, plus its pg pool (`$pg`) for the prepared queries of the robot's hot paths (tickets, users). */
export type Db = PrismaClient & { readonly $pg: PgPool };

export const createDb = (databaseUrl: string): Db => {
  const pool = createPgPool(databaseUrl);
  return withPgPool(new PrismaClient({ adapter: createPgAdapter(pool) }), pool);
};
