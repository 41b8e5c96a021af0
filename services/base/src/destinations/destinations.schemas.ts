import { z } from "zod";
import { pageQuerySchema, uuidSchema } from "@rail/common";

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

/** The engineer's view: where the place is, too. */
export const adminPlaceSchema = placeInfoSchema.extend({ destination_id: z.string() });
export type AdminPlaceDto = z.infer<typeof adminPlaceSchema>;

/** PUT overwrites name, description and logo; `destination_id` moves the place to another station when given. */
export const placeUpdateSchema = placeInfoCreationSchema.extend({
  destination_id: z.string().trim().min(1).max(256).optional(),
});
export type PlaceUpdate = z.infer<typeof placeUpdateSchema>;

export const adminPlacesQuerySchema = pageQuerySchema.extend({
  destination_id: z.string().trim().min(1).max(256).optional(),
  /** Part of the name, any case. */
  q: z.string().trim().max(256).optional(),
});
export type AdminPlacesQuery = z.infer<typeof adminPlacesQuerySchema>;

export const destinationParamsSchema = z.object({ destination_id: z.string().trim().min(1).max(256) });
export const hotelIdParamsSchema = z.object({ hotel_id: uuidSchema });
export const attractionIdParamsSchema = z.object({ attraction_id: uuidSchema });

export const PLACE_KINDS = ["hotel", "attraction"] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];
