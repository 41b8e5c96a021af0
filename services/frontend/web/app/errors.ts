import type { TFunction } from "i18next";
import { ApiError, NetworkError } from "../api/client.js";

/**
 * The services answer `{detail}` in English (wire-compatible strings); passengers get plain language in their
 * own. Known details map to catalogue keys; anything else falls back to a generic message by status.
 */
const KNOWN: Record<string, string> = {
  "Seat already taken": "errors.seatTaken",
  "Ticket already exists": "errors.seatTaken",
  "Seat is held by another passenger": "errors.seatHeld",
  "Hold expired": "errors.holdExpired",
  "Hold not found": "errors.holdExpired",
  "Run has already departed": "errors.departed",
  "Run not found": "errors.runNotFound",
  "Not enough items": "errors.soldOut",
  "No trip in progress": "errors.noTrip",
  "No faces": "errors.noFaces",
  "Too many faces": "errors.tooManyFaces",
  "Image too small": "errors.imageTooSmall",
  "Image too big": "errors.imageTooBig",
  "Invalid image": "errors.invalidImage",
  "Photo too large": "errors.photoTooLarge",
  "Face already exists": "errors.faceExists",
  "Face service unavailable": "errors.unavailable",
  "Store service unavailable": "errors.unavailable",
};

export function describeError(t: TFunction, err: unknown): string {
  if (err instanceof NetworkError) return t("errors.network");
  if (err instanceof ApiError) {
    const key = typeof err.detail === "string" ? KNOWN[err.detail] : undefined;
    if (key) return t(key);
    if (err.status === 401) return t("errors.signedOut");
    if (err.status === 403) return t("errors.forbidden");
    if (err.status === 422) return t("errors.invalid");
    if (err.status === 503) return t("errors.unavailable");
    if (err.status >= 500) return t("errors.server");
    return typeof err.detail === "string" ? err.detail : t("errors.server");
  }
  return t("errors.server");
}
