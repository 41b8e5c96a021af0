import { HttpError, conflict, notFound } from "@rail/common";
import type { StationRow, StationsRepository } from "./stations.repository.js";
import type { StationCreation, StationDto, StationUpdate } from "./stations.schemas.js";

export const toStationDto = (s: StationRow): StationDto => ({
  id: s.id,
  name_ru: s.nameRu,
  name_en: s.nameEn,
  time_zone: s.timeZone,
});

/** 422 naming the unknown station: what callers get instead of a silently stored free-text id. */
export const unknownStation = (id: string) =>
  new HttpError(422, `Unknown station id: ${id} (see GET /base_api/v1/timetable/stations)`);

export class StationsService {
  constructor(private readonly repository: StationsRepository) {}

  async list(): Promise<StationDto[]> {
    return (await this.repository.list()).map(toStationDto);
  }

  /** The station, or 404. */
  async get(id: string): Promise<StationRow> {
    const station = await this.repository.find(id);
    if (!station) throw notFound("Station not found");
    return station;
  }

  /** Throws 422 `Unknown station id: X` unless every id names a station. */
  async assertKnown(...ids: string[]): Promise<void> {
    const known = await this.repository.existing(ids);
    const missing = ids.find((id) => !known.has(id));
    if (missing !== undefined) throw unknownStation(missing);
  }

  async create(input: StationCreation): Promise<StationDto> {
    const station = await this.repository.create({
      id: input.id,
      nameRu: input.name_ru,
      nameEn: input.name_en,
      timeZone: input.time_zone,
    });
    if (station === "duplicate") throw conflict("Station already exists");
    return toStationDto(station);
  }

  async update(id: string, input: StationUpdate): Promise<StationDto> {
    const updated = await this.repository.update(id, {
      nameRu: input.name_ru,
      nameEn: input.name_en,
      timeZone: input.time_zone,
    });
    if (!updated) throw notFound("Station not found");
    return toStationDto(updated);
  }

  /** Idempotent; a station that trains, tickets, hotels or attractions still name is 409. */
  async delete(id: string): Promise<void> {
    if ((await this.repository.delete(id)) === "in_use")
      throw conflict("Station is in use by trains, tickets, hotels or attractions");
  }
}
