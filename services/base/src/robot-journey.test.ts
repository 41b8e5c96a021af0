import { randomUUID } from "node:crypto";
import request from "supertest";
import { describe, expect } from "vitest";
import { faceContract } from "../test/face-stub.js";
import { testWithServices } from "../test/fixtures.js";
import { seedTrain } from "../test/railway.js";
import { API, adminToken, bearer, newRsaClient, solveChallenge } from "../test/helpers.js";

/**
 * The headless robot-client scenario of reference 12.3, as the existing robots issue the calls (paths, methods,
 * field names), against this service: seed through the admin API, then enrol, log in and work a trip.
 */
/** The file's app with the face service's contract stubbed, train 1012 with a run, and the admin's token. */
const it = testWithServices.extend<{ admin: string }>({
  admin: [
    async ({ ctx, face }, use) => {
      face.handler = faceContract();
      await seedTrain(ctx.db, { number: 1012, departures: ["2026-05-01T02:00:00Z"] });
      await use(await adminToken(ctx));
    },
    { scope: "file" },
  ],
});

describe("robot client journey (reference 12.3)", () => {
  it("seeds, enrols a robot, checks a ticket, and serves the passenger's destination info", async ({
    ctx,
    admin,
  }) => {
    const as = (token: string) => bearer(token);
    // Seed: engineer with robot privileges and an RFID card, passenger with face, ticket, hotels.
    const engineer = await request(ctx.app)
      .post(`${API}/admin/engineer`)
      .set(as(admin))
      .send({ login: "field-engineer", password: "field-engineer-pw" });
    expect(engineer.status).toBe(200);
    await request(ctx.app)
      .put(`${API}/admin/engineer_privileges`)
      .set(as(admin))
      .send({ id: engineer.body.id, privileges: ["ROBOT_LOGIN", "STORE_LOGIN", "ROBOT_ADMIN"] })
      .expect(200);
    await request(ctx.app)
      .put(`${API}/admin/engineer/${engineer.body.id}/auth_card`)
      .set(as(admin))
      .send({ key: "0x01 0x02 0x03 0x04" })
      .expect(200);
    const passenger = await request(ctx.app)
      .post(`${API}/admin/user`)
      .set(as(admin))
      .send({ name: "Anna", face: null });
    const userId = passenger.body.id as string;
    await request(ctx.app)
      .patch(`${API}/admin/user/${userId}/face`)
      .set(as(admin))
      .send({ face: `face:${userId}` })
      .expect(200);
    const ticket = await request(ctx.app).post(`${API}/admin/ticket`).set(as(admin)).send({
      user_id: userId,
      train_number: 1012,
      wagon_number: 2,
      place_number: 14,
      station_id: "MOSCOW",
      destination: "SPB",
      date: "2026-05-01T02:00:00Z",
      start_date: "2026-05-01T02:00:00Z",
    });
    expect(ticket.status).toBe(200);
    for (const n of [1, 2, 3, 4]) {
      await request(ctx.app)
        .post(`${API}/admin/destination/SPB/hotel`)
        .set(as(admin))
        .send({ name: `Hotel ${n}`, description: "...", logo_url: `/static/logos/hotels/${n}.png` })
        .expect(200);
    }

    // Robot: new_login -> login -> login_code, then the bearer token on every call.
    const keys = newRsaClient();
    const enrol = await request(ctx.app).post(`${API}/auth/robot/new_login`).send({
      login: "field-engineer",
      password: "field-engineer-pw",
      public_key: keys.publicKey,
      robot_model_id: "TestRobotID1",
      robot_model_name: "TestRobot:0.1.0:001",
    });
    expect(enrol.status).toBe(200);
    const challenge = await request(ctx.app).post(`${API}/auth/robot/login`).send({ id: enrol.body.id });
    const login = await request(ctx.app)
      .post(`${API}/auth/robot/login_code`)
      .send({ request_id: challenge.body.request_id, data: solveChallenge(keys, challenge.body.data) });
    expect(Object.keys(login.body)).toEqual(["token"]);
    const robot = as(login.body.token);

    const card = await request(ctx.app)
      .post(`${API}/robot/engineer/admin_access`)
      .set(robot)
      .send({ key: "0x01 0x02 0x03 0x04" });
    expect(card.body).toEqual({ login: "field-engineer", id: engineer.body.id });
    expect(
      (await request(ctx.app).post(`${API}/robot/engineer/admin_access`).set(robot).send({ key: "bad" }))
        .status,
    ).toBe(403);

    // Ticket check by QR code exactly as the robot sends it (Python isoformat without offset = UTC).
    const check = {
      station_id: "MOSCOW",
      train_number: 1012,
      wagon_number: 2,
      date: "2026-05-01T02:00:00",
      code: ticket.body.code,
      mark_as_used: true,
    };
    const checked = await request(ctx.app).post(`${API}/robot/ticket_validation`).set(robot).send(check);
    expect(checked.status).toBe(200);
    expect(checked.body).toEqual(ticket.body);
    const rescan = await request(ctx.app).post(`${API}/robot/ticket_validation`).set(robot).send(check);
    expect(rescan.status).toBe(400);
    expect(rescan.body.detail.message).toBe("Ticket already used");

    // Passenger identification and the user menu.
    const who = await request(ctx.app)
      .post(`${API}/robot/identification`)
      .set(robot)
      .send({ image: `face:${userId}` });
    expect(who.body).toEqual({ id: userId, name: "Anna" });
    const destination = await request(ctx.app)
      .post(`${API}/robot/determine_destination`)
      .set(robot)
      .send({ user_id: userId, train_number: 1012, start_date: "2026-05-01T02:00:00Z" });
    expect(destination.body).toEqual({ id: "SPB" });
    const hotels = await request(ctx.app)
      .get(`${API}/robot/destination/SPB/hotels?page=1&size=50`)
      .set(robot);
    expect(hotels.body.total).toBe(4);
    const stores = await request(ctx.app)
      .get(`${API}/robot/train/1012/stores`)
      .query({ train_date: "2026-05-01T02:00:00Z" })
      .set(robot);
    // The robot client reads `items` (store ids) and asks the store service about them.
    expect(stores.body).toMatchObject({ items: [], train_number: 1012 });

    // Token removed from Redis -> 401.
    await ctx.sessions.revoke("robot", login.body.token);
    expect((await request(ctx.app).get(`${API}/robot/user/${randomUUID()}`).set(robot)).status).toBe(401);
  });
});
