import { defineConfig } from "prisma/config";
import { prismaCliConfig } from "@rail/common/prisma";

export default defineConfig(prismaCliConfig("postgresql://rail:rail@127.0.0.1:55432/rail_base"));
