import request from "supertest";
import { describe, expect } from "vitest";
import { test, type TestContext } from "../../test/fixtures.js";
import { API, adminToken, bearer } from "../../test/helpers.js";

const calls = (ctx: TestContext, admin: string) => ({
  post: (path: string, body: unknown) =>
    request(ctx.app)
      .post(`${API}${path}`)
      .set(bearer(admin))
      .send(body as object),
  get: (path: string) => request(ctx.app).get(`${API}${path}`),
});

/** The file's app with two more stations, trains 7001 (MOSCOW-TVER-SPB) and 7002 (MOSCOW-EKB) and their runs. */
const it = test.extend<{ admin: string }>({
  admin: [
    async ({ ctx }, use) => {
      const admin = await adminToken(ctx);
      const { post } = calls(ctx, admin);
      for (const station of [
        { id: "TVER", name_ru: "Тверь", name_en: "Tver", time_zone: "Europe/Moscow" },
        { id: "EKB", name_ru: "Екатеринбург", name_en: "Yekaterinburg", time_zone: "Asia/Yekaterinburg" },
      ])
        expect((await post("/admin/stations", station)).status).toBe(201);
      const train = await post("/admin/trains", {
        number: 7001,
        name: "Sapsan",
        stops: [
          { station_id: "MOSCOW" },
          { station_id: "TVER", arrival_minutes: 100, departure_minutes: 105 },
          { station_id: "SPB", arrival_minutes: 240 },
        ],
        wagons: [
          { number: 1, class: "economy", seats: 10 },
          { number: 2, class: "business", seats: 4 },
        ],
      });
      expect(train.status).toBe(201);
      expect(
        (
          await post("/admin/trains", {
            number: 7002,
            stops: [{ station_id: "MOSCOW" }, { station_id: "EKB", arrival_minutes: 26 * 60 }],
            wagons: [{ number: 1, class: "comfort", seats: 2 }],
          })
        ).status,
      ).toBe(201);
      const runs = await post("/admin/runs", {
        train_number: 7001,
        departures: ["2030-03-01T06:00:00+03:00", "2030-03-01T22:30:00+03:00", "2030-03-02T06:00:00+03:00"],
      });
      expect(runs.status).toBe(201);
      expect(runs.body).toHaveLength(3);
      expect(
        (await post("/admin/runs", { train_number: 7002, departure: "2030-03-01T17:00:00Z" })).status,
      ).toBe(201);
      await use(admin);
    },
    { scope: "file" },
  ],
});

describe("railway: stations, trains, runs and the public timetable", () => {
  it("lists stations with Russian and English names and time zones, without login", async ({
    ctx,
    admin,
  }) => {
    const { get } = calls(ctx, admin);
    const res = await get("/timetable/stations");
    expect(res.status).toBe(200);
    expect(res.body).toContainEqual({
      id: "MOSCOW",
      name_ru: "Москва",
      name_en: "Moscow",
      time_zone: "Europe/Moscow",
    });
    expect(res.body).toContainEqual({
      id: "EKB",
      name_ru: "Екатеринбург",
      name_en: "Yekaterinburg",
      time_zone: "Asia/Yekaterinburg",
    });
  });

  it("keeps station management for ADMIN engineers and refuses bad codes, zones and stations in use", async ({
    ctx,
    admin,
  }) => {
    const { post, get } = calls(ctx, admin);
    const station = { id: "KAZAN", name_ru: "Казань", name_en: "Kazan", time_zone: "Europe/Moscow" };
    expect((await request(ctx.app).post(`${API}/admin/stations`).send(station)).status).toBe(401);
    expect((await post("/admin/stations", { ...station, id: "Kazan" })).status).toBe(422);
    expect((await post("/admin/stations", { ...station, time_zone: "Mars/Olympus" })).status).toBe(422);
    expect((await post("/admin/stations", station)).status).toBe(201);
    expect((await post("/admin/stations", station)).body).toEqual({ detail: "Station already exists" });
    const renamed = await request(ctx.app)
      .put(`${API}/admin/stations/KAZAN`)
      .set(bearer(admin))
      .send({ name_en: "Kazan Passenger" });
    expect(renamed.body).toEqual({ ...station, name_en: "Kazan Passenger" });
    const inUse = await request(ctx.app).delete(`${API}/admin/stations/TVER`).set(bearer(admin));
    expect(inUse.status).toBe(409);
    expect((await request(ctx.app).delete(`${API}/admin/stations/KAZAN`).set(bearer(admin))).status).toBe(
      200,
    );
    expect((await get("/timetable/stations")).body.map((s: { id: string }) => s.id)).not.toContain("KAZAN");
  });

  it("refuses trains with unknown stations, unordered times, repeated stations or wagons", async ({
    ctx,
    admin,
  }) => {
    const { post } = calls(ctx, admin);
    const base = { number: 7100, wagons: [{ number: 1, class: "economy", seats: 10 }] };
    const unknown = await post("/admin/trains", {
      ...base,
      stops: [{ station_id: "MOSCOW" }, { station_id: "NOWHERE", arrival_minutes: 60 }],
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.detail).toMatch(/^Unknown station id: NOWHERE/);
    const backwards = await post("/admin/trains", {
      ...base,
      stops: [
        { station_id: "MOSCOW" },
        { station_id: "TVER", arrival_minutes: 100, departure_minutes: 110 },
        { station_id: "SPB", arrival_minutes: 90 },
      ],
    });
    expect(backwards.status).toBe(422);
    const twice = await post("/admin/trains", {
      ...base,
      stops: [{ station_id: "MOSCOW" }, { station_id: "MOSCOW", arrival_minutes: 60 }],
    });
    expect(twice.body).toEqual({ detail: "The route visits MOSCOW twice" });
    const wagons = await post("/admin/trains", {
      number: 7100,
      stops: [{ station_id: "MOSCOW" }, { station_id: "SPB", arrival_minutes: 60 }],
      wagons: [
        { number: 1, class: "economy", seats: 10 },
        { number: 1, class: "business", seats: 10 },
      ],
    });
    expect(wagons.body).toEqual({ detail: "Wagon numbers must be unique" });
    const duplicate = await post("/admin/trains", {
      ...base,
      number: 7001,
      stops: [{ station_id: "MOSCOW" }, { station_id: "SPB", arrival_minutes: 60 }],
    });
    expect(duplicate.body).toEqual({ detail: "Train already exists" });
    expect((await request(ctx.app).get(`${API}/admin/trains/7100`).set(bearer(admin))).status).toBe(404);
  });

  it("finds runs between two stations on a local date, times with offsets and free seats per class", async ({
    ctx,
    admin,
  }) => {
    const { get } = calls(ctx, admin);
    const res = await get("/timetable/runs?from=MOSCOW&to=SPB&date=2030-03-01");
    expect(res.status).toBe(200);
    expect(res.body.map((r: { departure: string }) => r.departure)).toEqual([
      "2030-03-01T06:00:00+03:00",
      "2030-03-01T22:30:00+03:00",
    ]);
    expect(res.body[0]).toMatchObject({
      train_number: 7001,
      from: { id: "MOSCOW", name_en: "Moscow" },
      to: { id: "SPB", name_ru: "Санкт-Петербург" },
      arrival: "2030-03-01T10:00:00+03:00",
      duration_minutes: 240,
      classes: [
        { class: "economy", free_seats: 10, total_seats: 10 },
        { class: "business", free_seats: 4, total_seats: 4 },
      ],
    });
    // From an intermediate stop the local date is the date there: the 22:30 run leaves Tver at 00:15 next day.
    const tver = await get("/timetable/runs?from=TVER&to=SPB&date=2030-03-02");
    expect(tver.body.map((r: { departure: string; arrival: string }) => [r.departure, r.arrival])).toEqual([
      ["2030-03-02T00:15:00+03:00", "2030-03-02T02:30:00+03:00"],
      ["2030-03-02T07:45:00+03:00", "2030-03-02T10:00:00+03:00"],
    ]);
    // Trains only run forwards along their route.
    expect((await get("/timetable/runs?from=SPB&to=MOSCOW&date=2030-03-01")).body).toEqual([]);
    // Arrival in another time zone carries that zone's offset.
    const ekb = await get("/timetable/runs?from=MOSCOW&to=EKB&date=2030-03-01");
    expect(ekb.body).toHaveLength(1);
    expect(ekb.body[0]).toMatchObject({
      departure: "2030-03-01T20:00:00+03:00",
      arrival: "2030-03-03T00:00:00+05:00",
      classes: [{ class: "comfort", free_seats: 2, total_seats: 2 }],
    });
  });

  it("answers bad searches with 422 and a clear detail", async ({ ctx, admin }) => {
    const { get } = calls(ctx, admin);
    const unknown = await get("/timetable/runs?from=MOSCOW&to=Saint%20Petersburg&date=2030-03-01");
    expect(unknown.status).toBe(422);
    const nowhere = await get("/timetable/runs?from=MOSCOW&to=NOWHERE&date=2030-03-01");
    expect(nowhere.body).toEqual({
      detail: "Unknown station id: NOWHERE (see GET /base_api/v1/timetable/stations)",
    });
    expect((await get("/timetable/runs?from=SPB&to=SPB&date=2030-03-01")).body).toEqual({
      detail: "from and to must differ",
    });
    expect((await get("/timetable/runs?from=SPB&to=MOSCOW&date=2030-02-30")).status).toBe(422);
  });

  it("sells seats of a run by run id, derives the ticket's dates and counts the seat as taken", async ({
    ctx,
    admin,
  }) => {
    const { post, get } = calls(ctx, admin);
    const [run] = (await get("/timetable/runs?from=TVER&to=SPB&date=2030-03-02")).body as {
      run_id: string;
    }[];
    const user = await post("/admin/user", { name: "Vera" });
    const ticket = await post("/admin/ticket", {
      user_id: user.body.id,
      run_id: run!.run_id,
      wagon_number: 1,
      place_number: 3,
      station_id: "TVER",
      destination: "SPB",
    });
    expect(ticket.status).toBe(200);
    expect(ticket.body).toMatchObject({
      train_number: 7001,
      station_id: "TVER",
      destination: "SPB",
      date: "2030-03-01T21:15:00.000Z",
      start_date: "2030-03-01T19:30:00.000Z",
    });
    const again = await post("/admin/ticket", {
      user_id: user.body.id,
      train_number: 7001,
      start_date: "2030-03-01T19:30:00Z",
      wagon_number: 1,
      place_number: 3,
      station_id: "MOSCOW",
      destination: "TVER",
    });
    expect(again.status).toBe(409);
    const seats = await get(`/timetable/runs/${run!.run_id}/seats`);
    expect(seats.status).toBe(200);
    const wagon1 = seats.body.wagons[0];
    expect(wagon1).toMatchObject({ number: 1, class: "economy", seats: 10 });
    expect(wagon1.places[2]).toEqual({ number: 3, status: "taken" });
    expect(wagon1.places.filter((p: { status: string }) => p.status === "free")).toHaveLength(9);
    const detail = await get(`/timetable/runs/${run!.run_id}`);
    expect(detail.body.stops).toEqual([
      {
        station: expect.objectContaining({ id: "MOSCOW" }),
        arrival: null,
        departure: "2030-03-01T22:30:00+03:00",
      },
      {
        station: expect.objectContaining({ id: "TVER" }),
        arrival: "2030-03-02T00:10:00+03:00",
        departure: "2030-03-02T00:15:00+03:00",
      },
      {
        station: expect.objectContaining({ id: "SPB" }),
        arrival: "2030-03-02T02:30:00+03:00",
        departure: null,
      },
    ]);
    expect(detail.body.wagons[0]).toMatchObject({ number: 1, free_seats: 9 });
    const search = await get("/timetable/runs?from=TVER&to=SPB&date=2030-03-02");
    expect(search.body[0].classes[0]).toEqual({ class: "economy", free_seats: 9, total_seats: 10 });
  });

  it("refuses tickets that name no run, a wrong departure, a missing wagon or a wrong direction (422)", async ({
    ctx,
    admin,
  }) => {
    const { post } = calls(ctx, admin);
    const user = await post("/admin/user", { name: "Oleg" });
    const ticket = (body: Record<string, unknown>) =>
      post("/admin/ticket", {
        user_id: user.body.id,
        train_number: 7001,
        wagon_number: 2,
        place_number: 1,
        station_id: "MOSCOW",
        destination: "SPB",
        ...body,
      });
    const noRun = await ticket({ start_date: "2030-03-01T05:00:00Z" });
    expect(noRun.status).toBe(422);
    expect(noRun.body.detail).toMatch(/^No run of train 7001 departs at 2030-03-01T05:00:00.000Z/);
    const wrongDate = await ticket({ start_date: "2030-03-01T03:00:00Z", date: "2030-03-01T04:00:00Z" });
    expect(wrongDate.body).toEqual({
      detail: "Train 7001 leaves MOSCOW at 2030-03-01T03:00:00.000Z, not 2030-03-01T04:00:00.000Z",
    });
    expect((await ticket({ start_date: "2030-03-01T03:00:00Z", wagon_number: 9 })).body).toEqual({
      detail: "Train 7001 has no wagon 9",
    });
    expect((await ticket({ start_date: "2030-03-01T03:00:00Z", place_number: 5 })).body).toEqual({
      detail: "Wagon 2 of train 7001 has places 1-4",
    });
    expect(
      (await ticket({ start_date: "2030-03-01T03:00:00Z", station_id: "SPB", destination: "MOSCOW" })).body,
    ).toEqual({ detail: "Train 7001 does not go from SPB to MOSCOW" });
    // The departure from the boarding station alone names the run too (the old form).
    const byDate = await ticket({ station_id: "TVER", date: "2030-03-01T04:45:00Z" });
    expect(byDate.status).toBe(200);
    expect(byDate.body.start_date).toBe("2030-03-01T03:00:00.000Z");
  });

  it("lists, guards and deletes runs (a run with tickets stays)", async ({ ctx, admin }) => {
    const { post, get } = calls(ctx, admin);
    const page = await request(ctx.app).get(`${API}/admin/runs?train_number=7001&size=2`).set(bearer(admin));
    expect(page.body).toMatchObject({ total: 3, page: 1, size: 2, pages: 2 });
    expect(page.body.items[0]).toMatchObject({
      train_number: 7001,
      departure: "2030-03-01T06:00:00+03:00",
      arrival: "2030-03-01T10:00:00+03:00",
      origin: "MOSCOW",
      terminus: "SPB",
    });
    expect((await request(ctx.app).get(`${API}/admin/runs`)).status).toBe(401);
    const sold = page.body.items[0].id as string;
    expect((await request(ctx.app).delete(`${API}/admin/runs/${sold}`).set(bearer(admin))).body).toEqual({
      detail: "Run has tickets",
    });
    const [spare] = (await post("/admin/runs", { train_number: 7002, departure: "2031-01-01T00:00:00Z" }))
      .body;
    expect((await request(ctx.app).delete(`${API}/admin/runs/${spare.id}`).set(bearer(admin))).status).toBe(
      200,
    );
    expect((await get(`/timetable/runs/${spare.id}`)).status).toBe(404);
    expect(
      (await post("/admin/runs", { train_number: 9999, departure: "2031-01-01T00:00:00Z" })).body,
    ).toEqual({
      detail: "Train not found",
    });
    const locked = await request(ctx.app)
      .put(`${API}/admin/trains/7001`)
      .set(bearer(admin))
      .send({ stops: [{ station_id: "MOSCOW" }, { station_id: "SPB", arrival_minutes: 200 }], wagons: [] });
    expect(locked.status).toBe(422);
  });
});
