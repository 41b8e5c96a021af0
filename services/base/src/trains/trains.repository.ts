import { isForeignKeyViolation, isUniqueViolation } from "@rail/common";
import type { Db } from "../db.js";

export interface StopRow {
  position: number;
  stationId: string;
  arrivalMinutes: number;
  departureMinutes: number;
}
export interface WagonRow {
  number: number;
  class: string;
  seats: number;
}
export interface TrainRow {
  number: number;
  name: string;
  stops: StopRow[];
  wagons: WagonRow[];
}

const WITH_LAYOUT = {
  stops: {
    orderBy: { position: "asc" },
    select: { position: true, stationId: true, arrivalMinutes: true, departureMinutes: true },
  },
  wagons: { orderBy: { number: "asc" }, select: { number: true, class: true, seats: true } },
} as const;

export class TrainsRepository {
  constructor(private readonly db: Db) {}

  list(): Promise<TrainRow[]> {
    return this.db.train.findMany({ orderBy: { number: "asc" }, include: WITH_LAYOUT });
  }

  find(number: number): Promise<TrainRow | null> {
    return this.db.train.findUnique({ where: { number }, include: WITH_LAYOUT });
  }

  /** Creates the train with its route and wagons at once; "duplicate" when the number exists. */
  async create(train: TrainRow): Promise<TrainRow | "duplicate"> {
    try {
      return await this.db.train.create({
        data: {
          number: train.number,
          name: train.name,
          stops: { create: train.stops },
          wagons: { create: train.wagons },
        },
        include: WITH_LAYOUT,
      });
    } catch (err) {
      if (isUniqueViolation(err)) return "duplicate";
      throw err;
    }
  }

  /**
   * Replaces name, route and wagons in one transaction, holding the train's row lock. "missing" when there is no
   * such train, "sold" when it has tickets (their seats and stations must keep meaning what they meant).
   */
  replace(train: TrainRow): Promise<TrainRow | "missing" | "sold"> {
    return this.db.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<
        unknown[]
      >`SELECT 1 FROM trains WHERE number = ${train.number} FOR UPDATE`;
      if (locked.length === 0) return "missing" as const;
      if ((await tx.ticket.count({ where: { trainNumber: train.number } })) > 0) return "sold" as const;
      await tx.trainStop.deleteMany({ where: { trainNumber: train.number } });
      await tx.wagon.deleteMany({ where: { trainNumber: train.number } });
      return tx.train.update({
        where: { number: train.number },
        data: { name: train.name, stops: { create: train.stops }, wagons: { create: train.wagons } },
        include: WITH_LAYOUT,
      });
    });
  }

  /** Idempotent; "has_runs" when runs of it exist (foreign key). */
  async delete(number: number): Promise<"has_runs" | undefined> {
    try {
      await this.db.train.deleteMany({ where: { number } });
    } catch (err) {
      if (isForeignKeyViolation(err)) return "has_runs";
      throw err;
    }
  }
}
