import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../test/fixtures.js";
import {
  API,
  bearer,
  createItem,
  engineerToken,
  serviceToken,
  storeWithTerminal,
} from "../../test/helpers.js";

/** A stand-in for the base service's POST /internal/audit over real HTTP: records what the store sends. */
async function startBaseStub() {
  const received: { path: string; authorization?: string; body: Record<string, unknown> }[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      received.push({ path: req.url ?? "", authorization: req.headers.authorization, body: JSON.parse(raw) });
      res.writeHead(201, { "Content-Type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/base_api/v1`;
  return { url, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe("store admin actions reported to the base audit log", () => {
  let ctx: TestContext;
  let base: Awaited<ReturnType<typeof startBaseStub>>;
  beforeAll(async () => {
    base = await startBaseStub();
    ctx = await createTestContext({ AUDIT_TO_BASE: "true", BASE_API_URL: base.url });
  });
  afterAll(async () => {
    await ctx?.close();
    await base?.close();
  });

  async function reports(n: number) {
    for (let i = 0; i < 50 && base.received.length < n; i++) await new Promise((r) => setTimeout(r, 50));
    return base.received;
  }

  it("reports successful admin mutations with the actor, and nothing else", async () => {
    const created = await request(ctx.app)
      .post(`${API}/admin/store`)
      .set("Authorization", bearer(serviceToken(ctx)))
      .send({ name: "Audited kiosk", description: "d", logo_url: "l", store_type: "SHOP" });
    expect(created.status).toBe(200);
    const [first] = await reports(1);
    expect(first).toMatchObject({
      path: "/base_api/v1/internal/audit",
      authorization: `Bearer ${ctx.config.INTERNAL_SERVICE_TOKEN}`,
      body: {
        service: "store",
        actor_kind: "service",
        actor_id: null,
        action: "POST /admin/store",
        method: "POST",
        entity: "store",
        entity_id: created.body.id,
        status: 200,
        request: { name: "Audited kiosk" },
        after: { id: created.body.id, name: "Audited kiosk" },
      },
    });

    // Refused and failed requests and terminal routes are not reported.
    await request(ctx.app).post(`${API}/admin/store`).send({ name: "x" });
    await request(ctx.app)
      .post(`${API}/admin/store`)
      .set("Authorization", bearer(serviceToken(ctx)))
      .send({});
    const { token } = await storeWithTerminal(ctx);
    await createItem(ctx, token);
    const before = base.received.length; // storeWithTerminal created a store through the admin route: 2 so far
    expect(before).toBe(2);

    const engineer = await engineerToken(ctx);
    const deleted = await request(ctx.app)
      .delete(`${API}/admin/store/${created.body.id}`)
      .set("Authorization", bearer(engineer));
    expect(deleted.status).toBe(200);
    const all = await reports(3);
    expect(all).toHaveLength(3);
    const session = await ctx.sessions.validate("engineer", engineer);
    expect(all[2]!.body).toMatchObject({
      actor_kind: "engineer",
      actor_id: session!.subject,
      action: "DELETE /admin/store/:store_id",
      entity_id: created.body.id,
      after: null,
    });
  });
});
