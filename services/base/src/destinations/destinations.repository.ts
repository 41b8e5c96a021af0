import { isForeignKeyViolation } from "@rail/common";
import type { Db } from "../db.js";
import type { PlaceKind } from "./destinations.schemas.js";

export interface PlaceRow {
  id: string;
  name: string;
  description: string;
  logoUrl: string;
  destinationId: string;
}

export interface PlaceFilter {
  destinationId?: string;
  /** Part of the name, any case. */
  name?: string;
}

export interface NewPlace {
  name: string;
  description: string;
  logoUrl: string;
}

type Window = { skip: number; take: number };

const ORDER = [{ createdAt: "asc" as const }, { id: "asc" as const }];

const whereOf = (f: PlaceFilter) => ({
  ...(f.destinationId !== undefined ? { destinationId: f.destinationId } : {}),
  ...(f.name ? { name: { contains: f.name, mode: "insensitive" as const } } : {}),
});

/** Hotels and attractions: two tables of one shape; the only code of this feature that touches Prisma. */
export class DestinationsRepository {
  constructor(private readonly db: Db) {}

  count(kind: PlaceKind, destinationId: string): Promise<number> {
    const where = { destinationId };
    return kind === "hotel" ? this.db.hotel.count({ where }) : this.db.attraction.count({ where });
  }

  list(kind: PlaceKind, destinationId: string, window: Window): Promise<PlaceRow[]> {
    const query = { where: { destinationId }, orderBy: ORDER, ...window };
    return kind === "hotel" ? this.db.hotel.findMany(query) : this.db.attraction.findMany(query);
  }

  countWhere(kind: PlaceKind, filter: PlaceFilter): Promise<number> {
    const where = whereOf(filter);
    return kind === "hotel" ? this.db.hotel.count({ where }) : this.db.attraction.count({ where });
  }

  listWhere(kind: PlaceKind, filter: PlaceFilter, window: Window): Promise<PlaceRow[]> {
    const query = {
      where: whereOf(filter),
      orderBy: [{ name: "asc" as const }, { id: "asc" as const }],
      ...window,
    };
    return kind === "hotel" ? this.db.hotel.findMany(query) : this.db.attraction.findMany(query);
  }

  find(kind: PlaceKind, id: string): Promise<PlaceRow | null> {
    const where = { id };
    return kind === "hotel" ? this.db.hotel.findUnique({ where }) : this.db.attraction.findUnique({ where });
  }

  /** One guarded statement: null when the place is gone, "unknown_destination" when the station is unknown. */
  async update(
    kind: PlaceKind,
    id: string,
    fields: NewPlace & { destinationId?: string },
  ): Promise<PlaceRow | null | "unknown_destination"> {
    const where = { id };
    try {
      const { count } = await (kind === "hotel"
        ? this.db.hotel.updateMany({ where, data: fields })
        : this.db.attraction.updateMany({ where, data: fields }));
      return count === 0 ? null : this.find(kind, id);
    } catch (err) {
      if (isForeignKeyViolation(err)) return "unknown_destination";
      throw err;
    }
  }

  /** "unknown_destination" when no station has that id (foreign key). */
  async create(
    kind: PlaceKind,
    destinationId: string,
    place: NewPlace,
  ): Promise<PlaceRow | "unknown_destination"> {
    const data = { ...place, destinationId };
    try {
      return await (kind === "hotel" ? this.db.hotel.create({ data }) : this.db.attraction.create({ data }));
    } catch (err) {
      if (isForeignKeyViolation(err)) return "unknown_destination";
      throw err;
    }
  }

  /** Idempotent. */
  async delete(kind: PlaceKind, id: string): Promise<void> {
    const where = { id };
    await (kind === "hotel" ? this.db.hotel.deleteMany({ where }) : this.db.attraction.deleteMany({ where }));
  }
}
