import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { applyMigrations } from "@rail/common/prisma";
import { describe, expect, test, vi } from "vitest";
import { createDb, type Db } from "../src/db.js";
import { RunsRepository } from "../src/runs/runs.repository.js";
import { RunsService } from "../src/runs/runs.service.js";
import { StationsRepository } from "../src/stations/stations.repository.js";
import { StationsService } from "../src/stations/stations.service.js";
import { TimetableRepository } from "../src/timetable/timetable.repository.js";
import { TimetableService } from "../src/timetable/timetable.service.js";

const SERVICE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const FIRST_MIGRATION = "20261122004434_init";

const withDatabase = (url: string, database: string) => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};

/** Applies only the first (pre-railway) migration, as a database deployed before this change has it. */
async function deployOldSchema(databaseUrl: string) {
  const dir = await mkdtemp(path.join(tmpdir(), "base-old-schema-"));
  try {
    await cp(path.join(SERVICE_DIR, "prisma", "schema.prisma"), path.join(dir, "schema.prisma"));
    for (const entry of [FIRST_MIGRATION, "migration_lock.toml"])
      await cp(path.join(SERVICE_DIR, "prisma", "migrations", entry), path.join(dir, "migrations", entry), {
        recursive: true,
      });
    await promisify(execFile)(
      path.join(SERVICE_DIR, "node_modules", ".bin", "prisma"),
      ["migrate", "deploy", "--schema", path.join(dir, "schema.prisma")],
      { cwd: SERVICE_DIR, env: { ...process.env, DATABASE_URL: databaseUrl } },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const T0 = "2026-05-01T02:00:00Z";
const LONG_PLACE = `Nizhny Novgorod ${"very ".repeat(40)}long`;

/**
 * A database of its own with only the first (pre-railway) migration and rows as the old code wrote them, then
 * every later migration applied: `db` on it, dropped after the file's last test.
 */
const it = test.extend<{ db: Db }>({
  db: [
    // eslint-disable-next-line no-empty-pattern -- vitest fixtures take their dependencies by destructuring
    async ({}, use) => {
      const adminUrl = withDatabase(process.env.BASE_DATABASE_URL!, "postgres");
      const name = `rail_base_migration_${randomBytes(4).toString("hex")}`;
      const url = withDatabase(process.env.BASE_DATABASE_URL!, name);
      const onServer = async (sql: string) => {
        const admin = createDb(adminUrl);
        try {
          await admin.$executeRawUnsafe(sql);
        } finally {
          await admin.$disconnect();
        }
      };
      await onServer(`CREATE DATABASE "${name}"`);
      let db: Db | undefined;
      try {
        await deployOldSchema(url);
        const old = createDb(url);
        // Rows as the old code wrote them: free-text station ids, train runs only as (train_number, start_date).
        for (const statement of [
          `INSERT INTO users (id, name) VALUES
          ('00000000-0000-4000-8000-000000000001', 'Anna'), ('00000000-0000-4000-8000-000000000002', 'Boris')`,
          `INSERT INTO tickets (user_id, train_number, wagon_number, place_number, station_id, destination_id, date,
            start_date, code, used, used_at) VALUES
          ('00000000-0000-4000-8000-000000000001', 1012, 3, 7, 'MOSCOW', 'SPB', '${T0}', '${T0}', repeat('a', 128),
            true, '${T0}'),
          ('00000000-0000-4000-8000-000000000002', 1012, 25, 150, 'MOSCOW', 'SPB', '${T0}', '${T0}', repeat('b', 128),
            false, NULL),
          ('00000000-0000-4000-8000-000000000002', 1012, 4, 1, 'Tver', 'SPB', '2026-05-01T03:40:00Z', '${T0}',
            repeat('c', 128), false, NULL),
          ('00000000-0000-4000-8000-000000000001', 2013, 1, 1, 'Saint Petersburg', 'Moscow', '2026-05-01T06:00:00Z',
            '2026-05-01T06:00:00Z', repeat('d', 128), false, NULL)`,
          `INSERT INTO hotels (name, description, logo_url, destination_id) VALUES
          ('H1', '', '', 'SPB'), ('H2', '', '', 'Saint Petersburg'), ('H3', '', '', 'Kazan'), ('H4', '', '', 'москва')`,
          `INSERT INTO attractions (name, description, logo_url, destination_id) VALUES
          ('A1', '', '', 'SPB'), ('A2', '', '', '${LONG_PLACE}')`,
          `INSERT INTO train_stores (store_id, train_number, train_date) VALUES
          ('10000000-0000-4000-8000-000000000001', 1012, '${T0}'),
          ('10000000-0000-4000-8000-000000000002', 3001, '2026-07-01T00:00:00Z')`,
        ])
          await old.$executeRawUnsafe(statement);
        await old.$disconnect();
        await applyMigrations(SERVICE_DIR, url);
        db = createDb(url);
        await use(db);
      } finally {
        await db?.$disconnect();
        await onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }
    },
    { scope: "file" },
  ],
});

// The first test waits for the fixture (two migration runs on a fresh database): the hook time limit, not 30 s.
vi.setConfig({ testTimeout: 120_000 });

describe("migrations carry a database of the old shape over to the railway model", () => {
  it("loses no row and keeps every ticket's seat, code, use and dates", async ({ db }) => {
    const count = async (table: string) =>
      Number((await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);
    expect(
      await Promise.all(["users", "tickets", "hotels", "attractions", "train_stores"].map(count)),
    ).toEqual([2, 4, 4, 2, 2]);
    const tickets = await db.ticket.findMany({ orderBy: { code: "asc" } });
    expect(
      tickets.map((t) => [
        t.trainNumber,
        t.wagonNumber,
        t.placeNumber,
        t.code[0],
        t.used,
        t.date.toISOString(),
      ]),
    ).toEqual([
      [1012, 3, 7, "a", true, "2026-05-01T02:00:00.000Z"],
      [1012, 25, 150, "b", false, "2026-05-01T02:00:00.000Z"],
      [1012, 4, 1, "c", false, "2026-05-01T03:40:00.000Z"],
      [2013, 1, 1, "d", false, "2026-05-01T06:00:00.000Z"],
    ]);
    expect(tickets[0]!.usedAt?.toISOString()).toBe("2026-05-01T02:00:00.000Z");
  });

  it("maps each (train, start) of tickets and store bindings to one run", async ({ db }) => {
    const tickets = await db.ticket.findMany({ orderBy: { code: "asc" }, include: { run: true } });
    for (const t of tickets) {
      expect(t.run.trainNumber).toBe(t.trainNumber);
      expect(t.run.departure.toISOString()).toBe(t.startDate.toISOString());
    }
    expect(new Set(tickets.slice(0, 3).map((t) => t.runId)).size).toBe(1);
    const bindings = await db.trainStore.findMany({ orderBy: { storeId: "asc" }, include: { run: true } });
    expect(bindings[0]!.runId).toBe(tickets[0]!.runId);
    expect([bindings[1]!.run.trainNumber, bindings[1]!.run.departure.toISOString()]).toEqual([
      3001,
      "2026-07-01T00:00:00.000Z",
    ]);
    // The one-seat-per-run rule holds on the migrated data.
    await expect(
      db.$executeRawUnsafe(
        `INSERT INTO tickets (user_id, run_id, train_number, wagon_number, place_number, station_id, destination_id,
           date, start_date, code)
         SELECT user_id, run_id, train_number, wagon_number, place_number, station_id, destination_id, date,
           start_date, repeat('e', 128) FROM tickets WHERE code = repeat('a', 128)`,
      ),
    ).rejects.toThrow(/tickets_seat_key/);
  });

  it("turns free-text destinations into station codes, keeping the original text as names", async ({
    db,
  }) => {
    const stations = await db.station.findMany({ orderBy: { id: "asc" } });
    const ids = stations.map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining(["MOSCOW", "SPB", "KAZAN", "TVER"]));
    expect(stations.find((s) => s.id === "KAZAN")).toMatchObject({
      nameEn: "Kazan",
      timeZone: "Europe/Moscow",
    });
    const hotels = await db.hotel.findMany({ orderBy: { name: "asc" } });
    expect(hotels.map((h) => h.destinationId)).toEqual(["SPB", "SPB", "KAZAN", "MOSCOW"]);
    const long = (await db.attraction.findFirst({ where: { name: "A2" } }))!;
    expect(long.destinationId).toMatch(/^NIZHNY_NOVGOROD_VERY_VERY/);
    expect(long.destinationId.length).toBeLessThanOrEqual(60);
    const longStation = stations.find((s) => s.id === long.destinationId)!;
    expect(longStation.nameEn).toBe(LONG_PLACE.slice(0, 120));
    const renamed = (await db.ticket.findFirst({ where: { trainNumber: 2013 } }))!;
    expect([renamed.stationId, renamed.destinationId]).toEqual(["SPB", "MOSCOW"]);
  });

  it("gives old trains a route and wagons that fit every sold seat, so the timetable shows their runs", async ({
    db,
  }) => {
    const train = (await db.train.findUnique({
      where: { number: 1012 },
      include: { stops: { orderBy: { position: "asc" } }, wagons: true },
    }))!;
    expect(train.stops.map((s) => [s.stationId, s.departureMinutes])).toEqual([
      ["MOSCOW", 0],
      ["TVER", 100],
      ["SPB", 340],
    ]);
    expect(train.wagons.length).toBe(21);
    expect(train.wagons.find((w) => w.number === 25)!.seats).toBe(150);
    const runs = new RunsService(new RunsRepository(db));
    const timetable = new TimetableService(
      new TimetableRepository(db),
      new StationsService(new StationsRepository(db)),
      runs,
    );
    const offers = await timetable.search({ from: "MOSCOW", to: "SPB", date: "2026-05-01" });
    expect(offers).toHaveLength(1);
    expect(offers[0]).toMatchObject({
      train_number: 1012,
      departure: "2026-05-01T05:00:00+03:00",
      classes: [{ class: "economy", free_seats: 20 * 100 + 150 - 3, total_seats: 20 * 100 + 150 }],
    });
  });
});
