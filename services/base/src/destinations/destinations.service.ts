import { paginate } from "@rail/common";
import type { Page, PageQuery } from "@rail/common";
import type { Db } from "../db.js";
import { destinationRepository } from "./destinations.repository.js";
import type { PlaceInfoCreation, PlaceInfoDto, PlaceKind } from "./destinations.schemas.js";

const toDto = (r: { id: string; name: string; description: string; logoUrl: string }): PlaceInfoDto => ({
  id: r.id,
  name: r.name,
  description: r.description,
  logo_url: r.logoUrl,
});

export const listPlaces = (
  db: Db,
  kind: PlaceKind,
  destinationId: string,
  page: PageQuery,
): Promise<Page<PlaceInfoDto>> =>
  paginate(
    page,
    () => destinationRepository.count(db, kind, destinationId),
    (w) => destinationRepository.list(db, kind, destinationId, w),
    toDto,
  );

export const createPlace = async (db: Db, kind: PlaceKind, destinationId: string, input: PlaceInfoCreation) =>
  toDto(await destinationRepository.create(db, kind, destinationId, input));

/** Idempotent, as in the reference. */
export const deletePlace = (db: Db, kind: PlaceKind, id: string) =>
  destinationRepository.delete(db, kind, id);
