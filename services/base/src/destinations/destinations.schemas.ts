import { z } from "zod";
import { uuidSchema } from "@rail/common";

/** Hotels and attractions share one shape (reference `Hotel` / `Attraction`). */
export const placeInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  logo_url: z.string(),
});
export type PlaceInfoDto = z.infer<typeof placeInfoSchema>;

export const placeInfoCreationSchema = z.object({
  name: z.string().trim().min(1).max(256),
  description: z.string().max(1024),
  logo_url: z.string().max(256),
});
export type PlaceInfoCreation = z.infer<typeof placeInfoCreationSchema>;

export const destinationParamsSchema = z.object({ destination_id: z.string().trim().min(1).max(256) });
export const hotelIdParamsSchema = z.object({ hotel_id: uuidSchema });
export const attractionIdParamsSchema = z.object({ attraction_id: uuidSchema });

export const PLACE_KINDS = ["hotel", "attraction"] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];
