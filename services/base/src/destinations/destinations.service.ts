import { paginate } from "@rail/common";
import type { Page, PageQuery } from "@rail/common";
import { STATION_ID_MAX } from "../stations/stations.schemas.js";
import { unknownStation } from "../stations/stations.service.js";
import type { DestinationsRepository, PlaceRow } from "./destinations.repository.js";
import type { PlaceInfoCreation, PlaceInfoDto, PlaceKind } from "./destinations.schemas.js";

const toDto = (r: PlaceRow): PlaceInfoDto => ({
  id: r.id,
  name: r.name,
  description: r.description,
  logo_url: r.logoUrl,
});

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

  /** Idempotent, as in the reference. */
  delete(kind: PlaceKind, id: string): Promise<void> {
    return this.places.delete(kind, id);
  }
}
