import { randomUUID } from "node:crypto";
import request from "supertest";
import { describe, expect } from "vitest";
import { faceContract } from "../../test/face-stub.js";
import { testWithServices, type TestContext } from "../../test/fixtures.js";
import { seedTrain } from "../../test/railway.js";
import { UsersRepository } from "./users.repository.js";
import {
  API,
  adminToken,
  bearer,
  robotSession,
  withStatementCount,
  type StubService,
} from "../../test/helpers.js";

interface UsersFixture {
  ctx: TestContext;
  face: StubService;
  admin: string;
  robot: string;
  /** Faces the stub face service knows in this test (user id -> image); fresh for every test. */
  enrolled: Map<string, string>;
  createUser: (body: Record<string, unknown>) => request.Test;
  /** The face service answers 503 for the rest of this test. */
  faceDown: () => void;
}

/**
 * One app and stub face service per file (tokens made once), and per test a fresh set of enrolled faces with the
 * stub speaking the face contract again, so no test sees another's faces or outage.
 */
const it = testWithServices.extend<{ tokens: { admin: string; robot: string }; u: UsersFixture }>({
  tokens: [
    async ({ ctx }, use) => use({ admin: await adminToken(ctx), robot: (await robotSession(ctx)).token }),
    { scope: "file" },
  ],
  u: async ({ ctx, face, tokens }, use) => {
    const enrolled = new Map<string, string>();
    face.handler = faceContract(enrolled);
    await use({
      ctx,
      face,
      ...tokens,
      enrolled,
      createUser: (body) => request(ctx.app).post(`${API}/admin/user`).set(bearer(tokens.admin)).send(body),
      faceDown: () => {
        face.handler = () => ({ status: 503, body: { detail: "down" } });
      },
    });
  },
});

describe("users: admin API with face enrolment, robot identification", () => {
  it("creates a user (the reference always answered 500) and refuses a duplicate name with 409", async ({
    u: { createUser },
  }) => {
    const res = await createUser({ name: "Ivan Petrov" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: "Ivan Petrov" });
    const again = await createUser({ name: "Ivan Petrov" });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ detail: "User already exists" });
    const long = await createUser({ name: "x".repeat(61) });
    expect(long.status).toBe(422);
  });

  it("creates one user when the same name is submitted concurrently", async ({ u: { ctx, createUser } }) => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => createUser({ name: "Concurrent Name" })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(7);
    expect(await ctx.db.user.count({ where: { name: "Concurrent Name" } })).toBe(1);
  });

  it("enrols the face under the new user's id", async ({ u: { ctx, face, enrolled, createUser } }) => {
    const res = await createUser({ name: "With Face", face: "face:me" });
    expect(res.status).toBe(200);
    expect(enrolled.get(res.body.id)).toBe("face:me");
    const call = face.calls.at(-1)!;
    expect(call.authorization).toBe(`Bearer ${ctx.config.INTERNAL_SERVICE_TOKEN}`);
    expect(call.body).toEqual({ image: "face:me", user_id: res.body.id });
  });

  it("leaves no user behind when face enrolment fails (409 face of someone else, 400 bad image, 503 outage)", async ({
    u: { ctx, enrolled, createUser, faceDown },
  }) => {
    const other = randomUUID();
    enrolled.set(other, `face:${other}`);
    const taken = await createUser({ name: "Copycat", face: `face:${other}` });
    expect(taken.status).toBe(409);
    expect(taken.body).toEqual({ detail: "Face already exists" });
    const noFace = await createUser({ name: "Copycat", face: "noface" });
    expect(noFace.status).toBe(400);
    expect(noFace.body).toEqual({ detail: "No faces" });
    faceDown();
    const down = await createUser({ name: "Copycat", face: "face:x" });
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ detail: "Face service unavailable" });
    expect(await ctx.db.user.count({ where: { name: "Copycat" } })).toBe(0);
  });

  it("removes a face the face service stored before failing, so it cannot block the face later", async ({
    u: { ctx, face, enrolled, createUser },
  }) => {
    const contract = faceContract(enrolled);
    face.handler = async (call) => {
      const answer = await contract(call);
      return call.method === "POST" && call.path.endsWith("/face")
        ? { status: 500, body: { detail: "crashed" } }
        : answer;
    };
    const res = await createUser({ name: "Half Enrolled", face: "face:half" });
    expect(res.status).toBe(503);
    expect([...enrolled.values()]).not.toContain("face:half");
    expect(await ctx.db.user.count({ where: { name: "Half Enrolled" } })).toBe(0);
  });

  it("deletes a user with their face, tickets and Keycloak links", async ({
    u: { ctx, admin, enrolled, createUser },
  }) => {
    const user = (await createUser({ name: "Leaving", face: "face:leaving" })).body;
    const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const runs = await seedTrain(ctx.db, { number: 1, departures: [now.toISOString()] });
    await ctx.db.ticket.create({
      data: {
        userId: user.id,
        runId: runs.get(now.toISOString())!,
        trainNumber: 1,
        wagonNumber: 1,
        placeNumber: 1,
        stationId: "MOSCOW",
        destinationId: "SPB",
        date: now,
        startDate: now,
        code: "c".repeat(64),
      },
    });
    const link = await request(ctx.app)
      .post(`${API}/admin/keycloak_user`)
      .set(bearer(admin))
      .send({ k_id: randomUUID(), user_id: user.id });
    expect(link.status).toBe(200);
    const del = await request(ctx.app).delete(`${API}/admin/users/${user.id}`).set(bearer(admin));
    expect(del.status).toBe(200);
    expect(enrolled.has(user.id)).toBe(false);
    expect(await ctx.db.user.count({ where: { id: user.id } })).toBe(0);
    expect(await ctx.db.ticket.count({ where: { userId: user.id } })).toBe(0);
    expect(await ctx.db.keycloakUser.count({ where: { userId: user.id } })).toBe(0);
    expect((await request(ctx.app).delete(`${API}/admin/users/${user.id}`).set(bearer(admin))).status).toBe(
      404,
    );
  });

  it("leaves the database unchanged when the face service fails during deletion", async ({
    u: { ctx, face, admin, enrolled, createUser, faceDown },
  }) => {
    const user = (await createUser({ name: "Staying" })).body;
    faceDown();
    const del = await request(ctx.app).delete(`${API}/admin/users/${user.id}`).set(bearer(admin));
    expect(del.status).toBe(503);
    expect(await ctx.db.user.count({ where: { id: user.id } })).toBe(1);
    face.handler = faceContract(enrolled);
    expect((await request(ctx.app).delete(`${API}/admin/users/${user.id}`).set(bearer(admin))).status).toBe(
      200,
    );
  });

  it("adds and removes a face of an existing user; 404 for unknown users", async ({
    u: { ctx, admin, enrolled, createUser },
  }) => {
    const user = (await createUser({ name: "Later Face" })).body;
    const patch = await request(ctx.app)
      .patch(`${API}/admin/user/${user.id}/face`)
      .set(bearer(admin))
      .send({ face: "face:later" });
    expect(patch.status).toBe(200);
    expect(patch.body).toEqual({ status: "OK" });
    expect(enrolled.get(user.id)).toBe("face:later");
    const del = await request(ctx.app).delete(`${API}/admin/user/face?user_id=${user.id}`).set(bearer(admin));
    expect(del.status).toBe(200);
    expect(enrolled.has(user.id)).toBe(false);
    const unknown = await request(ctx.app)
      .patch(`${API}/admin/user/${randomUUID()}/face`)
      .set(bearer(admin))
      .send({ face: "face:x" });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ detail: "User not found" });
    expect(
      (await request(ctx.app).delete(`${API}/admin/user/face?user_id=bad`).set(bearer(admin))).status,
    ).toBe(422);
  });

  it("lists users paginated", async ({ u: { ctx, admin, createUser } }) => {
    await createUser({ name: "Page A" });
    await createUser({ name: "Page B" });
    const res = await request(ctx.app).get(`${API}/admin/users?page=1&size=1`).set(bearer(admin));
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.pages).toBe(res.body.total);
  });

  it("finds passengers by part of the name and reads one by id (engineer console)", async ({
    u: { ctx, admin, robot, createUser },
  }) => {
    const anna = (await createUser({ name: "Anna Karenina" })).body;
    await createUser({ name: "Vronsky" });
    const found = await request(ctx.app).get(`${API}/admin/users?q=KAREN`).set(bearer(admin));
    expect(found.body).toMatchObject({ items: [anna], total: 1 });
    const one = await request(ctx.app).get(`${API}/admin/users/${anna.id}`).set(bearer(admin));
    expect(one.body).toEqual(anna);
    const missing = await request(ctx.app).get(`${API}/admin/users/${randomUUID()}`).set(bearer(admin));
    expect(missing).toMatchObject({ status: 404, body: { detail: "User not found" } });
    expect((await request(ctx.app).get(`${API}/admin/users/bad`).set(bearer(admin))).status).toBe(422);
    expect((await request(ctx.app).get(`${API}/admin/users/${anna.id}`)).status).toBe(401);
    expect((await request(ctx.app).get(`${API}/admin/users/${anna.id}`).set(bearer(robot))).status).toBe(401);
    expect(
      (
        await request(ctx.app)
          .get(`${API}/admin/users?q=${"x".repeat(61)}`)
          .set(bearer(admin))
      ).status,
    ).toBe(422);
  });

  it("looks up passengers asked for in the same moment with one statement, each caller getting its own row", async ({
    u: { ctx, createUser },
  }) => {
    const users = await Promise.all(
      ["Batch One", "Batch Two", "Batch Three"].map(async (name) => (await createUser({ name })).body),
    );
    const repository = new UsersRepository(ctx.db);
    await withStatementCount(ctx, "users_by_ids", async (statements) => {
      const unknownId = randomUUID();
      const asked = [users[2].id, unknownId, users[0].id.toUpperCase(), users[1].id, users[2].id];
      const found = await Promise.all(asked.map((id) => repository.findById(id)));
      expect(found).toEqual([users[2], null, users[0], users[1], users[2]]);
      expect(statements()).toBe(1);
      // Asked one after another, each lookup is its own statement again (nothing is cached between them).
      await ctx.db.user.update({ where: { id: users[0].id }, data: { name: "Batch One renamed" } });
      expect(await repository.findById(users[0].id)).toEqual({ id: users[0].id, name: "Batch One renamed" });
      expect(statements()).toBe(2);
    });
  });

  it("answers concurrent robot lookups of known and unknown passengers each with its own answer", async ({
    u: { ctx, robot, createUser },
  }) => {
    const users = await Promise.all(
      ["Crowd A", "Crowd B", "Crowd C", "Crowd D"].map(async (name) => (await createUser({ name })).body),
    );
    const ids = [...users.map((u: { id: string }) => u.id), randomUUID(), randomUUID()];
    const answers = await Promise.all(
      [...ids, ...ids].map((id) => request(ctx.app).get(`${API}/robot/user/${id}`).set(bearer(robot))),
    );
    answers.forEach((res, i) => {
      const user = users[i % ids.length];
      if (user) expect([res.status, res.body]).toEqual([200, user]);
      else expect([res.status, res.body]).toEqual([404, { detail: "User not found" }]);
    });
  });

  it("identifies a passenger by face for a robot", async ({ u: { ctx, robot, enrolled, createUser } }) => {
    const user = (await createUser({ name: "Known Face", face: "face:known" })).body;
    enrolled.set(user.id, `face:${user.id}`);
    const ok = await request(ctx.app)
      .post(`${API}/robot/identification`)
      .set(bearer(robot))
      .send({ image: `face:${user.id}` });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual(user);
    const stranger = await request(ctx.app)
      .post(`${API}/robot/identification`)
      .set(bearer(robot))
      .send({ image: "stranger" });
    expect(stranger.status).toBe(422);
    expect(stranger.body).toEqual({ detail: "Can`t recognize face" });
    const noFace = await request(ctx.app)
      .post(`${API}/robot/identification`)
      .set(bearer(robot))
      .send({ image: "noface" });
    expect(noFace.status).toBe(422);
    expect(noFace.body).toEqual({ detail: "Can`t recognize face" });
    const user2 = await request(ctx.app).get(`${API}/robot/user/${user.id}`).set(bearer(robot));
    expect(user2.body).toEqual(user);
  });

  it("identifies only among the passengers of the robot's run when it names the run (train_number + train_date)", async ({
    u: { ctx, robot, enrolled, createUser },
  }) => {
    const departure = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 3_600_000);
    const runs = await seedTrain(ctx.db, { number: 7, departures: [departure.toISOString()] });
    const ticketOn = async (userId: string, place: number) =>
      ctx.db.ticket.create({
        data: {
          userId,
          runId: runs.get(departure.toISOString())!,
          trainNumber: 7,
          wagonNumber: 1,
          placeNumber: place,
          stationId: "MOSCOW",
          destinationId: "SPB",
          date: departure,
          startDate: departure,
          code: randomUUID().replaceAll("-", "").repeat(2),
        },
      });
    const passenger = (await createUser({ name: `On board ${randomUUID().slice(0, 6)}` })).body;
    const twin = (await createUser({ name: `Twin ${randomUUID().slice(0, 6)}` })).body;
    const stranger = (await createUser({ name: `Elsewhere ${randomUUID().slice(0, 6)}` })).body;
    await ticketOn(passenger.id, 1);
    await ticketOn(twin.id, 2);
    for (const u of [passenger, twin, stranger]) enrolled.set(u.id, `face:${u.id}`);
    const identify = (image: string, run = true) =>
      request(ctx.app)
        .post(`${API}/robot/identification`)
        .set(bearer(robot))
        .send(run ? { image, train_number: 7, train_date: departure.toISOString() } : { image });
    const onBoard = await identify(`face:${passenger.id}`);
    expect(onBoard.status).toBe(200);
    expect(onBoard.body).toEqual(passenger);
    // Enrolled, but without a ticket on this run: refused on the run, found by the reference's global search.
    const elsewhere = await identify(`face:${stranger.id}`);
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body).toEqual({ detail: "Can`t recognize face" });
    expect((await identify(`face:${stranger.id}`, false)).body).toEqual(stranger);
    // A look-alike of two passengers of the run is refused, not confused.
    const lookalike = await identify(`lookalike:${passenger.id},${twin.id}`);
    expect(lookalike.status).toBe(422);
    // Half a run is a bad request.
    const half = await request(ctx.app)
      .post(`${API}/robot/identification`)
      .set(bearer(robot))
      .send({ image: `face:${passenger.id}`, train_number: 7 });
    expect(half.status).toBe(422);
  });

  it("lets other services look a passenger up with the internal service token only", async ({
    u: { ctx, robot, createUser },
  }) => {
    const user = (await createUser({ name: `internal-${randomUUID()}` })).body as {
      id: string;
      name: string;
    };
    const path = `${API}/internal/users/${user.id}`;
    const service = { Authorization: `Bearer ${ctx.config.INTERNAL_SERVICE_TOKEN}` };
    expect((await request(ctx.app).get(path).set(service)).body).toEqual(user);
    const missing = await request(ctx.app).get(`${API}/internal/users/${randomUUID()}`).set(service);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: "User not found" });
    expect((await request(ctx.app).get(path).set(bearer(robot))).status).toBe(401);
    expect(
      (await request(ctx.app).get(path).set({ Authorization: "Bearer not-the-service-token" })).status,
    ).toBe(401);
  });

  it("answers 404 when nobody is enrolled and 503 when the face service is unreachable", async ({
    u: { ctx, face, admin, robot },
  }) => {
    const nobody = await request(ctx.app)
      .post(`${API}/robot/identification`)
      .set(bearer(robot))
      .send({ image: "face:x" });
    expect(nobody.status).toBe(404);
    // Unreachable, not just failing: the stub stops listening (kept last in the file; closing twice is harmless).
    await face.close();
    const down = await request(ctx.app)
      .post(`${API}/robot/identification`)
      .set(bearer(robot))
      .send({ image: "face:x" });
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ detail: "Face service unavailable" });
    // routes that do not need the face service keep working
    expect((await request(ctx.app).get(`${API}/admin/users`).set(bearer(admin))).status).toBe(200);
  });
});
