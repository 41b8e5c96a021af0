import { defineConfig } from "prisma/config";
import { prismaCliConfig } from "@rail/common/prisma";

export default defineConfig(prismaCliConfig("STORE_DATABASE_URL"));
