import request from "supertest";
import { describe, expect } from "vitest";
import { test, type TestContext } from "../../test/fixtures.js";
import { API, bearer } from "../../test/helpers.js";
import { LAST_ADMIN_DETAIL } from "./engineers.service.js";

/** The file's app with its helpers. */
const helpers = (ctx: TestContext) => ({
  login: async (l: string, password: string) => {
    const res = await request(ctx.app).post(`${API}/auth/engineer/login`).send({ login: l, password });
    expect(res.status).toBe(200);
    return res.body.token as string;
  },
  admins: () => ctx.db.engineer.findMany({ where: { privileges: { gte: 8 } } }),
  removeAdmin: (token: string, id: string, how: "delete" | "demote") =>
    how === "delete"
      ? request(ctx.app).delete(`${API}/admin/engineers/${id}`).set(bearer(token))
      : request(ctx.app)
          .put(`${API}/admin/engineer_privileges`)
          .set(bearer(token))
          .send({ id, privileges: ["ROBOT_LOGIN"] }),
});

const it = test.extend<{ h: ReturnType<typeof helpers> }>({
  h: async ({ ctx }, use) => use(helpers(ctx)),
});

/** Somebody must always be able to administer: the last ADMIN can neither be deleted nor lose the bit. */
describe("the last ADMIN engineer", () => {
  it("refuses to delete itself or drop its own ADMIN bit with 409 when it is the only one", async ({
    ctx,
    h: { login, admins, removeAdmin },
  }) => {
    const token = await login(ctx.config.BOOTSTRAP_ENGINEER_LOGIN, ctx.config.BOOTSTRAP_ENGINEER_PASSWORD);
    const [me] = await admins();
    for (const how of ["delete", "demote"] as const) {
      const res = await removeAdmin(token, me!.id, how);
      expect(res.status, how).toBe(409);
      expect(res.body).toEqual({ detail: LAST_ADMIN_DETAIL });
    }
    expect(await admins()).toHaveLength(1);
    // Still works: the session was not ended, the engineer can administer.
    expect((await request(ctx.app).get(`${API}/admin/engineers`).set(bearer(token))).status).toBe(200);
  });

  it("lets exactly one of two admins removing each other at the same moment succeed", async ({
    ctx,
    h: { login, admins, removeAdmin },
  }) => {
    for (const [round, how] of (["delete", "demote", "delete", "demote"] as const).entries()) {
      const [first] = await admins();
      const firstLogin = first!.login;
      const firstPassword =
        firstLogin === ctx.config.BOOTSTRAP_ENGINEER_LOGIN
          ? ctx.config.BOOTSTRAP_ENGINEER_PASSWORD
          : "password-1";
      const firstToken = await login(firstLogin, firstPassword);
      const second = `admin-${round}`;
      const created = await request(ctx.app)
        .post(`${API}/admin/engineer`)
        .set(bearer(firstToken))
        .send({ login: second, password: "password-1", privileges: ["ADMIN"] });
      expect(created.status).toBe(200);
      const secondToken = await login(second, "password-1");
      const results = await Promise.all([
        removeAdmin(firstToken, created.body.id, how),
        removeAdmin(secondToken, first!.id, how),
      ]);
      expect(results.map((r) => r.status).sort(), how).toEqual([200, 409]);
      expect(await admins()).toHaveLength(1);
    }
  });
});
