import { z } from "zod";
import { uuidSchema } from "@rail/common";

export const keycloakLinkSchema = z.object({ k_id: z.string().trim().min(1).max(255), user_id: uuidSchema });
export const keycloakUnlinkSchema = z.object({
  k_id: z.string().trim().min(1).max(255),
  user_id: uuidSchema.optional(),
});
