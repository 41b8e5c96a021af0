import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createLogger } from "@rail/common";
import { buildApp } from "./app.js";
import { readConfig } from "./config.js";

const logger = createLogger("frontend-test", "silent");

describe("frontend service", () => {
  it("is not ready until the web app is built, then serves it for any page route", async () => {
    const dist = mkdtempSync(path.join(tmpdir(), "web-"));
    const app = buildApp({ config: readConfig({ WEB_DIST_DIR: dist }), logger });
    expect((await request(app).get("/ready")).status).toBe(503);
    writeFileSync(path.join(dist, "index.html"), "<!doctype html><title>web</title>");
    expect((await request(app).get("/ready")).status).toBe(200);
    const page = await request(app).get("/tickets").set("Accept", "text/html");
    expect(page.status).toBe(200);
    expect(page.text).toContain("<title>web</title>");
  });

  it("serves runtime configuration for the browser", async () => {
    const app = buildApp({
      config: readConfig({ KEYCLOAK_PUBLIC_URL: "http://example.test/keycloak" }),
      logger,
    });
    const res = await request(app).get("/config.json");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      keycloakUrl: "http://example.test/keycloak",
      realm: "railway",
      clientId: "web",
    });
  });
});
