import request from "supertest";
import { afterEach, describe, expect, vi } from "vitest";
import { faceContract } from "../../test/face-stub.js";
import { testWithServices, type TestContext } from "../../test/fixtures.js";
import { seedTrain } from "../../test/railway.js";
import { profileFromClaims } from "./passenger.service.js";
import type { StubCall, StubService } from "../../test/helpers.js";
import {
  FOREIGN_AUDIENCE_CLIENT_ID,
  createTestUser,
  deleteTestUser,
  updateTestUser,
  passwordToken,
  requireKeycloak,
  tamperPayload,
  type TestUser,
} from "../../test/keycloak.js";

const API = "/base_api/v1/frontend";

/** A departure `days` from now at `moscowHour` Moscow time (UTC+3), as an ISO string. */
function departure(days: number, moscowHour = 9): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  d.setUTCHours(moscowHour - 3, 0, 0, 0);
  return d.toISOString();
}

const purchase = (overrides: Record<string, unknown> = {}) => ({
  wagon_number: 3,
  place_number: 14,
  station_id: "MOSCOW",
  destination_id: "SPB",
  date: departure(2),
  ...overrides,
});

// The face stub's scripted images are text; our API sends the uploaded bytes base64-encoded, as the contract says.
const decodedImage = (call: StubCall): StubCall => {
  const body = call.body as { image?: string } | undefined;
  return body?.image
    ? { ...call, body: { ...body, image: Buffer.from(body.image, "base64").toString("utf8") } }
    : call;
};

/** The id of the run departing `days` from now at `hour` Moscow time. */
const runOf = async (ctx: TestContext, days: number, hour: number) =>
  (await ctx.db.run.findFirst({ where: { departure: new Date(departure(days, hour)) } }))!.id;

interface Passengers {
  alice: TestUser;
  bob: TestUser;
  aliceToken: string;
  bobToken: string;
  /** A Keycloak user of this file, deleted after its last test. */
  newUser: (opts?: { withoutPassengerRole?: boolean }) => Promise<TestUser>;
  tokenOf: (user: TestUser) => Promise<string>;
  links: (subject: string) => ReturnType<TestContext["db"]["keycloakUser"]["findMany"]>;
  faceService: StubService;
  storeService: StubService;
  /** What the face stub has enrolled, by user id. */
  enrolledFaces: Map<string, string>;
}

interface Gina {
  ginaToken: string;
  ginaId: string;
  upload: (token: string, photo: string | Buffer, field?: string) => request.Test;
}

/**
 * Per file: the app with contract stubs of the face and store services (real HTTP servers speaking the
 * cross-service contract), the old timetable as data, passengers Alice and Bob (`p`), and for the face tests
 * Gina with the face stub speaking the contract (`g`).
 */
const it = testWithServices.extend<{ p: Passengers; g: Gina }>({
  p: [
    async ({ ctx, face, store }, use) => {
      await requireKeycloak();
      // MOSCOW→SPB at 05, 09, 13 Moscow time (1012-1014), SPB→MOSCOW at 17 (2015).
      const days = Array.from({ length: 12 }, (_, i) => i - 2);
      for (const [number, hour, stops] of [
        [1012, 5, undefined],
        [1013, 9, undefined],
        [1014, 13, undefined],
        [
          2015,
          17,
          [
            ["SPB", 0],
            ["MOSCOW", 240],
          ],
        ],
      ] as const)
        await seedTrain(ctx.db, {
          number,
          stops: stops?.map(([id, minutes]) => [id, minutes] as [string, number]),
          departures: days.map((d) => departure(d, hour)),
        });
      const users: TestUser[] = [];
      const newUser = async (opts?: { withoutPassengerRole?: boolean }) => {
        const user = await createTestUser(opts);
        users.push(user);
        return user;
      };
      const tokenOf = (user: TestUser) => passwordToken(user.username, user.password);
      try {
        const [alice, bob] = [await newUser(), await newUser()];
        const [aliceToken, bobToken] = await Promise.all([tokenOf(alice), tokenOf(bob)]);
        await use({
          alice,
          bob,
          aliceToken,
          bobToken,
          newUser,
          tokenOf,
          links: (subject) => ctx.db.keycloakUser.findMany({ where: { id: subject } }),
          faceService: face,
          storeService: store,
          enrolledFaces: new Map(),
        });
      } finally {
        await Promise.all(users.map((u) => deleteTestUser(u.id)));
      }
    },
    { scope: "file" },
  ],
  g: [
    async ({ ctx, p }, use) => {
      p.faceService.handler = (call) => faceContract(p.enrolledFaces)(decodedImage(call));
      const ginaToken = await p.tokenOf(await p.newUser());
      const ginaId = (await request(ctx.app).get(`${API}/me`).set("Authorization", `Bearer ${ginaToken}`))
        .body.id as string;
      await use({
        ginaToken,
        ginaId,
        upload: (token, photo, field = "file") =>
          request(ctx.app)
            .post(`${API}/faces`)
            .set("Authorization", `Bearer ${token}`)
            .attach(field, Buffer.isBuffer(photo) ? photo : Buffer.from(photo), {
              filename: "me.jpg",
              contentType: "image/jpeg",
            }),
      });
    },
    { scope: "file" },
  ],
});

describe("passenger profile (pure)", () => {
  it("trims a long name to the column and drops an oversized email", () => {
    const claims = { subject: "s", name: "N".repeat(80), email: `${"e".repeat(260)}@x.test`, realmRoles: [] };
    expect(profileFromClaims(claims)).toEqual({ name: "N".repeat(60), email: null });
    expect(
      profileFromClaims({ subject: "s", username: "kc-user", email: "Mixed@Case.Test", realmRoles: [] }),
    ).toEqual({
      name: "kc-user",
      email: "mixed@case.test",
    });
  });
});

describe("passenger API with Keycloak tokens", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  describe("authentication", () => {
    it("rejects a request without a token with 401 Invalid credentials", async ({ ctx }) => {
      const res = await request(ctx.app).get(`${API}/tickets`);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ detail: "Invalid credentials" });
    });

    it("rejects an expired token with 401 Token expired", async ({ ctx, p: { aliceToken } }) => {
      const exp = JSON.parse(Buffer.from(aliceToken.split(".")[1]!, "base64url").toString()).exp as number;
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime((exp + 5) * 1000);
      const res = await request(ctx.app).get(`${API}/tickets`).set("Authorization", `Bearer ${aliceToken}`);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ detail: "Token expired" });
    });

    it("rejects a tampered token with 401 and provisions nobody", async ({
      ctx,
      p: { aliceToken, links },
    }) => {
      const forged = tamperPayload(aliceToken, { sub: "f3b5c6a2-0000-4000-8000-00000000beef" });
      const res = await request(ctx.app).get(`${API}/tickets`).set("Authorization", `Bearer ${forged}`);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ detail: "Invalid token" });
      expect(await links("f3b5c6a2-0000-4000-8000-00000000beef")).toHaveLength(0);
    });

    it("rejects a realm token without the base-api audience with 401", async ({ ctx, p: { alice } }) => {
      const foreign = await passwordToken(alice.username, alice.password, FOREIGN_AUDIENCE_CLIENT_ID);
      const res = await request(ctx.app).get(`${API}/tickets`).set("Authorization", `Bearer ${foreign}`);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ detail: "Invalid token audience" });
    });

    it("answers 403 to a valid token without the passenger role, before provisioning", async ({
      ctx,
      p: { newUser, tokenOf, links },
    }) => {
      const outsider = await newUser({ withoutPassengerRole: true });
      const res = await request(ctx.app)
        .get(`${API}/tickets`)
        .set("Authorization", `Bearer ${await tokenOf(outsider)}`);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ detail: "Passenger role required" });
      expect(await links(outsider.id)).toHaveLength(0);
    });

    it("checks the token before reading the body (401, not 422, for a bad token and a bad body)", async ({
      ctx,
    }) => {
      const res = await request(ctx.app).post(`${API}/tickets`).set("Authorization", "Bearer nope").send({});
      expect(res.status).toBe(401);
    });
  });

  describe("just-in-time provisioning", () => {
    it("creates the base user with name and email from the token on first use, then reuses it", async ({
      ctx,
      p: { newUser, tokenOf, links },
    }) => {
      const carol = await newUser();
      const token = await tokenOf(carol);
      const first = await request(ctx.app).get(`${API}/me`).set("Authorization", `Bearer ${token}`);
      expect(first.status).toBe(200);
      const linked = await links(carol.id);
      expect(linked).toHaveLength(1);
      expect(first.body.id).toBe(linked[0]!.userId);
      const user = await ctx.db.user.findUniqueOrThrow({ where: { id: linked[0]!.userId } });
      expect(user).toMatchObject({ name: `${carol.firstName} ${carol.lastName}`, email: carol.email });

      const again = await request(ctx.app)
        .get(`${API}/me`)
        .set("Authorization", `Bearer ${await tokenOf(carol)}`);
      expect(again.body.id).toBe(first.body.id);
      expect(await ctx.db.user.count({ where: { email: carol.email } })).toBe(1);
    });

    it("creates exactly one user when a new passenger's first requests arrive concurrently", async ({
      ctx,
      p: { newUser, tokenOf, links },
    }) => {
      const dave = await newUser();
      const token = await tokenOf(dave);
      const responses = await Promise.all(
        Array.from({ length: 8 }, () =>
          request(ctx.app).get(`${API}/me`).set("Authorization", `Bearer ${token}`),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
      expect(await links(dave.id)).toHaveLength(1);
      expect(await ctx.db.user.count({ where: { email: dave.email } })).toBe(1);
    });

    it("keeps the base user's name and email in step with later tokens, never taking another's email", async ({
      ctx,
      p: { newUser, tokenOf },
    }) => {
      const gina = await newUser();
      const first = await request(ctx.app)
        .get(`${API}/me`)
        .set("Authorization", `Bearer ${await tokenOf(gina)}`);
      const newEmail = `renamed-${gina.email}`;
      await updateTestUser(gina.id, { firstName: "Georgina", lastName: "Renamed", email: newEmail });
      const renamed = await request(ctx.app)
        .get(`${API}/me`)
        .set("Authorization", `Bearer ${await tokenOf(gina)}`);
      expect(renamed.body.id).toBe(first.body.id);
      expect(await ctx.db.user.findUniqueOrThrow({ where: { id: first.body.id } })).toMatchObject({
        name: "Georgina Renamed",
        email: newEmail,
      });

      const taken = `taken-${gina.email}`;
      await ctx.db.user.create({ data: { name: "Someone Else", email: taken } });
      await updateTestUser(gina.id, { email: taken });
      await request(ctx.app)
        .get(`${API}/me`)
        .set("Authorization", `Bearer ${await tokenOf(gina)}`);
      expect((await ctx.db.user.findUniqueOrThrow({ where: { id: first.body.id } })).email).toBe(newEmail);
    });

    it("never links a new passenger to an existing user just because the email matches", async ({
      ctx,
      p: { newUser, tokenOf },
    }) => {
      const erin = await newUser();
      const existing = await ctx.db.user.create({ data: { name: "Someone Else", email: erin.email } });
      const res = await request(ctx.app)
        .get(`${API}/me`)
        .set("Authorization", `Bearer ${await tokenOf(erin)}`);
      expect(res.status).toBe(200);
      expect(res.body.id).not.toBe(existing.id);
      const created = await ctx.db.user.findUniqueOrThrow({ where: { id: res.body.id } });
      expect(created.email).toBeNull();
    });
  });

  describe("tickets", () => {
    it("buys a seat of the run leaving the station at the given instant, with the run's stations and times", async ({
      ctx,
      p: { aliceToken },
    }) => {
      const date = departure(3, 9);
      const res = await request(ctx.app)
        .post(`${API}/tickets`)
        .set("Authorization", `Bearer ${aliceToken}`)
        .send(purchase({ date, wagon_number: 1, place_number: 1 }));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        train_number: 1013,
        wagon_number: 1,
        place_number: 1,
        station_id: "MOSCOW",
        destination: "SPB",
        date,
        start_date: date,
        run_id: expect.any(String),
        status: "valid",
        from: { id: "MOSCOW", name_ru: "Москва", name_en: "Moscow", time_zone: "Europe/Moscow" },
        to: { id: "SPB" },
        departure: `${date.slice(0, 10)}T09:00:00+03:00`,
        arrival: `${date.slice(0, 10)}T13:00:00+03:00`,
      });
      expect(res.body.code).toHaveLength(128);
      const byRun = await request(ctx.app)
        .post(`${API}/tickets`)
        .set("Authorization", `Bearer ${aliceToken}`)
        .send(purchase({ date: undefined, run_id: res.body.run_id, wagon_number: 1, place_number: 2 }));
      expect(byRun.status).toBe(200);
      expect(byRun.body).toMatchObject({ train_number: 1013, run_id: res.body.run_id, place_number: 2 });
      const spb = await request(ctx.app)
        .post(`${API}/tickets`)
        .set("Authorization", `Bearer ${aliceToken}`)
        .send(purchase({ date: departure(3, 17), station_id: "SPB", destination_id: "MOSCOW" }));
      expect(spb.body).toMatchObject({ train_number: 2015 });
    });

    it("lists only the passenger's own tickets, latest departure first, with codes", async ({
      ctx,
      p: { bobToken },
    }) => {
      await request(ctx.app)
        .post(`${API}/tickets`)
        .set("Authorization", `Bearer ${bobToken}`)
        .send(purchase({ date: departure(5, 5), wagon_number: 7 }));
      await request(ctx.app)
        .post(`${API}/tickets`)
        .set("Authorization", `Bearer ${bobToken}`)
        .send(purchase({ date: departure(6, 13), wagon_number: 7 }));
      const res = await request(ctx.app)
        .get(`${API}/tickets?page=1&size=1`)
        .set("Authorization", `Bearer ${bobToken}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 2, page: 1, size: 1, pages: 2 });
      expect(res.body.items[0]).toMatchObject({
        date: departure(6, 13),
        train_number: 1014,
        status: "valid",
      });
      expect(res.body.items[0].code).toHaveLength(128);
      expect(res.body.items[0].signed_code).toMatch(/^RT1:[0-9A-Z $%*+\-./:]+$/);
      const latest = await request(ctx.app)
        .get(`${API}/get_ticket`)
        .set("Authorization", `Bearer ${bobToken}`);
      expect(latest.status).toBe(200);
      expect(latest.body).toEqual(res.body.items[0]);
    });

    it("answers 404 Ticket not found to get_ticket for a passenger without tickets", async ({
      ctx,
      p: { newUser, tokenOf },
    }) => {
      const frank = await newUser();
      const res = await request(ctx.app)
        .get(`${API}/get_ticket`)
        .set("Authorization", `Bearer ${await tokenOf(frank)}`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ detail: "Ticket not found" });
    });

    it.for([
      ["a departure without a train", { date: departure(2, 8) }, 422, /^No train leaves MOSCOW at /],
      [
        "minutes past the hour",
        { date: departure(2, 9).replace(":00:00", ":30:00") },
        422,
        /^No train leaves/,
      ],
      [
        "the same station and destination",
        { destination_id: "MOSCOW" },
        400,
        /^Station and destination must differ$/,
      ],
      ["a run that has left", { date: departure(-1, 9) }, 400, /^Train 1013 has already left MOSCOW$/],
      ["a wagon the train lacks", { wagon_number: 21 }, 422, /^Train 1013 has no wagon 21$/],
      ["a place the wagon lacks", { place_number: 101 }, 422, /^Wagon 3 of train 1013 has places 1-100$/],
    ] as const)(
      "rejects %s with a clear detail",
      async ([, change, status, detail], { ctx, p: { aliceToken } }) => {
        const res = await request(ctx.app)
          .post(`${API}/tickets`)
          .set("Authorization", `Bearer ${aliceToken}`)
          .send(purchase(change));
        expect(res.status).toBe(status);
        expect(res.body.detail).toMatch(detail);
      },
    );

    it.for([
      ["wagon 0", { wagon_number: 0 }, "wagon_number"],
      ["a station id that is not a code", { station_id: "Kazan" }, "station_id"],
      ["a date that is not ISO 8601", { date: "tomorrow" }, "date"],
    ] as const)(
      "rejects %s with a 422 naming the field",
      async ([, change, field], { ctx, p: { aliceToken } }) => {
        const res = await request(ctx.app)
          .post(`${API}/tickets`)
          .set("Authorization", `Bearer ${aliceToken}`)
          .send(purchase(change));
        expect(res.status).toBe(422);
        expect(res.body.detail[0].loc).toEqual(["body", field]);
      },
    );

    it("sells a seat once when many passengers buy it at the same moment (409 for the others)", async ({
      ctx,
      p: { newUser, tokenOf },
    }) => {
      const buyers = await Promise.all(Array.from({ length: 4 }, () => newUser()));
      const tokens = await Promise.all(buyers.map(tokenOf));
      // Provision first so the race is on the seat, not on user creation.
      await Promise.all(
        tokens.map((t) => request(ctx.app).get(`${API}/me`).set("Authorization", `Bearer ${t}`)),
      );
      const seat = purchase({ date: departure(9, 13), wagon_number: 12, place_number: 42 });
      const responses = await Promise.all(
        [...tokens, ...tokens].map((t) =>
          request(ctx.app).post(`${API}/tickets`).set("Authorization", `Bearer ${t}`).send(seat),
        ),
      );
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
      for (const r of responses.filter((r) => r.status === 409))
        expect(r.body).toEqual({ detail: "Ticket already exists" });
      expect(
        await ctx.db.ticket.count({ where: { trainNumber: 1014, wagonNumber: 12, placeNumber: 42 } }),
      ).toBe(1);
    });
  });

  describe("seat holds and the current trip", () => {
    const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

    it("holds a seat for one passenger, refuses it to others, and confirms it into a ticket", async ({
      ctx,
      p: { aliceToken, bobToken },
    }) => {
      const runId = await runOf(ctx, 4, 5);
      const seat = {
        run_id: runId,
        wagon_number: 2,
        place_number: 9,
        station_id: "MOSCOW",
        destination_id: "SPB",
      };
      const held = await request(ctx.app).post(`${API}/holds`).set(auth(aliceToken)).send(seat);
      expect(held.status).toBe(201);
      expect(held.body).toMatchObject({
        run_id: runId,
        train_number: 1012,
        wagon_number: 2,
        place_number: 9,
      });
      expect(new Date(held.body.expires_at).getTime()).toBeGreaterThan(Date.now() + 500_000);
      const other = await request(ctx.app).post(`${API}/holds`).set(auth(bobToken)).send(seat);
      expect(other.status).toBe(409);
      expect(other.body).toEqual({ detail: "Seat is held by another passenger" });
      const buy = await request(ctx.app)
        .post(`${API}/tickets`)
        .set(auth(bobToken))
        .send({ ...seat, date: undefined });
      expect(buy.body).toEqual({ detail: "Seat is held by another passenger" });
      const seats = await request(ctx.app).get(`/base_api/v1/timetable/runs/${runId}/seats`);
      expect(seats.body.wagons[1].places[8]).toEqual({ number: 9, status: "held" });
      const mine = await request(ctx.app).get(`${API}/holds`).set(auth(aliceToken));
      expect(mine.body.map((h: { id: string }) => h.id)).toContain(held.body.id);
      const stolen = await request(ctx.app).post(`${API}/holds/${held.body.id}/confirm`).set(auth(bobToken));
      expect(stolen.status).toBe(404);
      const ticket = await request(ctx.app)
        .post(`${API}/holds/${held.body.id}/confirm`)
        .set(auth(aliceToken));
      expect(ticket.status).toBe(200);
      expect(ticket.body).toMatchObject({ run_id: runId, wagon_number: 2, place_number: 9, status: "valid" });
      expect(ticket.body.code).toHaveLength(128);
      const again = await request(ctx.app).post(`${API}/holds/${held.body.id}/confirm`).set(auth(aliceToken));
      expect(again.status).toBe(404);
      const released = await request(ctx.app).delete(`${API}/holds/${held.body.id}`).set(auth(aliceToken));
      expect(released.status).toBe(200);
      expect(
        (await request(ctx.app).get(`/base_api/v1/timetable/runs/${runId}/seats`)).body.wagons[1].places[8],
      ).toEqual({ number: 9, status: "taken" });
      expect((await request(ctx.app).post(`${API}/holds`).send(seat)).status).toBe(401);
    });

    it("answers the ticket of the trip in progress, else the next one, for the web shop", async ({
      ctx,
      p: { newUser, tokenOf },
    }) => {
      const carol = await newUser();
      const token = await tokenOf(carol);
      const none = await request(ctx.app).get(`${API}/tickets/current`).set(auth(token));
      expect(none.status).toBe(404);
      expect(none.body).toEqual({ detail: "Ticket not found" });
      const later = await request(ctx.app)
        .post(`${API}/tickets`)
        .set(auth(token))
        .send(purchase({ date: departure(8, 9), wagon_number: 5, place_number: 5 }));
      const sooner = await request(ctx.app)
        .post(`${API}/tickets`)
        .set(auth(token))
        .send(purchase({ date: departure(7, 13), wagon_number: 5, place_number: 5 }));
      expect([later.status, sooner.status]).toEqual([200, 200]);
      const current = await request(ctx.app).get(`${API}/tickets/current`).set(auth(token));
      expect(current.status).toBe(200);
      expect(current.body).toMatchObject({ id: sooner.body.id, train_number: 1014, status: "valid" });
      // A trip whose train has already arrived is over: its unused ticket is expired and no longer current.
      const runId = await runOf(ctx, -2, 5);
      const old = await ctx.db.ticket.create({
        data: {
          userId: (await ctx.db.keycloakUser.findUniqueOrThrow({ where: { id: carol.id } })).userId,
          runId,
          trainNumber: 1012,
          wagonNumber: 1,
          placeNumber: 77,
          stationId: "MOSCOW",
          destinationId: "SPB",
          date: new Date(departure(-2, 5)),
          startDate: new Date(departure(-2, 5)),
          code: "o".repeat(128),
        },
      });
      expect((await request(ctx.app).get(`${API}/tickets/current`).set(auth(token))).body.id).toBe(
        sooner.body.id,
      );
      const list = await request(ctx.app).get(`${API}/tickets?size=10`).set(auth(token));
      expect(list.body.items.find((t: { id: string }) => t.id === old.id).status).toBe("expired");
    });
  });

  describe("faces (through the face service)", () => {
    it("reports 404 Face not found before enrolment and 200 after an upload", async ({
      ctx,
      p: { faceService },
      g: { ginaToken, ginaId, upload },
    }) => {
      const before = await request(ctx.app).get(`${API}/faces`).set("Authorization", `Bearer ${ginaToken}`);
      expect(before.status).toBe(404);
      expect(before.body).toEqual({ detail: "Face not found" });

      const res = await upload(ginaToken, `face:${ginaId}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: "OK" });
      const sent = faceService.calls.find((c) => c.method === "POST" && c.path === "/face_api/v1/face");
      expect(sent?.authorization).toBe(`Bearer ${ctx.config.INTERNAL_SERVICE_TOKEN}`);
      expect(sent?.body).toEqual({
        image: Buffer.from(`face:${ginaId}`).toString("base64"),
        user_id: ginaId,
      });

      const after = await request(ctx.app).get(`${API}/faces`).set("Authorization", `Bearer ${ginaToken}`);
      expect(after.status).toBe(200);
      expect(after.body).toEqual({ status: "OK" });
    });

    it("passes the face service's photo problems on as 400 with their detail", async ({
      g: { ginaToken, upload },
    }) => {
      const res = await upload(ginaToken, "noface");
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ detail: "No faces" });
      const crowd = await upload(ginaToken, "crowd");
      expect(crowd.body).toEqual({ detail: "Too many faces" });
    });

    it("answers 409 Face already exists when the face belongs to another passenger", async ({
      p: { bobToken },
      g: { ginaId, upload },
    }) => {
      const res = await upload(bobToken, `face:${ginaId}`);
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ detail: "Face already exists" });
    });

    it("refuses a non-multipart request with 415 instead of treating it as a deletion", async ({
      ctx,
      p: { enrolledFaces },
      g: { ginaToken, ginaId },
    }) => {
      const res = await request(ctx.app)
        .post(`${API}/faces`)
        .set("Authorization", `Bearer ${ginaToken}`)
        .send({ face: null });
      expect(res.status).toBe(415);
      expect(enrolledFaces.has(ginaId)).toBe(true);
    });

    it("refuses a photo in another field (400) and one over 7.5 MiB (413)", async ({
      p: { enrolledFaces },
      g: { ginaToken, ginaId, upload },
    }) => {
      const wrongField = await upload(ginaToken, "face:x", "photo");
      expect(wrongField.status).toBe(400);
      const huge = await upload(ginaToken, Buffer.alloc(7.5 * 1024 * 1024 + 1, 1));
      expect(huge.status).toBe(413);
      expect(enrolledFaces.get(ginaId)).toBe(`face:${ginaId}`);
    });

    it("deletes the face on a multipart post without a file (reference behaviour) and on DELETE", async ({
      ctx,
      p: { enrolledFaces },
      g: { ginaToken, ginaId, upload },
    }) => {
      const noFile = await request(ctx.app)
        .post(`${API}/faces`)
        .set("Authorization", `Bearer ${ginaToken}`)
        .field("note", "remove my face");
      expect(noFile.status).toBe(200);
      expect(enrolledFaces.has(ginaId)).toBe(false);

      await upload(ginaToken, `face:${ginaId}`);
      const del = await request(ctx.app).delete(`${API}/faces`).set("Authorization", `Bearer ${ginaToken}`);
      expect(del.status).toBe(200);
      expect(del.body).toEqual({ status: "OK" });
      expect(enrolledFaces.has(ginaId)).toBe(false);
    });

    it("enrols and deletes through the reference's JSON POST /frontend/face as well", async ({
      ctx,
      p: { enrolledFaces },
      g: { ginaToken, ginaId },
    }) => {
      const image = Buffer.from(`face:${ginaId}`).toString("base64");
      const enrol = await request(ctx.app)
        .post(`${API}/face`)
        .set("Authorization", `Bearer ${ginaToken}`)
        .send({ face: image });
      expect(enrol.status).toBe(200);
      expect(enrolledFaces.get(ginaId)).toBe(`face:${ginaId}`);
      const remove = await request(ctx.app)
        .post(`${API}/face`)
        .set("Authorization", `Bearer ${ginaToken}`)
        .send({ face: null });
      expect(remove.status).toBe(200);
      expect(enrolledFaces.has(ginaId)).toBe(false);
    });

    it("answers 503 Face service unavailable when the face service fails", async ({
      ctx,
      p: { faceService, enrolledFaces },
      g: { ginaToken },
    }) => {
      faceService.handler = () => ({ status: 500, body: { detail: "boom" } });
      try {
        const res = await request(ctx.app).get(`${API}/faces`).set("Authorization", `Bearer ${ginaToken}`);
        expect(res.status).toBe(503);
        expect(res.body).toEqual({ detail: "Face service unavailable" });
      } finally {
        faceService.handler = (call) => faceContract(enrolledFaces)(decodedImage(call));
      }
    });
  });

  describe("orders (from the store service)", () => {
    const order = (userId: string, n: number) => ({
      id: `00000000-0000-4000-8000-00000000000${n}`,
      store_id: "6b0d7f0e-5a7c-4c1e-9d51-3f5b0c9a1e22",
      store_name: "Dining car",
      date: "2026-11-20T10:00:00Z",
      total_penny: 45000,
      status: "ready",
      items: [
        {
          item_id: "0f3c1a52-1f1e-4f7a-9a87-2d2c8b0d9e11",
          name: `Tea for ${userId}`,
          count: 3,
          price_penny: 15000,
        },
      ],
    });

    it("returns the passenger's purchases as the store service pages them", async ({
      ctx,
      p: { newUser, tokenOf, storeService },
    }) => {
      const hank = await newUser();
      const token = await tokenOf(hank);
      const userId = (await request(ctx.app).get(`${API}/me`).set("Authorization", `Bearer ${token}`)).body
        .id as string;
      storeService.handler = ({ path, authorization }) => {
        if (authorization !== `Bearer ${ctx.config.INTERNAL_SERVICE_TOKEN}`)
          return { status: 401, body: { detail: "Invalid credentials" } };
        const m = /^\/store_api\/v1\/internal\/users\/([^/?]+)\/purchases\?page=2&size=1$/.exec(path);
        if (!m) return { status: 404, body: { detail: "Not Found" } };
        return { status: 200, body: { items: [order(m[1]!, 2)], total: 2, page: 2, size: 1, pages: 2 } };
      };
      const res = await request(ctx.app)
        .get(`${API}/orders?page=2&size=1`)
        .set("Authorization", `Bearer ${token}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ items: [order(userId, 2)], total: 2, page: 2, size: 1, pages: 2 });
    });

    it("answers 502 when the store service answers with something off-contract, 503 when it is down", async ({
      ctx,
      p: { aliceToken, storeService },
    }) => {
      storeService.handler = () => ({ status: 200, body: { items: "nope" } });
      const odd = await request(ctx.app).get(`${API}/orders`).set("Authorization", `Bearer ${aliceToken}`);
      expect(odd.status).toBe(502);
      storeService.handler = () => ({ status: 503, body: { detail: "down" } });
      const down = await request(ctx.app).get(`${API}/orders`).set("Authorization", `Bearer ${aliceToken}`);
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ detail: "Store service unavailable" });
    });
  });
});
