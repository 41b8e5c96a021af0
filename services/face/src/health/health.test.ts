import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../test/fixtures.js";
import { b64, faceCrop } from "../../test/images.js";

describe("face service health, readiness and docs", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => ctx?.close());

  it("answers liveness", async () => {
    const res = await request(ctx.app).get("/face_api/v1/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok", service: "face" });
  });

  it("is ready when Postgres, Redis and Chroma answer and the models are loaded and warmed up", async () => {
    const res = await request(ctx.app).get("/face_api/v1/ready");
    expect(res.status).toBe(200);
    expect(res.body.checks).toEqual({ postgres: "ok", redis: "ok", chroma: "ok", models: "ok" });
  });

  it("is not ready while the models are not loaded", async () => {
    const loading = await createTestContext({ FACE_INFERENCE_ENABLED: "false" });
    try {
      const res = await request(loading.app).get("/face_api/v1/ready");
      expect(res.status).toBe(503);
      expect(res.body.detail).toBe("Not ready: models unavailable");
      expect(res.body.checks.models).toMatch(/^down: face models are loading/);
    } finally {
      await loading.close();
    }
  });

  it("is not ready when Chroma does not answer", async () => {
    const noChroma = await createTestContext({
      FACE_INFERENCE_ENABLED: "false",
      CHROMA_URL: "http://127.0.0.1:9",
    });
    try {
      const res = await request(noChroma.app).get("/face_api/v1/ready");
      expect(res.status).toBe(503);
      expect(res.body.checks.chroma).toMatch(/^down:/);
    } finally {
      await noChroma.close();
    }
  });

  it("echoes a caller's request id and generates one otherwise", async () => {
    const given = await request(ctx.app).get("/face_api/v1/health").set("X-Request-Id", "robot-42.req-7");
    expect(given.headers["x-request-id"]).toBe("robot-42.req-7");
    const generated = await request(ctx.app).get("/face_api/v1/health");
    expect(generated.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("serves OpenAPI and interactive docs", async () => {
    const spec = await request(ctx.app).get("/face_api/v1/openapi.json");
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toBe("3.1.0");
    const docs = await request(ctx.app).get("/face_api/v1/docs");
    expect(docs.status).toBe(200);
    expect(docs.text).toContain("SwaggerUIBundle");
    const asset = await request(ctx.app).get("/face_api/v1/docs/assets/swagger-ui-bundle.js");
    expect(asset.status).toBe(200);
  });

  it("exposes Prometheus metrics by route", async () => {
    await request(ctx.app).get("/face_api/v1/health");
    const res = await request(ctx.app).get("/metrics");
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/http_requests_total\{[^}]*route="\/face_api\/v1\/health"/);
  });

  it("exposes inference metrics: time per image by outcome, queue wait, pool occupancy", async () => {
    const detect = await request(ctx.app)
      .post("/face_api/v1/detect")
      .set("Authorization", ctx.serviceAuth)
      .send({ image: b64(await faceCrop("alice")) });
    expect(detect.status).toBe(200);
    const res = await request(ctx.app).get("/metrics");
    const count = /face_inference_seconds_count\{[^}]*outcome="ok"[^}]*\} (\d+)/.exec(res.text);
    expect(Number(count?.[1])).toBeGreaterThanOrEqual(1);
    expect(res.text).toMatch(/face_inference_queue_wait_seconds_count\{[^}]*\} [1-9]/);
    expect(res.text).toMatch(/face_inference_queue_length\{[^}]*\} 0/);
    expect(res.text).toMatch(/face_inference_workers_busy\{[^}]*\} 0/);
  });

  it("renders unknown routes as a 404 detail", async () => {
    const res = await request(ctx.app).get("/face_api/v1/nope");
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: "Not Found" });
  });
});
