import { HttpError, conflict, notFound } from "@rail/common";
import type { StationsService } from "../stations/stations.service.js";
import type { StopRow, TrainRow, TrainsRepository } from "./trains.repository.js";
import type { TrainCreation, TrainDto, TrainUpdate, WagonClass } from "./trains.schemas.js";

const invalid = (detail: string) => new HttpError(422, detail);

export function toTrainDto(t: TrainRow): TrainDto {
  const last = t.stops.length - 1;
  return {
    number: t.number,
    name: t.name,
    stops: t.stops.map((s, i) => ({
      position: s.position,
      station_id: s.stationId,
      arrival_minutes: i === 0 ? null : s.arrivalMinutes,
      departure_minutes: i === last ? null : s.departureMinutes,
    })),
    wagons: t.wagons.map((w) => ({ number: w.number, class: w.class as WagonClass, seats: w.seats })),
  };
}

/**
 * The stored route of a train: the origin leaves at minute 0, every later stop is reached strictly after the
 * previous one is left, a stop's departure defaults to its arrival, and the last stop's departure is its arrival.
 */
export function routeFromInput(stops: TrainUpdate["stops"]): StopRow[] {
  const seen = new Set<string>();
  let previousDeparture = 0;
  return stops.map((stop, position) => {
    if (seen.has(stop.station_id)) throw invalid(`The route visits ${stop.station_id} twice`);
    seen.add(stop.station_id);
    if (position === 0) {
      if ((stop.departure_minutes ?? 0) !== 0) throw invalid("The first stop departs at minute 0");
      return { position, stationId: stop.station_id, arrivalMinutes: 0, departureMinutes: 0 };
    }
    const arrival = stop.arrival_minutes;
    if (arrival === undefined) throw invalid(`Stop ${position} (${stop.station_id}) needs arrival_minutes`);
    if (arrival <= previousDeparture)
      throw invalid(`Stop ${position} (${stop.station_id}) must be reached after the previous stop is left`);
    const departure = position === stops.length - 1 ? arrival : (stop.departure_minutes ?? arrival);
    if (departure < arrival) throw invalid(`Stop ${position} (${stop.station_id}) departs before it arrives`);
    previousDeparture = departure;
    return { position, stationId: stop.station_id, arrivalMinutes: arrival, departureMinutes: departure };
  });
}

export class TrainsService {
  constructor(
    private readonly repository: TrainsRepository,
    private readonly stations: Pick<StationsService, "assertKnown">,
  ) {}

  async list(): Promise<TrainDto[]> {
    return (await this.repository.list()).map(toTrainDto);
  }

  async get(number: number): Promise<TrainDto> {
    const train = await this.repository.find(number);
    if (!train) throw notFound("Train not found");
    return toTrainDto(train);
  }

  private async layout(number: number, input: TrainUpdate): Promise<TrainRow> {
    const stops = routeFromInput(input.stops);
    const numbers = new Set(input.wagons.map((w) => w.number));
    if (numbers.size !== input.wagons.length) throw invalid("Wagon numbers must be unique");
    await this.stations.assertKnown(...stops.map((s) => s.stationId));
    return { number, name: input.name, stops, wagons: input.wagons };
  }

  async create(input: TrainCreation): Promise<TrainDto> {
    const train = await this.repository.create(await this.layout(input.number, input));
    if (train === "duplicate") throw conflict("Train already exists");
    return toTrainDto(train);
  }

  async replace(number: number, input: TrainUpdate): Promise<TrainDto> {
    const result = await this.repository.replace(await this.layout(number, input));
    if (result === "missing") throw notFound("Train not found");
    if (result === "sold") throw conflict("Train has tickets: its route and wagons can no longer change");
    return toTrainDto(result);
  }

  async delete(number: number): Promise<void> {
    if ((await this.repository.delete(number)) === "has_runs")
      throw conflict("Train has runs: delete them first");
  }
}
