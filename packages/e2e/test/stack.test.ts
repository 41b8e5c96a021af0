import { beforeAll, describe, expect, it, test } from "vitest";
import { enableKeycloakTestClient, fileFixture, freePort, keycloakTestSettings } from "@rail/common/testing";
import { ENTRY, ENV, startServiceCopy, type ServiceCopy } from "./support.js";

const PUBLIC_URL = (ENV.RAIL_PUBLIC_URL ?? "http://localhost:8080").replace(/\/$/, "");
const REALM = ENV.KEYCLOAK_REALM ?? "railway";

const get = (p: string, init?: RequestInit) => fetch(`${ENTRY}${p}`, { redirect: "manual", ...init });

const APIS = [
  { name: "base", prefix: "/base_api/v1" },
  { name: "store", prefix: "/store_api/v1" },
  { name: "face", prefix: "/face_api/v1" },
];

describe("entry point (nginx)", () => {
  describe.each(APIS)("$name API", ({ prefix }) => {
    it("answers /health", async () => {
      const res = await get(`${prefix}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: "ok" });
    });

    it("answers /ready with every dependency up", async () => {
      const res = await get(`${prefix}/ready`);
      const body = await res.text();
      expect(res.status, body).toBe(200);
    });

    it("serves openapi.json", async () => {
      const res = await get(`${prefix}/openapi.json`);
      expect(res.status).toBe(200);
      const doc = (await res.json()) as { openapi?: string; paths?: object };
      expect(doc.openapi).toMatch(/^3\./);
      expect(doc.paths).toBeTypeOf("object");
    });

    it("serves the docs page", async () => {
      const res = await get(`${prefix}/docs`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/html");
    });
  });

  it("serves the web app at /", async () => {
    const res = await get("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
  });

  it("answers the frontend's /health and /ready", async () => {
    expect((await get("/health")).status).toBe(200);
    expect((await get("/ready")).status).toBe(200);
  });

  it("serves static files from services/frontend/static", async () => {
    const res = await get("/static/README.md");
    expect(res.status).toBe(200);
  });

  it("does not offer service-to-service routes through the entry point", async () => {
    // With the service token the services themselves would answer (an empty page; "User not found").
    const auth = { headers: { Authorization: `Bearer ${ENV.INTERNAL_SERVICE_TOKEN}` } };
    const someone = "00000000-0000-4000-8000-000000000000";
    const purchases = await get(`/store_api/v1/internal/users/${someone}/purchases`, auth);
    expect(purchases.status).toBe(404);
    const user = await get(`/base_api/v1/internal/users/${someone}`, auth);
    expect(user.status).toBe(404);
    expect(await user.json()).toEqual({ detail: "Not Found" });
  });

  it("does not expose /metrics", async () => {
    const res = await get("/metrics");
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("# HELP");
  });

  it("passes X-Request-Id through and generates one when absent", async () => {
    const given = await get("/base_api/v1/health", { headers: { "X-Request-Id": "e2e-request-id-1" } });
    expect(given.headers.get("x-request-id")).toBe("e2e-request-id-1");
    const generated = await get("/base_api/v1/health");
    expect(generated.headers.get("x-request-id")).toMatch(/\S{8,}/);
  });

  it("answers CORS preflights for the base API", async () => {
    const res = await get("/base_api/v1/health", {
      method: "OPTIONS",
      headers: { Origin: "http://example.test", "Access-Control-Request-Method": "POST" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBeTruthy();
  });
});

describe("keycloak behind /keycloak", () => {
  const issuer = `${PUBLIC_URL}/keycloak/realms/${REALM}`;
  beforeAll(() => enableKeycloakTestClient(keycloakTestSettings(ENV)));

  it("publishes the realm's OpenID configuration with the public issuer", async () => {
    const res = await get(`/keycloak/realms/${REALM}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const config = (await res.json()) as { issuer: string };
    expect(config.issuer).toBe(issuer);
  });

  it("issues tokens for the demo user with issuer, audience base-api and role passenger", async () => {
    const res = await get(`/keycloak/realms/${REALM}/protocol/openid-connect/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "password",
        client_id: "rail-test",
        username: "demo",
        password: "demo-passenger",
      }),
    });
    const body = (await res.json()) as { access_token?: string };
    expect(res.status, JSON.stringify(body)).toBe(200);
    const claims = JSON.parse(Buffer.from(body.access_token!.split(".")[1]!, "base64url").toString()) as {
      iss: string;
      aud: string | string[];
      realm_access?: { roles: string[] };
    };
    expect(claims.iss).toBe(issuer);
    expect([claims.aud].flat()).toContain(ENV.KEYCLOAK_API_CLIENT_ID ?? "base-api");
    expect(claims.realm_access?.roles).toContain("passenger");
  });
});

// A second copy of the base service on a spare port, with Redis pointing nowhere: /ready must say so.
const withDeadRedis = test.extend<{ base: ServiceCopy }>({
  base: fileFixture(
    async () => startServiceCopy("base", { REDIS_URL: `redis://127.0.0.1:${await freePort()}/0` }, "health"),
    (copy) => copy.stop(),
  ),
});

describe("readiness names a failing dependency", () => {
  // Its time includes starting the copy (the fixture): the hook time limit, not 30 s.
  withDeadRedis("answers 503 naming redis", { timeout: 120_000 }, async ({ base }) => {
    const res = await fetch(`${base.url}/ready`);
    const body = (await res.json()) as { detail?: string };
    expect(res.status).toBe(503);
    expect(body.detail).toMatch(/redis/i);
  });
});
