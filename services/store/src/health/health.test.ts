import request from "supertest";
import { describe, expect } from "vitest";
import { test as it } from "../../test/fixtures.js";
import { bearer, robotToken, storeWithTerminal } from "../../test/helpers.js";

describe("store service health, readiness and docs", () => {
  it("answers liveness", async ({ ctx }) => {
    const res = await request(ctx.app).get("/store_api/v1/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok", service: "store" });
  });

  it("is ready when Postgres and Redis answer", async ({ ctx }) => {
    const res = await request(ctx.app).get("/store_api/v1/ready");
    expect(res.status).toBe(200);
    expect(res.body.checks).toEqual({ postgres: "ok", redis: "ok" });
  });

  it("echoes a caller's request id and generates one otherwise", async ({ ctx }) => {
    const given = await request(ctx.app).get("/store_api/v1/health").set("X-Request-Id", "robot-42.req-7");
    expect(given.headers["x-request-id"]).toBe("robot-42.req-7");
    const generated = await request(ctx.app).get("/store_api/v1/health");
    expect(generated.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("serves OpenAPI and interactive docs", async ({ ctx }) => {
    const spec = await request(ctx.app).get("/store_api/v1/openapi.json");
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toBe("3.1.0");
    const docs = await request(ctx.app).get("/store_api/v1/docs");
    expect(docs.status).toBe(200);
    expect(docs.text).toContain("SwaggerUIBundle");
    const asset = await request(ctx.app).get("/store_api/v1/docs/assets/swagger-ui-bundle.js");
    expect(asset.status).toBe(200);
  });

  it("documents every store route with its security scheme", async ({ ctx }) => {
    const spec = await request(ctx.app).get("/store_api/v1/openapi.json");
    const paths = spec.body.paths as Record<string, Record<string, { security?: Record<string, unknown>[] }>>;
    const expected: [string, string, string][] = [
      ["/admin/store", "post", "service"],
      ["/admin/stores", "get", "service"],
      ["/admin/store/{store_id}", "get", "service"],
      ["/admin/store/{store_id}", "delete", "service"],
      ["/admin/ids/stores", "get", "service"],
      ["/internal/users/{user_id}/purchases", "get", "service"],
      ["/store/items", "get", "store"],
      ["/store/item/{item_id}", "get", "store"],
      ["/store/item", "post", "store"],
      ["/store/item", "put", "store"],
      ["/store/item/{item_id}", "delete", "store"],
      ["/store/purchase", "post", "store"],
      ["/store/tasks", "get", "store"],
      ["/store/task/{task_id}/ready", "put", "store"],
      ["/store/task/{task_id}", "put", "store"],
      ["/robot/store/{store_id}", "get", "robot"],
      ["/robot/stores/list", "post", "robot"],
      ["/robot/store/{store_id}/make_purchase", "post", "robot"],
      ["/robot/store/{store_id}/user/{user_id}/recommendations", "get", "robot"],
      ["/robot/tasks/ready", "get", "robot"],
      ["/robot/task/{task_id}/delivered", "put", "robot"],
    ];
    for (const [path, method, scheme] of expected) {
      const op = paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op?.security?.map((s) => Object.keys(s)[0])).toEqual([scheme]);
    }
  });

  it("exposes Prometheus metrics by route", async ({ ctx }) => {
    await request(ctx.app).get("/store_api/v1/health");
    const res = await request(ctx.app).get("/metrics");
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/http_requests_total\{[^}]*route="\/store_api\/v1\/health"/);
  });

  it("renders unknown routes as a 404 detail", async ({ ctx }) => {
    const res = await request(ctx.app).get("/store_api/v1/nope");
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: "Not Found" });
  });

  it("answers 4xx, not 500, to a path parameter with broken percent-encoding", async ({ ctx }) => {
    // Refused app-wide by the service kit (packages/common) with 400; a 500 here would mean it reached a route.
    const robot = await robotToken(ctx);
    const { token } = await storeWithTerminal(ctx);
    for (const [method, path, auth] of [
      ["get", "/robot/store/%FF", robot],
      ["get", "/robot/store/%ED%A0%80", robot],
      ["get", "/robot/store/%E0%A4%A/user/x/recommendations", robot],
      ["get", "/store/item/%FF", token],
      ["put", "/robot/task/%C0/delivered", robot],
    ] as const) {
      const res = await request(ctx.app)[method](`/store_api/v1${path}`).set("Authorization", bearer(auth));
      expect(res.status, path).toBe(400);
      expect(typeof res.body.detail, path).toBe("string");
    }
  });
});
