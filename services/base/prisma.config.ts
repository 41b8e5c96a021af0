import { defineConfig } from "prisma/config";
import { prismaCliConfig } from "@rail/common/prisma";

export default defineConfig(prismaCliConfig("BASE_DATABASE_URL"));
