import { randomBytes } from "node:crypto";
import { describe, expect, vi } from "vitest";
import { HttpError } from "@rail/common";
import { test } from "../../test/fixtures.js";
import { seedTrain } from "../../test/railway.js";
import { TripShopRepository, type TripRow } from "./trip-shop.repository.js";
import { TripShopService } from "./trip-shop.service.js";

const MINUTE = 60_000;
const STORE = "0b8f5c0e-4a55-4a43-9f41-5b3f6f0d2a11";
const OTHER_STORE = "7d1f9d7e-2a0b-4a43-9f41-5b3f6f0d2a22";
const now = new Date("2026-12-01T10:00:00Z");

interface TripSetup {
  repo: TripShopRepository;
  userId: string;
  /** The passenger's ticket on the run under way (the other two: one arrived, one later). */
  onBoard: string;
}

/**
 * The file's database with train 1012 (a run under way, one arrived, one later), a passenger with a ticket on
 * each and a store bound to the run under way. (The rules tests below ask for none of it.)
 */
const it = test.extend<{ trip: TripSetup }>({
  trip: [
    async ({ ctx }, use) => {
      const db = ctx.db;
      const departed = new Date(Date.now() - 30 * MINUTE).toISOString();
      const arrived = new Date(Date.now() - 300 * MINUTE).toISOString();
      const later = new Date(Date.now() + 2 * 24 * 60 * MINUTE).toISOString();
      const runs = await seedTrain(db, { number: 1012, departures: [departed, arrived, later] });
      const userId = (await db.user.create({ data: { name: "Trip Tester" } })).id;
      const ticket = (departure: string, place: number) =>
        db.ticket.create({
          data: {
            userId,
            runId: runs.get(new Date(departure).toISOString())!,
            trainNumber: 1012,
            wagonNumber: 2,
            placeNumber: place,
            stationId: "MOSCOW",
            destinationId: "SPB",
            date: new Date(departure),
            startDate: new Date(departure),
            code: randomBytes(16).toString("hex"),
          },
        });
      const onBoard = (await ticket(departed, 3)).id;
      await ticket(arrived, 4);
      await ticket(later, 5);
      await db.trainStore.create({
        data: {
          storeId: STORE,
          runId: runs.get(new Date(departed).toISOString())!,
          trainNumber: 1012,
          trainDate: new Date(departed),
        },
      });
      await use({ repo: new TripShopRepository(db), userId, onBoard });
    },
    { scope: "file" },
  ],
});

describe("trip shop repository (real database)", () => {
  it("finds only the ticket whose run has left the passenger's station and not yet reached their destination", async ({
    trip: { repo, userId, onBoard },
  }) => {
    const trips = await repo.tripsInProgress(userId, new Date());
    expect(trips.map((t) => [t.id, t.placeNumber, t.passengerName])).toEqual([[onBoard, 3, "Trip Tester"]]);
    expect(trips[0]!.arrival.getTime() - trips[0]!.departure.getTime()).toBe(240 * MINUTE);
  });

  it("lists the stores bound to that run", async ({ trip: { repo, userId } }) => {
    const [trip] = await repo.tripsInProgress(userId, new Date());
    expect(await repo.storeIds(trip!.runId)).toEqual([STORE]);
  });
});

describe("trip shop rules", () => {
  const trip: TripRow = {
    id: "ticket-1",
    runId: "run-1",
    trainNumber: 1012,
    wagonNumber: 2,
    placeNumber: 3,
    passengerName: "Anna Testova",
    departure: new Date(now.getTime() - 30 * MINUTE),
    arrival: new Date(now.getTime() + 210 * MINUTE),
  };
  const store = {
    id: STORE,
    name: "Buffet",
    description: "",
    logo_url: "",
    store_type: "RESTAURANT" as const,
    items: [
      { id: "tea", name: "Tea", description: "", logo_url: "", balance: 5, price_penny: 12000, category: "" },
      { id: "pie", name: "Pie", description: "", logo_url: "", balance: 0, price_penny: 9000, category: "" },
    ],
  };
  const purchase = vi.fn(async () => ({
    id: "p1",
    store_id: STORE,
    total_penny: 24000,
    date: now.toISOString(),
    items: [{ item_id: "tea", name: "Tea", count: 2, price_penny: 12000 }],
  }));
  const service = (trips: TripRow[]) =>
    new TripShopService({
      repository: { tripsInProgress: async () => trips, storeIds: async () => [STORE] },
      store: { getStore: async (id: string) => (id === STORE ? store : null), purchase },
      now: () => now,
    });

  it("has no shop without a trip in progress", async () => {
    await expect(service([]).shop("u1")).rejects.toMatchObject({
      status: 404,
      detail: "No trip in progress",
    });
  });

  it("shows the run's stores with prices and what is left", async () => {
    const shop = await service([trip]).shop("u1");
    expect(shop.ticket).toEqual({
      id: "ticket-1",
      run_id: "run-1",
      train_number: 1012,
      wagon_number: 2,
      place_number: 3,
    });
    expect(shop.stores[0]!.items).toEqual([
      { id: "tea", name: "Tea", price_penny: 12000, available: 5 },
      { id: "pie", name: "Pie", price_penny: 9000, available: 0 },
    ]);
  });

  it("orders for the seat with an idempotency key scoped to the passenger", async () => {
    const order = await service([trip]).order(
      "u1",
      { ticket_id: "ticket-1", store_id: STORE, items: [{ item_id: "tea", count: 2 }] },
      "key-12345678",
    );
    expect(order).toMatchObject({ id: "p1", store_name: "Buffet", status: "pending", total_penny: 24000 });
    expect(purchase).toHaveBeenCalledWith(
      STORE,
      expect.objectContaining({
        user_id: "u1",
        train_number: 1012,
        additional_data: expect.objectContaining({
          wagon_number: 2,
          place_number: 3,
          passenger_name: "Anna Testova",
        }),
      }),
      "web:u1:key-12345678",
    );
  });

  it("refuses a ticket not on a trip, and a store not on that train", async () => {
    const body = { ticket_id: "other", store_id: STORE, items: [{ item_id: "tea", count: 1 }] };
    await expect(service([trip]).order("u1", body, "key-12345678")).rejects.toBeInstanceOf(HttpError);
    await expect(service([trip]).order("u1", body, "key-12345678")).rejects.toMatchObject({ status: 409 });
    await expect(
      service([trip]).order("u1", { ...body, ticket_id: "ticket-1", store_id: OTHER_STORE }, "key-12345678"),
    ).rejects.toMatchObject({ status: 404 });
  });
});
