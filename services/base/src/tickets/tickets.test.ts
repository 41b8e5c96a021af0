import { randomUUID } from "node:crypto";
import request from "supertest";
import { describe, expect } from "vitest";
import { faceContract } from "../../test/face-stub.js";
import { testWithServices, type TestContext } from "../../test/fixtures.js";
import { seedStation, seedTrain } from "../../test/railway.js";
import {
  API,
  adminToken,
  bearer,
  robotSession,
  withStatementCount,
  type StubService,
} from "../../test/helpers.js";
import { TicketsRepository } from "./tickets.repository.js";

const DATE = "2026-05-01T02:00:00Z";
// Each ticket gets its own place unless a test says otherwise (one app and database per file).
let seat = 0;

interface TicketsFixture {
  ctx: TestContext;
  face: StubService;
  admin: string;
  robot: string;
  /** Faces the stub face service knows in this test (user id -> image); fresh for every test. */
  enrolled: Map<string, string>;
  newUser: (name?: string) => Promise<string>;
  newTicket: (
    userId: string,
    overrides?: Record<string, unknown>,
  ) => Promise<Record<string, unknown> & { id: string; code: string }>;
  validate: (body: Record<string, unknown>) => request.Test;
}

/**
 * Per file: the app with a stub face service, the tokens, and the runs these tests sell seats of. Per test: a
 * fresh set of enrolled faces with the stub speaking the face contract again.
 */
const it = testWithServices.extend<{ tokens: { admin: string; robot: string }; t: TicketsFixture }>({
  tokens: [
    async ({ ctx }, use) => {
      // Tickets name runs of trains: the runs these tests sell seats of.
      await seedStation(ctx.db, "TVER");
      await seedStation(ctx.db, "KAZAN");
      await seedTrain(ctx.db, { number: 1012, departures: [DATE, "2026-06-01T10:00:00Z"] });
      await seedTrain(ctx.db, {
        number: 2015,
        stops: [
          ["SPB", 0],
          ["MOSCOW", 240],
        ],
        departures: [DATE],
      });
      await seedTrain(ctx.db, {
        number: 1019,
        stops: [
          ["TVER", 0],
          ["MOSCOW", 180],
          ["SPB", 420],
        ],
        departures: ["2026-04-30T23:00:00Z"],
      });
      await use({ admin: await adminToken(ctx), robot: (await robotSession(ctx)).token });
    },
    { scope: "file" },
  ],
  t: async ({ ctx, face, tokens }, use) => {
    const { admin, robot } = tokens;
    const enrolled = new Map<string, string>();
    face.handler = faceContract(enrolled);
    const newUser = async (name = `Passenger ${randomUUID().slice(0, 8)}`) => {
      const res = await request(ctx.app).post(`${API}/admin/user`).set(bearer(admin)).send({ name });
      expect(res.status).toBe(200);
      return res.body.id as string;
    };
    const newTicket = async (userId: string, overrides: Record<string, unknown> = {}) => {
      const res = await request(ctx.app)
        .post(`${API}/admin/ticket`)
        .set(bearer(admin))
        .send({
          user_id: userId,
          train_number: 1012,
          wagon_number: 3,
          place_number: ++seat,
          station_id: "MOSCOW",
          destination: "SPB",
          date: DATE,
          start_date: DATE,
          ...overrides,
        });
      expect(res.status).toBe(200);
      return res.body as Record<string, unknown> & { id: string; code: string };
    };
    const validate = (body: Record<string, unknown>) =>
      request(ctx.app)
        .post(`${API}/robot/ticket_validation`)
        .set(bearer(robot))
        .send({
          station_id: "MOSCOW",
          train_number: 1012,
          wagon_number: 3,
          date: DATE,
          mark_as_used: true,
          ...body,
        });
    await use({ ctx, face, admin, robot, enrolled, newUser, newTicket, validate });
  },
});

describe("tickets: admin API and robot validation", () => {
  describe("admin", () => {
    it("creates a ticket with a secret code; start_date is the run's departure from its origin", async ({
      t: { newUser, newTicket },
    }) => {
      const userId = await newUser();
      const ticket = await newTicket(userId, {
        train_number: 1019,
        date: "2026-05-01T05:00:00+03:00",
        start_date: undefined,
      });
      expect(ticket).toEqual({
        id: expect.any(String),
        user_id: userId,
        train_number: 1019,
        wagon_number: 3,
        place_number: expect.any(Number),
        station_id: "MOSCOW",
        destination: "SPB",
        date: "2026-05-01T02:00:00.000Z",
        start_date: "2026-04-30T23:00:00.000Z",
        code: expect.stringMatching(/^[A-Za-z0-9!@#$%^&*()]{128}$/),
      });
    });

    it("lists tickets without their codes", async ({ t: { ctx, admin, newUser, newTicket } }) => {
      const userId = await newUser();
      const ticket = await newTicket(userId);
      const res = await request(ctx.app).get(`${API}/admin/tickets?size=100`).set(bearer(admin));
      expect(res.status).toBe(200);
      const listed = res.body.items.find((t: { id: string }) => t.id === ticket.id);
      expect(listed).toBeDefined();
      expect(listed).not.toHaveProperty("code");
      expect(JSON.stringify(res.body)).not.toContain(ticket.code);
    });

    it("lists one passenger's, one run's or one train's tickets for the console", async ({
      t: { ctx, admin, newUser, newTicket },
    }) => {
      const [anna, boris] = [await newUser(), await newUser()];
      const first = await newTicket(anna);
      const other = await newTicket(anna, { train_number: 2015, station_id: "SPB", destination: "MOSCOW" });
      const third = await newTicket(boris);
      const list = (query: string) =>
        request(ctx.app).get(`${API}/admin/tickets?size=100&${query}`).set(bearer(admin));
      const ids = (res: request.Response) => res.body.items.map((t: { id: string }) => t.id).sort();

      const annas = await list(`user_id=${anna}`);
      expect(annas.status).toBe(200);
      expect(ids(annas)).toEqual([first.id, other.id].sort());
      expect(annas.body.items.every((t: { user_id: string }) => t.user_id === anna)).toBe(true);
      const runId = annas.body.items.find((t: { id: string }) => t.id === first.id).run_id as string;
      expect(runId).toMatch(/^[0-9a-f-]{36}$/);

      const onRun = ids(await list(`run_id=${runId}`));
      expect(onRun).toEqual(expect.arrayContaining([first.id, third.id]));
      expect(onRun).not.toContain(other.id);
      expect(ids(await list(`train_number=2015&user_id=${anna}`))).toEqual([other.id]);
      expect(ids(await list(`run_id=${runId}&user_id=${boris}`))).toEqual([third.id]);
      expect((await list(`user_id=${randomUUID()}`)).body).toMatchObject({ items: [], total: 0 });
      expect((await list("user_id=nope")).status).toBe(422);
      expect((await list("train_number=0")).status).toBe(422);
    });

    it("sells a seat of a train run once, even to concurrent buyers (409 Ticket already exists)", async ({
      t: { ctx, admin, newUser },
    }) => {
      const userId = await newUser();
      const body = {
        user_id: userId,
        train_number: 2015,
        wagon_number: 1,
        place_number: 7,
        station_id: "SPB",
        destination: "MOSCOW",
        date: DATE,
        start_date: DATE,
      };
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          request(ctx.app).post(`${API}/admin/ticket`).set(bearer(admin)).send(body),
        ),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      const conflicts = results.filter((r) => r.status === 409);
      expect(conflicts).toHaveLength(7);
      expect(conflicts[0]!.body).toEqual({ detail: "Ticket already exists" });
    });

    it("answers 404 for an unknown user and 422 for bad input, never 500", async ({ t: { ctx, admin } }) => {
      const unknown = await request(ctx.app).post(`${API}/admin/ticket`).set(bearer(admin)).send({
        user_id: randomUUID(),
        train_number: 1012,
        wagon_number: 1,
        place_number: 1,
        station_id: "MOSCOW",
        destination: "SPB",
        date: DATE,
        start_date: DATE,
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ detail: "User not found" });
      for (const bad of [
        { user_id: "nope" },
        { wagon_number: -1 },
        { place_number: 0 },
        { station_id: "x".repeat(61) },
        { date: "yesterday" },
        { date: "2026-02-30T10:00:00Z" },
      ]) {
        const res = await request(ctx.app)
          .post(`${API}/admin/ticket`)
          .set(bearer(admin))
          .send({
            user_id: randomUUID(),
            train_number: 1,
            wagon_number: 1,
            place_number: 1,
            station_id: "A",
            destination: "B",
            date: DATE,
            start_date: DATE,
            ...bad,
          });
        expect(res.status, JSON.stringify(bad)).toBe(422);
      }
      const badId = await request(ctx.app).delete(`${API}/admin/ticket/not-a-uuid`).set(bearer(admin));
      expect(badId.status).toBe(422);
    });
    it("accepts train, wagon and place numbers as digit strings, as the reference's DebugConsole sends them", async ({
      t: { ctx, admin, newUser, newTicket, validate },
    }) => {
      const userId = await newUser();
      const place = String(++seat);
      const ticket = await newTicket(userId, {
        train_number: "1012",
        wagon_number: "3",
        place_number: place,
      });
      expect(ticket).toMatchObject({ train_number: 1012, wagon_number: 3, place_number: Number(place) });
      const checked = await validate({ code: ticket.code, train_number: "1012", wagon_number: "3" });
      expect(checked.status).toBe(200);
      for (const bad of ["12a", "1.5", "", "0"]) {
        const res = await request(ctx.app).post(`${API}/admin/ticket`).set(bearer(admin)).send({
          user_id: userId,
          train_number: 1,
          wagon_number: bad,
          place_number: 1,
          station_id: "A",
          destination: "B",
          date: DATE,
          start_date: DATE,
        });
        expect(res.status, JSON.stringify(bad)).toBe(422);
      }
    });
  });

  describe("validation by code", () => {
    it("validates a ticket once: the second validation gets 400 Ticket already used with the ticket", async ({
      t: { newUser, newTicket, validate },
    }) => {
      const ticket = await newTicket(await newUser());
      const first = await validate({ code: ticket.code });
      expect(first.status).toBe(200);
      expect(first.body).toEqual(ticket);
      const second = await validate({ code: ticket.code });
      expect(second.status).toBe(400);
      expect(second.body.detail.message).toBe("Ticket already used");
      expect(second.body.detail.right_ticket).toMatchObject({
        id: ticket.id,
        date: "2026-05-01T02:00:00.000Z",
      });
    });

    it("lets exactly one of 50 concurrent validations of one ticket succeed", async ({
      t: { newUser, newTicket, validate },
    }) => {
      const ticket = await newTicket(await newUser());
      const results = await Promise.all(Array.from({ length: 50 }, () => validate({ code: ticket.code })));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      const refused = results.filter((r) => r.status === 400);
      expect(refused).toHaveLength(49);
      for (const r of refused) expect(r.body.detail.message).toBe("Ticket already used");
    });

    it("answers concurrent checks of different codes (looked up together) each with its own ticket", async ({
      t: { newUser, newTicket, validate },
    }) => {
      const tickets = await Promise.all([1, 2, 3, 4].map(async () => newTicket(await newUser())));
      expect((await validate({ code: tickets[3]!.code, mark_as_used: true })).status).toBe(200);
      const codes = [...tickets.map((t) => t.code), "no-such-code", ...tickets.map((t) => t.code)];
      const answers = await Promise.all(codes.map((code) => validate({ code, mark_as_used: false })));
      answers.forEach((res, i) => {
        const ticket = tickets.find((t) => t.code === codes[i]);
        if (!ticket) expect([res.status, res.body]).toEqual([401, { detail: "Invalid ticket code" }]);
        else if (ticket === tickets[3]) {
          expect(res.status).toBe(400);
          expect(res.body.detail).toMatchObject({
            message: "Ticket already used",
            right_ticket: { id: ticket.id },
          });
        } else expect([res.status, res.body]).toEqual([200, ticket]);
      });
    });

    it("boards the tickets asked for in one moment with one statement: each ticket once, to its first caller", async ({
      t: { ctx, newUser, newTicket },
    }) => {
      const tickets = await Promise.all([1, 2, 3].map(async () => newTicket(await newUser())));
      const repository = new TicketsRepository(ctx.db);
      expect(await repository.markUsed(tickets[2]!.id)).toBe(true);
      await withStatementCount(ctx, "tickets_mark_used_batch", async (statements) => {
        const [a, b, used] = tickets.map((t) => t.id);
        const asked = [a!, b!, a!.toUpperCase(), used!, a!, randomUUID()];
        expect(await Promise.all(asked.map((id) => repository.markUsed(id)))).toEqual([
          true,
          true,
          false,
          false,
          false,
          false,
        ]);
        expect(statements()).toBe(1);
      });
      const rows = await ctx.db.ticket.findMany({ where: { id: { in: tickets.map((t) => t.id) } } });
      expect(rows.every((r) => r.used && r.usedAt)).toBe(true);
    });

    it("boards concurrently without deadlock when batches overlap in any order, each ticket exactly once", async ({
      t: { ctx, newUser, newTicket },
    }) => {
      const user = await newUser();
      const ids = (await Promise.all(Array.from({ length: 12 }, () => newTicket(user)))).map((t) => t.id);
      // Two base processes (two repositories, two sets of connections) each boarding every ticket, in opposite
      // orders and in batches of different sizes, all at once.
      const left = new TicketsRepository(ctx.db);
      const right = new TicketsRepository(ctx.db);
      const waves = await Promise.all(
        [left, right].flatMap((repository, r) =>
          [0, 1, 2].map(async (wave) => {
            await new Promise((resolve) => setTimeout(resolve, wave));
            const order = r === 0 ? ids : [...ids].reverse();
            return Promise.all(order.map((id) => repository.markUsed(id).then((won) => (won ? id : null))));
          }),
        ),
      );
      const winners = waves.flat().filter((id) => id !== null);
      expect(winners.sort()).toEqual([...ids].sort());
    });

    it("only checks (does not use up) the ticket without mark_as_used", async ({
      t: { newUser, newTicket, validate },
    }) => {
      const ticket = await newTicket(await newUser());
      expect((await validate({ code: ticket.code, mark_as_used: false })).status).toBe(200);
      expect((await validate({ code: ticket.code, mark_as_used: false })).status).toBe(200);
      expect((await validate({ code: ticket.code, mark_as_used: true })).status).toBe(200);
      expect((await validate({ code: ticket.code, mark_as_used: false })).status).toBe(400);
    });

    it("answers 401 Invalid ticket code for an unknown code", async ({ t: { validate } }) => {
      const res = await validate({ code: "no-such-code" });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ detail: "Invalid ticket code" });
    });

    it("answers 401 Invalid ticket code (not 422) for any QR payload that cannot be a code", async ({
      t: { validate },
    }) => {
      // The robot sends whatever text the QR code holds: a long URL, or an empty string when decoding failed.
      for (const code of ["https://example.org/" + "x".repeat(400), ""]) {
        const res = await validate({ code });
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ detail: "Invalid ticket code" });
      }
    });

    it("answers the wrong wagon, date and train with 400 and a serialisable right_ticket", async ({
      t: { newUser, newTicket, validate },
    }) => {
      const ticket = await newTicket(await newUser());
      const cases = [
        [{ wagon_number: 4 }, "Invalid wagon number"],
        [{ date: "2026-05-01T03:00:00Z" }, "Invalid date"],
        [{ train_number: 1013 }, "Invalid train number"],
      ] as const;
      for (const [change, message] of cases) {
        const res = await validate({ code: ticket.code, ...change });
        expect(res.status, message).toBe(400);
        expect(res.body.detail).toEqual({ message, right_ticket: { ...ticket, code: "" } });
      }
      // none of those used the ticket
      expect((await validate({ code: ticket.code })).status).toBe(200);
    });

    it("matches the departure instant in UTC whatever offset the robot writes", async ({
      t: { newUser, newTicket, validate },
    }) => {
      const ticket = await newTicket(await newUser());
      const res = await validate({ code: ticket.code, date: "2026-05-01T05:00:00.000+03:00" });
      expect(res.status).toBe(200);
    });

    it("answers 422 when neither face nor code is given", async ({ t: { validate } }) => {
      const res = await validate({});
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ detail: "Unprocessable Entity" });
    });

    it("requires a robot session", async ({ t: { ctx, admin } }) => {
      const res = await request(ctx.app).post(`${API}/robot/ticket_validation`).send({});
      expect(res.status).toBe(401);
      const asAdmin = await request(ctx.app)
        .post(`${API}/robot/ticket_validation`)
        .set(bearer(admin))
        .send({});
      expect(asAdmin.status).toBe(401);
    });
  });

  describe("validation by face", () => {
    it("validates the identified passenger's ticket once", async ({
      t: { enrolled, newUser, newTicket, validate },
    }) => {
      const userId = await newUser();
      const ticket = await newTicket(userId);
      enrolled.set(userId, `face:${userId}`);
      const first = await validate({ face: `face:${userId}` });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ ...ticket, code: "" });
      const second = await validate({ face: `face:${userId}` });
      expect(second.status).toBe(400);
      expect(second.body.detail.message).toBe("Ticket already used");
    });

    it("points to the right wagon, date or train with 400 and right_ticket", async ({
      t: { enrolled, newUser, newTicket, validate },
    }) => {
      const userId = await newUser();
      enrolled.set(userId, `face:${userId}`);
      const ticket = await newTicket(userId, {
        wagon_number: 5,
        date: "2026-06-01T10:00:00Z",
        start_date: "2026-06-01T10:00:00Z",
      });
      const right = { ...ticket, code: "" };
      const june = "2026-06-01T10:00:00Z";
      const wagon = await validate({ face: `face:${userId}`, date: june, wagon_number: 3 });
      expect(wagon.status).toBe(400);
      expect(wagon.body.detail).toEqual({ message: "Invalid wagon number", right_ticket: right });
      // The face is compared only with the manifest of the run being checked (issue 14): on another date or
      // train the passenger is not a candidate at all, so the robot falls back to the QR code, whose check
      // still points to the right ticket.
      for (const other of [
        { date: "2026-05-20T10:00:00Z", wagon_number: 5 },
        { date: "2026-05-20T10:00:00Z", train_number: 999 },
        { date: "2026-07-01T10:00:00Z" },
      ]) {
        const res = await validate({ face: `face:${userId}`, ...other });
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ detail: "Face not found" });
      }
      const byCode = await validate({ code: ticket.code, date: "2026-05-20T10:00:00Z", wagon_number: 5 });
      expect(byCode.status).toBe(400);
      expect(byCode.body.detail).toEqual({ message: "Invalid date", right_ticket: right });
    });

    it("never accepts a stranger who is enrolled but holds no ticket on this run", async ({
      t: { enrolled, newUser, newTicket, validate },
    }) => {
      const passenger = await newUser();
      await newTicket(passenger);
      enrolled.set(passenger, `face:${passenger}`);
      // The stranger is enrolled (a passenger of another train) and would be found by a global search.
      const stranger = await newUser();
      await newTicket(stranger, { date: "2026-06-01T10:00:00Z", start_date: "2026-06-01T10:00:00Z" });
      enrolled.set(stranger, `face:${stranger}`);
      const res = await validate({ face: `face:${stranger}` });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ detail: "Can`t recognize face" });
      // Nobody's ticket was marked used: the real passenger still validates.
      expect((await validate({ face: `face:${passenger}` })).status).toBe(200);
    });

    it("refuses, rather than confuses, a look-alike of another passenger on the same run", async ({
      t: { enrolled, newUser, newTicket, validate },
    }) => {
      const [a, b] = [await newUser(), await newUser()];
      const ticketA = await newTicket(a);
      await newTicket(b);
      enrolled.set(a, `face:${a}`);
      enrolled.set(b, `face:${b}`);
      const res = await validate({ face: `lookalike:${a},${b}` });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ detail: "Can`t recognize face" });
      // Neither ticket was used: A still validates by face.
      const own = await validate({ face: `face:${a}` });
      expect(own.status).toBe(200);
      expect(own.body.id).toBe(ticketA.id);
    });

    it("answers 404 Face not found when nobody on the run is enrolled, 422 for a stranger or no face (as the reference)", async ({
      t: { enrolled, newUser, newTicket, validate },
    }) => {
      const nobody = await validate({ face: "stranger" });
      expect(nobody.status).toBe(404);
      expect(nobody.body).toEqual({ detail: "Face not found" });
      const passenger = await newUser();
      await newTicket(passenger);
      enrolled.set(passenger, `face:${passenger}`);
      const stranger = await validate({ face: "stranger" });
      expect(stranger.status).toBe(422);
      expect(stranger.body).toEqual({ detail: "Can`t recognize face" });
      const noFace = await validate({ face: "noface" });
      expect(noFace.status).toBe(422);
      expect(noFace.body).toEqual({ detail: "Can`t recognize face" });
    });

    it("answers 503 when the face service is down, while code validation keeps working", async ({
      t: { face, newUser, newTicket, validate },
    }) => {
      face.handler = () => ({ status: 502, body: { detail: "bad gateway" } });
      const res = await validate({ face: "face:anyone" });
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ detail: "Face service unavailable" });
      const ticket = await newTicket(await newUser());
      expect((await validate({ code: ticket.code })).status).toBe(200);
    });
  });

  describe("current ticket and destination", () => {
    it("finds the boarded ticket of a train run (404 otherwise) and its destination (400 otherwise, never 500)", async ({
      t: { ctx, robot, newUser, newTicket, validate },
    }) => {
      const userId = await newUser();
      const ticket = await newTicket(userId);
      const current = () =>
        request(ctx.app)
          .post(`${API}/robot/user/current_ticket`)
          .set(bearer(robot))
          .send({ user_id: userId, train_id: 1012, start_date: DATE });
      const destination = () =>
        request(ctx.app)
          .post(`${API}/robot/determine_destination`)
          .set(bearer(robot))
          .send({ user_id: userId, train_number: 1012, start_date: DATE });
      expect((await current()).status).toBe(404);
      // The robot client reads 400 as "no destination" (reference 12.3 item 7); a 404 would make it raise.
      const none = await destination();
      expect(none.status).toBe(400);
      expect(none.body).toEqual({ detail: "Ticket not found" });

      expect((await validate({ code: ticket.code })).status).toBe(200);
      const boarded = await current();
      expect(boarded.status).toBe(200);
      expect(boarded.body).toEqual({ ...ticket, code: "" });
      const dest = await destination();
      expect(dest.status).toBe(200);
      expect(dest.body).toEqual({ id: "SPB" });
    });

    it("finds the passenger's next ticket from a station (the robot client's GET route)", async ({
      t: { ctx, robot, newUser, newTicket },
    }) => {
      const userId = await newUser();
      const soon = new Date(Date.now() + 3600_000).toISOString();
      await seedTrain(ctx.db, {
        number: 1050,
        stops: [
          ["KAZAN", 0],
          ["SPB", 600],
        ],
        departures: [soon],
      });
      const ticket = await newTicket(userId, {
        train_number: 1050,
        station_id: "KAZAN",
        date: soon,
        start_date: soon,
      });
      const res = await request(ctx.app)
        .get(`${API}/robot/station/KAZAN/user/${userId}/current_ticket`)
        .set(bearer(robot));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...ticket, code: "" });
      const elsewhere = await request(ctx.app)
        .get(`${API}/robot/station/SPB/user/${userId}/current_ticket`)
        .set(bearer(robot));
      expect(elsewhere.status).toBe(404);
      const badId = await request(ctx.app)
        .get(`${API}/robot/station/SPB/user/nope/current_ticket`)
        .set(bearer(robot));
      expect(badId.status).toBe(422);
    });
  });
});
