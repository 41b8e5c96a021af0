import { createPgAdapter } from "@rail/common/prisma";
import { PrismaClient } from "./generated/prisma/client.js";

export type Db = PrismaClient;

export const createDb = (databaseUrl: string): Db =>
  new PrismaClient({ adapter: createPgAdapter(databaseUrl) });
