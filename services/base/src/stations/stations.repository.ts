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

  create(row: StationRow): Promise<StationRow> {
    return this.db.station.create({ data: row });
  }

  /** null when there is no such station. */
  async update(id: string, changes: Partial<Omit<StationRow, "id">>): Promise<StationRow | null> {
    const { count } = await this.db.station.updateMany({ where: { id }, data: changes });
    return count === 0 ? null : this.find(id);
  }

  /** Whether a station was deleted (foreign keys refuse stations still in use). */
  async delete(id: string): Promise<boolean> {
    const { count } = await this.db.station.deleteMany({ where: { id } });
    return count === 1;
  }
}
