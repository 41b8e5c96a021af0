import { randomUUID } from "node:crypto";
import request from "supertest";
import { describe, expect } from "vitest";
import { test as it } from "../../test/fixtures.js";
import { API, adminToken, bearer } from "../../test/helpers.js";

describe("admin Keycloak user links", () => {
  it("links a Keycloak subject to a user once; 404 for unknown users; unlinks idempotently", async ({
    ctx,
  }) => {
    const admin = await adminToken(ctx);
    const link = (body: Record<string, unknown>) =>
      request(ctx.app).post(`${API}/admin/keycloak_user`).set(bearer(admin)).send(body);
    const user = await ctx.db.user.create({ data: { name: "Linked" } });
    const kId = randomUUID();
    expect((await link({ k_id: kId, user_id: user.id })).status).toBe(200);
    const again = await link({ k_id: kId, user_id: user.id });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ detail: "Keycloak user already linked" });
    const unknown = await link({ k_id: randomUUID(), user_id: randomUUID() });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ detail: "User not found" });
    expect((await link({ k_id: "", user_id: user.id })).status).toBe(422);

    const unlink = () =>
      request(ctx.app)
        .delete(`${API}/admin/keycloak_user`)
        .set(bearer(admin))
        .send({ k_id: kId, user_id: user.id });
    expect((await unlink()).status).toBe(200);
    expect(await ctx.db.keycloakUser.count({ where: { id: kId } })).toBe(0);
    expect((await unlink()).status).toBe(200);
  });
});
