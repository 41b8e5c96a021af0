import { isForeignKeyViolation, isUniqueViolation } from "@rail/common";
import type { Db } from "../db.js";

export interface StationRow {
  id: string;
  nameRu: string;
  nameEn: string;
  timeZone: string;
}

export class StationsRepository {
  constructor(private readonly db: Db) {}

  list(): Promise<StationRow[]> {
    return this.db.station.findMany({ orderBy: { id: "asc" } });
  }

  find(id: string): Promise<StationRow | null> {
    return this.db.station.findUnique({ where: { id } });
  }

  /** Of `ids`, those that name a station. */
  async existing(ids: string[]): Promise<Set<string>> {
    const rows = await this.db.station.findMany({ where: { id: { in: ids } }, select: { id: true } });
    return new Set(rows.map((r) => r.id));
  }

  /** "duplicate" when a station has that id already. */
  async create(row: StationRow): Promise<StationRow | "duplicate"> {
    try {
      return await this.db.station.create({ data: row });
    } catch (err) {
      if (isUniqueViolation(err)) return "duplicate";
      throw err;
    }
  }

  /** null when there is no such station. */
  async update(id: string, changes: Partial<Omit<StationRow, "id">>): Promise<StationRow | null> {
    const { count } = await this.db.station.updateMany({ where: { id }, data: changes });
    return count === 0 ? null : this.find(id);
  }

  /** Idempotent; "in_use" when trains, tickets, holds, hotels or attractions name it (foreign keys). */
  async delete(id: string): Promise<"in_use" | undefined> {
    try {
      await this.db.station.deleteMany({ where: { id } });
    } catch (err) {
      if (isForeignKeyViolation(err)) return "in_use";
      throw err;
    }
  }
}
