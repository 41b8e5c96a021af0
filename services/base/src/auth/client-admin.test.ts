import { createHash, createPublicKey, randomUUID } from "node:crypto";
import request from "supertest";
import { describe, expect } from "vitest";
import { testWithServices } from "../../test/fixtures.js";
import {
  API,
  adminToken,
  bearer,
  loginClient,
  newRsaClient,
  knownStore,
  robotSession,
} from "../../test/helpers.js";

/** What an engineer computes by hand: `openssl pkey -pubin -outform DER | sha256sum`. */
const fingerprint = (pem: string) =>
  createHash("sha256")
    .update(createPublicKey(pem).export({ type: "spki", format: "der" }))
    .digest("hex");

const storeId = randomUUID();

/** The file's app with a stub store service knowing `storeId`, the admin's token, and `list` for each test. */
const it = testWithServices.extend<{
  admin: string;
  list: (path: string) => request.Test;
}>({
  admin: [
    async ({ ctx, store }, use) => {
      store.handler = knownStore(storeId);
      await use(await adminToken(ctx));
    },
    { scope: "file" },
  ],
  list: async ({ ctx, admin }, use) =>
    use((path: string) => request(ctx.app).get(`${API}${path}?size=100`).set(bearer(admin))),
});

describe("admin lists of robots, store terminals and auth cards", () => {
  it("lists robots with model, key fingerprint, enrolment and last login; revoking ends the robot's session", async ({
    ctx,
    admin,
    list,
  }) => {
    const client = newRsaClient();
    const modelId = `model-${randomUUID().slice(0, 8)}`;
    const enrol = await request(ctx.app).post(`${API}/auth/robot/new_login`).send({
      login: ctx.config.BOOTSTRAP_ENGINEER_LOGIN,
      password: ctx.config.BOOTSTRAP_ENGINEER_PASSWORD,
      public_key: client.publicKey,
      robot_model_id: modelId,
      robot_model_name: "Porter:1.0",
    });
    expect(enrol.status).toBe(200);
    // The robot-facing answer keeps the reference's shape.
    expect(Object.keys(enrol.body).sort()).toEqual(["id", "robot_model_id", "robot_model_name"]);
    const id = enrol.body.id as string;

    const find = async () =>
      (await list("/admin/robots")).body.items.find((r: { id: string }) => r.id === id);
    const before = await find();
    expect(before).toEqual({
      id,
      robot_model_id: modelId,
      robot_model_name: "Porter:1.0",
      key_fingerprint_sha256: fingerprint(client.publicKey),
      enrolled_at: expect.any(String),
      last_login_at: null,
    });
    expect(Date.parse(before.enrolled_at)).toBeGreaterThan(Date.now() - 60_000);

    const token = await loginClient(ctx, "robot", id, client);
    const after = await find();
    expect(Date.parse(after.last_login_at)).toBeGreaterThanOrEqual(Date.parse(before.enrolled_at));

    const robotCall = () => request(ctx.app).get(`${API}/robot/destination/MOSCOW/hotels`).set(bearer(token));
    expect((await robotCall()).status).toBe(200);
    expect((await request(ctx.app).delete(`${API}/admin/robots/${id}`).set(bearer(admin))).status).toBe(200);
    expect((await robotCall()).status).toBe(401);
    expect(await find()).toBeUndefined();
  });

  it("lists store terminals; re-enrolment resets enrolled_at, revoking ends the terminal's sessions", async ({
    ctx,
    admin,
    list,
  }) => {
    const enrol = async () => {
      const client = newRsaClient();
      const res = await request(ctx.app).post(`${API}/auth/store/new_login`).send({
        login: ctx.config.BOOTSTRAP_ENGINEER_LOGIN,
        password: ctx.config.BOOTSTRAP_ENGINEER_PASSWORD,
        public_key: client.publicKey,
        store_id: storeId,
      });
      expect(res.status).toBe(200);
      return client;
    };
    const find = async () =>
      (await list("/admin/store_terminals")).body.items.find(
        (t: { store_id: string }) => t.store_id === storeId,
      );
    const first = await enrol();
    const row = await find();
    expect(row).toEqual({
      store_id: storeId,
      key_fingerprint_sha256: fingerprint(first.publicKey),
      enrolled_at: expect.any(String),
      last_login_at: null,
    });
    const token = await loginClient(ctx, "store", storeId, first);
    expect((await find()).last_login_at).not.toBeNull();
    expect(await ctx.sessions.validate("store", token)).not.toBeNull();

    const second = await enrol();
    const replaced = await find();
    expect(replaced.key_fingerprint_sha256).toBe(fingerprint(second.publicKey));
    expect(replaced.last_login_at).toBeNull();
    expect(await ctx.sessions.validate("store", token)).toBeNull();

    const token2 = await loginClient(ctx, "store", storeId, second);
    expect(
      (await request(ctx.app).delete(`${API}/admin/store_terminals/${storeId}`).set(bearer(admin))).status,
    ).toBe(200);
    expect(await ctx.sessions.validate("store", token2)).toBeNull();
    expect(await find()).toBeUndefined();
  });

  it("lists auth cards with the key masked", async ({ ctx, admin, list }) => {
    const login = `card-${randomUUID().slice(0, 8)}`;
    const created = await request(ctx.app)
      .post(`${API}/admin/engineer`)
      .set(bearer(admin))
      .send({ login, password: "long-enough-pass", privileges: [] });
    expect(created.status).toBe(200);
    const key = `CARD-${randomUUID()}`;
    const set = await request(ctx.app)
      .put(`${API}/admin/engineer/${created.body.id}/auth_card`)
      .set(bearer(admin))
      .send({ key });
    expect(set.status).toBe(200);
    const res = await list("/admin/auth_cards");
    expect(res.status).toBe(200);
    const card = res.body.items.find((c: { engineer_id: string }) => c.engineer_id === created.body.id);
    expect(card).toEqual({
      id: expect.any(String),
      engineer_id: created.body.id,
      engineer_login: login,
      key_masked: `****${key.slice(-4)}`,
      created_at: expect.any(String),
    });
    expect(JSON.stringify(res.body)).not.toContain(key);
  });

  it("needs an ADMIN engineer", async ({ ctx }) => {
    for (const path of ["/admin/robots", "/admin/store_terminals", "/admin/auth_cards"]) {
      expect((await request(ctx.app).get(`${API}${path}`)).status).toBe(401);
      const robot = await robotSession(ctx);
      expect((await request(ctx.app).get(`${API}${path}`).set(bearer(robot.token))).status).toBe(401);
    }
  });
});
