import { notFound, paginate } from "@rail/common";
import type { Page, PageQuery } from "@rail/common";
import { STATION_ID_MAX } from "../stations/stations.schemas.js";
import { unknownStation } from "../stations/stations.service.js";
import type { DestinationsRepository, PlaceRow } from "./destinations.repository.js";
import type {
  AdminPlaceDto,
  AdminPlacesQuery,
  PlaceInfoCreation,
  PlaceInfoDto,
  PlaceKind,
  PlaceUpdate,
} from "./destinations.schemas.js";

const toDto = (r: PlaceRow): PlaceInfoDto => ({
  id: r.id,
  name: r.name,
  description: r.description,
  logo_url: r.logoUrl,
});

const toAdminDto = (r: PlaceRow): AdminPlaceDto => ({ ...toDto(r), destination_id: r.destinationId });

const notFoundDetail = (kind: PlaceKind) => (kind === "hotel" ? "Hotel not found" : "Attraction not found");

/** Hotels and attractions at destinations (reference 3.2.8, 3.3.6). */
export class DestinationsService {
  constructor(private readonly places: DestinationsRepository) {}

  list(kind: PlaceKind, destinationId: string, page: PageQuery): Promise<Page<PlaceInfoDto>> {
    return paginate(
      page,
      () => this.places.count(kind, destinationId),
      (w) => this.places.list(kind, destinationId, w),
      toDto,
    );
  }

  /** The destination must be a known station id (`SPB`, not "Saint Petersburg"): 422 otherwise. */
  async create(kind: PlaceKind, destinationId: string, input: PlaceInfoCreation): Promise<PlaceInfoDto> {
    // Longer than any station id (the column's size): no need to ask the database.
    if (destinationId.length > STATION_ID_MAX) throw unknownStation(destinationId);
    const place = await this.places.create(kind, destinationId, {
      name: input.name,
      description: input.description,
      logoUrl: input.logo_url,
    });
    if (place === "unknown_destination") throw unknownStation(destinationId);
    return toDto(place);
  }

  /** The engineer's list: every destination (or one), optionally by part of the name, sorted by name. */
  listAll(kind: PlaceKind, query: AdminPlacesQuery): Promise<Page<AdminPlaceDto>> {
    const filter = { destinationId: query.destination_id, name: query.q || undefined };
    return paginate(
      query,
      () => this.places.countWhere(kind, filter),
      (w) => this.places.listWhere(kind, filter, w),
      toAdminDto,
    );
  }

  async get(kind: PlaceKind, id: string): Promise<AdminPlaceDto> {
    const place = await this.places.find(kind, id);
    if (!place) throw notFound(notFoundDetail(kind));
    return toAdminDto(place);
  }

  /** 404 when the place is gone, 422 for an unknown station id; otherwise overwrites it in one statement. */
  async update(kind: PlaceKind, id: string, input: PlaceUpdate): Promise<AdminPlaceDto> {
    const destinationId = input.destination_id;
    if (destinationId !== undefined && destinationId.length > STATION_ID_MAX)
      throw unknownStation(destinationId);
    const place = await this.places.update(kind, id, {
      name: input.name,
      description: input.description,
      logoUrl: input.logo_url,
      ...(destinationId !== undefined ? { destinationId } : {}),
    });
    if (place === "unknown_destination") throw unknownStation(destinationId ?? "");
    if (!place) throw notFound(notFoundDetail(kind));
    return toAdminDto(place);
  }

  /** Idempotent, as in the reference. */
  delete(kind: PlaceKind, id: string): Promise<void> {
    return this.places.delete(kind, id);
  }
}
