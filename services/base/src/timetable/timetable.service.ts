import { HttpError } from "@rail/common";
import type { RunsService } from "../runs/runs.service.js";
import { stopTimes } from "../runs/runs.service.js";
import { isoInZone, localDayRange } from "../stations/local-time.js";
import type { StationsService } from "../stations/stations.service.js";
import { toStationDto } from "../stations/stations.service.js";
import type { WagonClass } from "../trains/trains.schemas.js";
import { WAGON_CLASSES } from "../trains/trains.schemas.js";
import type { TimetableRepository, WagonOccupancy } from "./timetable.repository.js";
import type {
  RunDetailDto,
  RunOfferDto,
  RunSearchQuery,
  RunStoresDto,
  SeatMapDto,
  SeatStatus,
} from "./timetable.schemas.js";

const MINUTE = 60_000;
// The reference fetched at most 50 stores per train run.
export const MAX_RUN_STORES = 50;

/** Free and total seats per wagon class, classes in a fixed order (economy first). */
function seatsByClass(wagons: WagonOccupancy[]) {
  const sums = new Map<WagonClass, { free_seats: number; total_seats: number }>();
  for (const w of wagons) {
    const sum = sums.get(w.class as WagonClass) ?? { free_seats: 0, total_seats: 0 };
    sum.total_seats += w.seats;
    sum.free_seats += Math.max(0, w.seats - w.taken);
    sums.set(w.class as WagonClass, sum);
  }
  return WAGON_CLASSES.filter((c) => sums.has(c)).map((c) => ({ class: c, ...sums.get(c)! }));
}

/** The public timetable: stations' runs between two stations on a date, a run's stops and its seats. */
export class TimetableService {
  constructor(
    private readonly repository: TimetableRepository,
    private readonly stations: Pick<StationsService, "get">,
    private readonly runs: Pick<RunsService, "layout" | "current" | "byDeparture">,
  ) {}

  private async station(id: string) {
    try {
      return await this.stations.get(id);
    } catch {
      throw new HttpError(422, `Unknown station id: ${id} (see GET /base_api/v1/timetable/stations)`);
    }
  }

  /** Runs from `from` to `to` leaving `from` on the local date there, with free seats per class. */
  async search(query: RunSearchQuery): Promise<RunOfferDto[]> {
    if (query.from === query.to) throw new HttpError(422, "from and to must differ");
    const [from, to] = [await this.station(query.from), await this.station(query.to)];
    const { start, end } = localDayRange(query.date, from.timeZone);
    const matches = await this.repository.searchRuns(from.id, to.id, start, end);
    const occupancy = await this.repository.occupancy(matches.map((m) => m.runId));
    return matches.map((m) => {
      const departure = new Date(m.departure.getTime() + m.fromMinutes * MINUTE);
      const arrival = new Date(m.departure.getTime() + m.toMinutes * MINUTE);
      return {
        run_id: m.runId,
        train_number: m.trainNumber,
        from: toStationDto(from),
        to: toStationDto(to),
        departure: isoInZone(departure, from.timeZone),
        arrival: isoInZone(arrival, to.timeZone),
        duration_minutes: m.toMinutes - m.fromMinutes,
        classes: seatsByClass(occupancy.filter((o) => o.runId === m.runId)),
      };
    });
  }

  async detail(runId: string): Promise<RunDetailDto> {
    const run = await this.runs.layout(runId);
    const times = stopTimes(run);
    const occupancy = await this.repository.occupancy([run.id]);
    const last = run.stops.length - 1;
    return {
      run_id: run.id,
      train_number: run.trainNumber,
      departure: isoInZone(run.departure, run.stops[0]?.station.timeZone ?? "UTC"),
      stops: run.stops.map((s, i) => ({
        station: toStationDto(s.station),
        arrival: i === 0 ? null : isoInZone(times[i]!.arrival, s.station.timeZone),
        departure: i === last ? null : isoInZone(times[i]!.departure, s.station.timeZone),
      })),
      wagons: occupancy.map((w) => ({
        number: w.wagonNumber,
        class: w.class as WagonClass,
        seats: w.seats,
        free_seats: Math.max(0, w.seats - w.taken),
      })),
    };
  }

  async seatMap(runId: string): Promise<SeatMapDto> {
    const run = await this.runs.layout(runId);
    const occupied = new Map<string, SeatStatus>();
    for (const p of await this.repository.occupiedPlaces(run.id))
      occupied.set(`${p.wagonNumber}:${p.placeNumber}`, p.status);
    return {
      run_id: run.id,
      train_number: run.trainNumber,
      wagons: run.wagons.map((w) => ({
        number: w.number,
        class: w.class as WagonClass,
        seats: w.seats,
        places: Array.from({ length: w.seats }, (_, i) => ({
          number: i + 1,
          status: occupied.get(`${w.number}:${i + 1}`) ?? ("free" as const),
        })),
      })),
    };
  }

  private async storesOf(run: { id: string; trainNumber: number; departure: Date }): Promise<RunStoresDto> {
    return {
      items: await this.repository.storeIds(run.id, MAX_RUN_STORES),
      run_id: run.id,
      train_number: run.trainNumber,
      train_date: run.departure.toISOString(),
    };
  }

  /** Store ids bound to a run (public: the web shop of a passenger on board). */
  async runStores(runId: string): Promise<RunStoresDto> {
    return this.storesOf(await this.runs.layout(runId));
  }

  /**
   * The robot's `GET /robot/train/{n}/stores`: without a date the train's current run (in progress, else
   * today's next departure); with `train_date` the run departing from the origin at that instant.
   */
  async trainStores(trainNumber: number, trainDate: Date | undefined): Promise<RunStoresDto> {
    const run = trainDate
      ? await this.runs.byDeparture(trainNumber, trainDate)
      : await this.runs.current(trainNumber);
    return this.storesOf(run);
  }
}
