import { HttpError, conflict, notFound, paginate, type Page } from "@rail/common";
import { isoInZone, localDayRange, localDate } from "../stations/local-time.js";
import type { RunFilter, RunLayout, RunRow, RunsRepository } from "./runs.repository.js";
import type { RunCreation, RunDto, RunListQuery } from "./runs.schemas.js";

const MINUTE = 60_000;

/** When a run is at one of its stops. */
export interface StopTimes {
  stationId: string;
  position: number;
  arrival: Date;
  departure: Date;
}

/** Arrival and departure instants of a run at each stop of its train's route. */
export const stopTimes = (run: RunLayout): StopTimes[] =>
  run.stops.map((s) => ({
    stationId: s.stationId,
    position: s.position,
    arrival: new Date(run.departure.getTime() + s.arrivalMinutes * MINUTE),
    departure: new Date(run.departure.getTime() + s.departureMinutes * MINUTE),
  }));

/** A passenger's part of a run: boarding at `from`, leaving the train at `to`. */
export interface Journey {
  from: RunLayout["stops"][number];
  to: RunLayout["stops"][number];
  /** Departure from `from`: the ticket's `date`. */
  departure: Date;
  /** Arrival at `to`. */
  arrival: Date;
}

/** The journey from one station to a later one on the run's route, or 422 when the train does not go so. */
export function journeyOf(run: RunLayout, fromId: string, toId: string): Journey {
  const from = run.stops.find((s) => s.stationId === fromId);
  const to = run.stops.find((s) => s.stationId === toId);
  if (!from || !to || to.position <= from.position)
    throw new HttpError(422, `Train ${run.trainNumber} does not go from ${fromId} to ${toId}`);
  return {
    from,
    to,
    departure: new Date(run.departure.getTime() + from.departureMinutes * MINUTE),
    arrival: new Date(run.departure.getTime() + to.arrivalMinutes * MINUTE),
  };
}

/** The run's wagon holding that place, or 422. */
export function assertSeat(run: RunLayout, wagonNumber: number, placeNumber: number): void {
  const wagon = run.wagons.find((w) => w.number === wagonNumber);
  if (!wagon) throw new HttpError(422, `Train ${run.trainNumber} has no wagon ${wagonNumber}`);
  if (placeNumber > wagon.seats)
    throw new HttpError(422, `Wagon ${wagonNumber} of train ${run.trainNumber} has places 1-${wagon.seats}`);
}

export function toRunDto(run: RunLayout): RunDto {
  const first = run.stops[0];
  const last = run.stops[run.stops.length - 1];
  const zone = first?.station.timeZone ?? "UTC";
  return {
    id: run.id,
    train_number: run.trainNumber,
    departure: isoInZone(run.departure, zone),
    arrival: last
      ? isoInZone(new Date(run.departure.getTime() + last.arrivalMinutes * MINUTE), last.station.timeZone)
      : null,
    origin: first?.stationId ?? null,
    terminus: last?.stationId ?? null,
  };
}

/**
 * How a ticket names its run: by id; or by train number and `start_date` (departure from the origin) and/or
 * `date` (departure from the boarding station); or, for the old passenger form, only by `date` at the station.
 */
export interface TicketRunRef {
  run_id?: string;
  train_number?: number;
  start_date?: Date;
  date?: Date;
}

export class RunsService {
  constructor(private readonly repository: RunsRepository) {}

  async create(input: RunCreation): Promise<RunDto[]> {
    const departures = input.departures ?? (input.departure ? [input.departure] : []);
    const runs = await this.repository.createMany(input.train_number, departures);
    if (runs === "unknown_train") throw notFound("Train not found");
    return runs.map(toRunDto);
  }

  list(query: RunListQuery): Promise<Page<RunDto>> {
    const filter: RunFilter = { trainNumber: query.train_number, from: query.from, to: query.to };
    return paginate(
      query,
      () => this.repository.count(filter),
      (w) => this.repository.list(filter, w),
      toRunDto,
    );
  }

  /** The run with its route and wagons, or 404 `Run not found`. */
  async layout(id: string): Promise<RunLayout> {
    const run = await this.repository.findLayout(id);
    if (!run) throw notFound("Run not found");
    return run;
  }

  /** Layouts of several runs (for presenting tickets). */
  layouts(ids: string[]): Promise<RunLayout[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.repository.findLayouts(ids);
  }

  async get(id: string): Promise<RunDto> {
    return toRunDto(await this.layout(id));
  }

  /**
   * The run a ticket names (see TicketRunRef), boarding at `stationId`. Whatever names it must match exactly:
   * an unknown run, or a `date` that is not the run's departure from the station, is 422 with what would match.
   */
  async locate(ref: TicketRunRef, stationId: string): Promise<RunLayout> {
    const run = await this.findRun(ref, stationId);
    if (ref.date !== undefined) {
      const stop = run.stops.find((s) => s.stationId === stationId);
      const leaves = stop && new Date(run.departure.getTime() + stop.departureMinutes * MINUTE);
      if (!leaves) throw new HttpError(422, `Train ${run.trainNumber} does not stop at ${stationId}`);
      if (leaves.getTime() !== ref.date.getTime())
        throw new HttpError(
          422,
          `Train ${run.trainNumber} leaves ${stationId} at ${leaves.toISOString()}, not ${ref.date.toISOString()}`,
        );
    }
    return run;
  }

  private async findRun(ref: TicketRunRef, stationId: string): Promise<RunLayout> {
    if (ref.run_id !== undefined) {
      const run = await this.repository.findLayout(ref.run_id);
      if (!run) throw new HttpError(422, "Run not found");
      return run;
    }
    if (ref.train_number !== undefined && ref.start_date !== undefined) {
      const row = await this.repository.findByTrainDeparture(ref.train_number, ref.start_date);
      if (!row)
        throw new HttpError(
          422,
          `No run of train ${ref.train_number} departs at ${ref.start_date.toISOString()} (see GET /base_api/v1/admin/runs)`,
        );
      return this.layout(row.id);
    }
    if (ref.date === undefined)
      throw new HttpError(422, "Name the run: run_id, or train_number with start_date");
    const candidates = await this.repository.departingAt(stationId, ref.date);
    const layouts = await this.layouts(candidates.map((c) => c.id));
    const matching = layouts.filter(
      (r) => ref.train_number === undefined || r.trainNumber === ref.train_number,
    );
    if (matching.length === 1) return matching[0]!;
    if (matching.length === 0)
      throw new HttpError(
        422,
        `No ${ref.train_number === undefined ? "train" : `run of train ${ref.train_number}`} leaves ${stationId} at ${ref.date.toISOString()} (see GET /base_api/v1/timetable/runs)`,
      );
    throw new HttpError(422, `Several trains leave ${stationId} at ${ref.date.toISOString()}: give run_id`);
  }

  /**
   * The train's current run: the one in progress (left its origin, not yet at its last stop), else the next
   * departure of today (the local date at the origin). 404 when the train is unknown or has neither.
   */
  async current(trainNumber: number, now = new Date()): Promise<RunRow> {
    const origin = await this.repository.trainOrigin(trainNumber);
    if (!origin) throw notFound("Train not found");
    const running = await this.repository.inProgress(trainNumber, now);
    if (running) return running;
    const zone = origin.timeZone ?? "UTC";
    const { end } = localDayRange(localDate(now, zone), zone);
    const next = await this.repository.nextDeparture(trainNumber, now, end);
    if (!next) throw notFound(`Train ${trainNumber} has no run in progress or departing today`);
    return next;
  }

  /** The run of the train departing from its origin at exactly that instant, or 422 naming what is missing. */
  async named(trainNumber: number, departure: Date): Promise<RunRow> {
    const run = await this.repository.findByTrainDeparture(trainNumber, departure);
    if (!run)
      throw new HttpError(
        422,
        `No run of train ${trainNumber} departs at ${departure.toISOString()} (see GET /base_api/v1/admin/runs)`,
      );
    return run;
  }

  /** The run of the train departing from its origin at exactly that instant, or 404. */
  async byDeparture(trainNumber: number, departure: Date): Promise<RunRow> {
    const run = await this.repository.findByTrainDeparture(trainNumber, departure);
    if (!run) throw notFound(`No run of train ${trainNumber} departs at ${departure.toISOString()}`);
    return run;
  }

  /** Idempotent; a run with tickets is 409 (its store bindings and holds go with it). */
  async delete(id: string): Promise<void> {
    if ((await this.repository.delete(id)) === "has_tickets") throw conflict("Run has tickets");
  }
}
