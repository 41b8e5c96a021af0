import request from "supertest";
import { describe, expect } from "vitest";
import { test as it } from "../../test/fixtures.js";

describe("base service health, readiness and docs", () => {
  it("answers liveness", async ({ ctx }) => {
    const res = await request(ctx.app).get("/base_api/v1/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok", service: "base" });
  });

  it("is ready when Postgres and Redis answer", async ({ ctx }) => {
    const res = await request(ctx.app).get("/base_api/v1/ready");
    expect(res.status).toBe(200);
    expect(res.body.checks).toEqual({ postgres: "ok", redis: "ok" });
  });

  it("echoes a caller's request id and generates one otherwise", async ({ ctx }) => {
    const given = await request(ctx.app).get("/base_api/v1/health").set("X-Request-Id", "robot-42.req-7");
    expect(given.headers["x-request-id"]).toBe("robot-42.req-7");
    const generated = await request(ctx.app).get("/base_api/v1/health");
    expect(generated.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("serves OpenAPI and interactive docs", async ({ ctx }) => {
    const spec = await request(ctx.app).get("/base_api/v1/openapi.json");
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toBe("3.1.0");
    const docs = await request(ctx.app).get("/base_api/v1/docs");
    expect(docs.status).toBe(200);
    expect(docs.text).toContain("SwaggerUIBundle");
    const asset = await request(ctx.app).get("/base_api/v1/docs/assets/swagger-ui-bundle.js");
    expect(asset.status).toBe(200);
  });

  it("documents realistic sample values (no -9007199254740991 for unbounded integers)", async ({ ctx }) => {
    const spec = await request(ctx.app).get("/base_api/v1/openapi.json");
    expect(spec.status).toBe(200);
    expect(JSON.stringify(spec.body)).not.toContain("9007199254740991");
  });

  it("exposes Prometheus metrics by route", async ({ ctx }) => {
    await request(ctx.app).get("/base_api/v1/health");
    const res = await request(ctx.app).get("/metrics");
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/http_requests_total\{[^}]*route="\/base_api\/v1\/health"/);
  });

  it("renders unknown routes as a 404 detail", async ({ ctx }) => {
    const res = await request(ctx.app).get("/base_api/v1/nope");
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: "Not Found" });
  });

  it("refuses NUL characters (Postgres cannot store them) with 422 instead of failing in the database", async ({
    ctx,
  }) => {
    const body = await request(ctx.app)
      .post("/base_api/v1/auth/engineer/login")
      .send({ login: "a\u0000b", password: "x" });
    expect(body.status).toBe(422);
    expect(body.body.detail[0]).toMatchObject({
      loc: ["body", "login"],
      msg: "NUL characters are not allowed",
    });
    const path = await request(ctx.app).get("/base_api/v1/robot/destination/a%00b/hotels");
    expect(path.status).toBe(422);
    expect(path.body.detail[0].loc).toEqual(["path"]);
  });
});
