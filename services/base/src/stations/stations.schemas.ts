import { z } from "zod";
import { isTimeZone } from "./local-time.js";

export const STATION_ID_MAX = 60;

/** Station codes as robots use them: upper-case letters, digits and `_`, starting with a letter (`MOSCOW`). */
export const stationIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(STATION_ID_MAX)
  .regex(
    /^[A-Z][A-Z0-9_]*$/,
    "Station ids are upper-case letters, digits and _, starting with a letter (MOSCOW)",
  );

export const timeZoneSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(isTimeZone, "Unknown IANA time zone (e.g. Europe/Moscow)");

const nameSchema = z.string().trim().min(1).max(120);

export const stationSchema = z.object({
  id: z.string(),
  name_ru: z.string(),
  name_en: z.string(),
  time_zone: z.string(),
});
export type StationDto = z.infer<typeof stationSchema>;

export const stationCreationSchema = z.object({
  id: stationIdSchema,
  name_ru: nameSchema,
  name_en: nameSchema,
  time_zone: timeZoneSchema,
});
export type StationCreation = z.infer<typeof stationCreationSchema>;

export const stationUpdateSchema = stationCreationSchema.omit({ id: true }).partial();
export type StationUpdate = z.infer<typeof stationUpdateSchema>;

export const stationParamsSchema = z.object({ station_id: stationIdSchema });
