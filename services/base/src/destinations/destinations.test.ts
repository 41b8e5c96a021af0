import { randomUUID } from "node:crypto";
import request from "supertest";
import { describe, expect } from "vitest";
import { test, type TestContext } from "../../test/fixtures.js";
import { seedStation } from "../../test/railway.js";
import { API, adminToken, bearer, robotSession } from "../../test/helpers.js";

interface DestinationsFixture {
  ctx: TestContext;
  admin: string;
  robot: string;
  add: (kind: "hotel" | "attraction", destination: string, name: string) => request.Test;
}

/** Per file: the app, the tokens and the KAZAN station; `d` hands them to each test with the `add` helper. */
const it = test.extend<{ tokens: { admin: string; robot: string }; d: DestinationsFixture }>({
  tokens: [
    async ({ ctx }, use) => {
      await seedStation(ctx.db, "KAZAN");
      await use({ admin: await adminToken(ctx), robot: (await robotSession(ctx)).token });
    },
    { scope: "file" },
  ],
  d: async ({ ctx, tokens }, use) =>
    use({
      ctx,
      ...tokens,
      add: (kind, destination, name) =>
        request(ctx.app)
          .post(`${API}/admin/destination/${destination}/${kind}`)
          .set(bearer(tokens.admin))
          .send({ name, description: `${name} description`, logo_url: "/static/logos/hotels/1.png" }),
    }),
});

describe("destination info: hotels and attractions", () => {
  it("adds hotels and attractions and serves them paginated per destination to robots", async ({
    d: { ctx, admin, robot, add },
  }) => {
    for (const name of ["H1", "H2", "H3"]) expect((await add("hotel", "SPB", name)).status).toBe(200);
    const attraction = await add("attraction", "SPB", "Hermitage");
    expect(attraction.body).toEqual({
      id: expect.any(String),
      name: "Hermitage",
      description: "Hermitage description",
      logo_url: "/static/logos/hotels/1.png",
    });
    await add("hotel", "MOSCOW", "Elsewhere");

    const page = await request(ctx.app)
      .get(`${API}/robot/destination/SPB/hotels?page=2&size=2`)
      .set(bearer(robot));
    expect(page.status).toBe(200);
    expect(page.body).toEqual({
      items: [expect.objectContaining({ name: "H3" })],
      total: 3,
      page: 2,
      size: 2,
      pages: 2,
    });
    const attractions = await request(ctx.app)
      .get(`${API}/robot/destination/SPB/attractions`)
      .set(bearer(robot));
    expect(attractions.body.items.map((a: { name: string }) => a.name)).toEqual(["Hermitage"]);
    const empty = await request(ctx.app).get(`${API}/robot/destination/NOWHERE/hotels`).set(bearer(robot));
    expect(empty.body).toEqual({ items: [], total: 0, page: 1, size: 50, pages: 0 });
    const adminView = await request(ctx.app).get(`${API}/admin/destination/SPB/hotels`).set(bearer(admin));
    expect(adminView.body.total).toBe(3);
  });

  it("stores places only under known station ids: free text is 422 with a clear detail, nothing stored", async ({
    d: { ctx, add },
  }) => {
    const free = await add("hotel", "Saint Petersburg", "Astoria");
    expect(free.status).toBe(422);
    const unknown = await add("attraction", "NOWHERE", "Void");
    expect(unknown.status).toBe(422);
    expect(unknown.body).toEqual({
      detail: "Unknown station id: NOWHERE (see GET /base_api/v1/timetable/stations)",
    });
    expect((await add("hotel", "X".repeat(200), "Long")).status).toBe(422);
    expect(await ctx.db.hotel.count({ where: { name: "Astoria" } })).toBe(0);
    expect(await ctx.db.attraction.count({ where: { name: "Void" } })).toBe(0);
  });

  it("deletes idempotently and validates input (422, never 500)", async ({
    d: { ctx, admin, robot, add },
  }) => {
    const hotel = (await add("hotel", "KAZAN", "Temp")).body;
    expect(
      (await request(ctx.app).delete(`${API}/admin/destination_info/hotel/${hotel.id}`).set(bearer(admin)))
        .status,
    ).toBe(200);
    expect(
      (await request(ctx.app).delete(`${API}/admin/destination_info/hotel/${hotel.id}`).set(bearer(admin)))
        .status,
    ).toBe(200);
    expect(
      (
        await request(ctx.app)
          .delete(`${API}/admin/destination_info/attraction/${randomUUID()}`)
          .set(bearer(admin))
      ).status,
    ).toBe(200);
    expect(
      (await request(ctx.app).delete(`${API}/admin/destination_info/hotel/bad`).set(bearer(admin))).status,
    ).toBe(422);
    const long = await request(ctx.app)
      .post(`${API}/admin/destination/SPB/hotel`)
      .set(bearer(admin))
      .send({ name: "x", description: "d".repeat(1025), logo_url: "" });
    expect(long.status).toBe(422);
    expect(
      (await request(ctx.app).get(`${API}/robot/destination/SPB/hotels?size=0`).set(bearer(robot))).status,
    ).toBe(422);
    expect((await request(ctx.app).get(`${API}/robot/destination/SPB/hotels`)).status).toBe(401);
  });

  it("lets engineers list every place by station and name, read one and overwrite it (404, 422, auth)", async ({
    d: { ctx, admin, robot, add },
  }) => {
    const grand = (await add("hotel", "KAZAN", "Grand Kazan")).body;
    await add("hotel", "KAZAN", "Kremlin View");
    await add("attraction", "KAZAN", "Kul Sharif");
    const all = await request(ctx.app).get(`${API}/admin/hotels?destination_id=KAZAN`).set(bearer(admin));
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 2, page: 1, pages: 1 });
    expect(all.body.items[0]).toEqual({ ...grand, destination_id: "KAZAN" });
    const byName = await request(ctx.app).get(`${API}/admin/hotels?q=kremlin`).set(bearer(admin));
    expect(byName.body.items.map((h: { name: string }) => h.name)).toEqual(["Kremlin View"]);
    const attractions = await request(ctx.app)
      .get(`${API}/admin/attractions?destination_id=KAZAN`)
      .set(bearer(admin));
    expect(attractions.body.items.map((a: { name: string }) => a.name)).toEqual(["Kul Sharif"]);

    const url = `${API}/admin/destination_info/hotel/${grand.id}`;
    expect((await request(ctx.app).get(url).set(bearer(admin))).body).toEqual({
      ...grand,
      destination_id: "KAZAN",
    });
    const moved = await request(ctx.app).put(url).set(bearer(admin)).send({
      name: "Grand Hotel",
      description: "new",
      logo_url: "/base_api/v1/images/x",
      destination_id: "SPB",
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toEqual({
      id: grand.id,
      name: "Grand Hotel",
      description: "new",
      logo_url: "/base_api/v1/images/x",
      destination_id: "SPB",
    });
    // Robots see the change where they look for it, in the reference shape.
    const spb = await request(ctx.app).get(`${API}/robot/destination/SPB/hotels?size=100`).set(bearer(robot));
    expect(spb.body.items).toContainEqual({
      id: grand.id,
      name: "Grand Hotel",
      description: "new",
      logo_url: "/base_api/v1/images/x",
    });
    const kept = await request(ctx.app)
      .put(url)
      .set(bearer(admin))
      .send({ name: "Grand Hotel 2", description: "", logo_url: "" });
    expect(kept.body.destination_id).toBe("SPB");

    const unknown = await request(ctx.app)
      .put(url)
      .set(bearer(admin))
      .send({ name: "x", description: "", logo_url: "", destination_id: "NOWHERE" });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toEqual({
      detail: "Unknown station id: NOWHERE (see GET /base_api/v1/timetable/stations)",
    });
    expect((await request(ctx.app).get(url).set(bearer(admin))).body.name).toBe("Grand Hotel 2");

    const missing = `${API}/admin/destination_info/attraction/${randomUUID()}`;
    expect((await request(ctx.app).get(missing).set(bearer(admin))).body).toEqual({
      detail: "Attraction not found",
    });
    const gone = await request(ctx.app)
      .put(missing)
      .set(bearer(admin))
      .send({ name: "x", description: "", logo_url: "" });
    expect(gone.status).toBe(404);
    const bad = await request(ctx.app)
      .put(url)
      .set(bearer(admin))
      .send({ name: "", description: "", logo_url: "" });
    expect(bad.status).toBe(422);
    expect((await request(ctx.app).get(`${API}/admin/hotels?size=0`).set(bearer(admin))).status).toBe(422);
    expect((await request(ctx.app).get(`${API}/admin/hotels`)).status).toBe(401);
    expect((await request(ctx.app).get(`${API}/admin/hotels`).set(bearer(robot))).status).toBe(401);
    expect((await request(ctx.app).put(url).send({ name: "x", description: "", logo_url: "" })).status).toBe(
      401,
    );
  });
});
