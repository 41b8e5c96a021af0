import type { Db } from "../db.js";
import type { PlaceInfoCreation, PlaceKind } from "./destinations.schemas.js";

type Row = { id: string; name: string; description: string; logoUrl: string };
type Window = { skip: number; take: number };

// Hotels and attractions are two tables of one shape; this picks the table and keeps Prisma's types honest.
const tables = {
  hotel: {
    count: (db: Db, destinationId: string) => db.hotel.count({ where: { destinationId } }),
    list: (db: Db, destinationId: string, w: Window) =>
      db.hotel.findMany({ where: { destinationId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], ...w }),
    create: (db: Db, data: { name: string; description: string; logoUrl: string; destinationId: string }) =>
      db.hotel.create({ data }),
    delete: (db: Db, id: string) => db.hotel.deleteMany({ where: { id } }),
  },
  attraction: {
    count: (db: Db, destinationId: string) => db.attraction.count({ where: { destinationId } }),
    list: (db: Db, destinationId: string, w: Window) =>
      db.attraction.findMany({
        where: { destinationId },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        ...w,
      }),
    create: (db: Db, data: { name: string; description: string; logoUrl: string; destinationId: string }) =>
      db.attraction.create({ data }),
    delete: (db: Db, id: string) => db.attraction.deleteMany({ where: { id } }),
  },
} satisfies Record<PlaceKind, unknown>;

export const destinationRepository = {
  count: (db: Db, kind: PlaceKind, destinationId: string): Promise<number> =>
    tables[kind].count(db, destinationId),
  list: (db: Db, kind: PlaceKind, destinationId: string, w: Window): Promise<Row[]> =>
    tables[kind].list(db, destinationId, w),
  create: (db: Db, kind: PlaceKind, destinationId: string, input: PlaceInfoCreation): Promise<Row> =>
    tables[kind].create(db, {
      name: input.name,
      description: input.description,
      logoUrl: input.logo_url,
      destinationId,
    }),
  async delete(db: Db, kind: PlaceKind, id: string): Promise<void> {
    await tables[kind].delete(db, id);
  },
};
