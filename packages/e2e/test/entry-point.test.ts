/**
 * nginx's own answers, with a private nginx running the repository's nginx.conf in front of a stub service (echoing
 * what it received) and closed ports standing for stopped services: nginx errors come in the services' JSON shape,
 * internal routes are refused in every spelling, and the client address is nginx's to tell.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@rail/common/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the nginx entry point (nginx.conf)", () => {
  let dir: string;
  let nginx: ChildProcess;
  let stub: Server;
  let entry: string;

  beforeAll(async () => {
    stub = createServer((req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ url: req.url, headers: req.headers }));
    });
    await new Promise<void>((resolve) => stub.listen(0, "127.0.0.1", resolve));
    const stubPort = (stub.address() as AddressInfo).port;
    const closed = await freePort();
    const port = await freePort();
    dir = mkdtempSync(path.join(tmpdir(), "rail-nginx-"));
    mkdirSync(path.join(dir, "conf"));
    for (const t of ["client_body", "proxy"]) mkdirSync(path.join(dir, "temp", t), { recursive: true });
    const conf = readFileSync(path.join(ROOT, "nginx.conf"), "utf8").replace(
      /listen 8080;/g,
      `listen ${port};`,
    );
    writeFileSync(path.join(dir, "conf", "nginx.conf"), conf);
    writeFileSync(path.join(dir, "conf", "mime.types"), "types { text/html html; }\n");
    const upstream = (name: string, p: number) =>
      `upstream rail_${name} { server 127.0.0.1:${p} max_fails=0; }\n`;
    writeFileSync(
      path.join(dir, "conf", "upstreams.conf"),
      upstream("base", stubPort) +
        upstream("store", stubPort) +
        upstream("face", closed) +
        upstream("frontend", stubPort) +
        upstream("keycloak", closed) +
        "client_body_temp_path temp/client_body;\nproxy_temp_path temp/proxy;\n",
    );
    symlinkSync(path.join(ROOT, "services", "frontend", "static"), path.join(dir, "static"));
    const globals = process.getuid?.() === 0 ? "daemon off; user root;" : "daemon off;";
    const log = openSync(path.join(dir, "nginx.log"), "a");
    nginx = spawn("nginx", ["-p", dir, "-c", "conf/nginx.conf", "-e", "stderr", "-g", globals], {
      stdio: ["ignore", log, log],
    });
    entry = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      if (
        await fetch(`${entry}/base_api/v1/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return;
      await sleep(50);
    }
    throw new Error(`nginx did not start: ${readFileSync(path.join(dir, "nginx.log"), "utf8")}`);
  });
  afterAll(async () => {
    nginx?.kill("SIGTERM");
    await new Promise((resolve) => nginx?.once("exit", resolve));
    stub?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const get = async (url: string, init?: RequestInit) => {
    const res = await fetch(entry + url, init);
    const text = await res.text();
    return { status: res.status, type: res.headers.get("content-type"), text, json: () => JSON.parse(text) };
  };

  it("refuses internal routes in every letter case and spelling, and never shows /metrics", async () => {
    for (const url of [
      "/base_api/v1/internal/users/x",
      "/base_api/v1/Internal/users/x",
      "/store_api/v1/INTERNAL/users/x/purchases",
      "/base_api//v1/internal/users/x",
      "/base_api/v1//internal/users/x",
      "/Base_Api/v1/internal/users/x",
      "/base_api/v1/%69nternal/users/x",
      "/metrics",
      "/METRICS",
      "/metrics/",
    ]) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(res.json(), url).toEqual({ detail: "Not Found" });
    }
  });

  it("answers an unknown API prefix with a JSON 404", async () => {
    const res = await get("/admin_api/v1/users");
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({ detail: "Not Found" });
  });

  it("answers for a stopped service with a JSON 503 naming it, not nginx's HTML page", async () => {
    const res = await get("/face_api/v1/health");
    expect(res.status).toBe(503);
    expect(res.type).toMatch(/application\/json/);
    expect(res.json()).toEqual({ detail: "Face service unavailable" });
  });

  it("answers an oversized body with a JSON 413", async () => {
    const res = await get("/store_api/v1/store/item", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "x".repeat(2 * 1024 * 1024),
    });
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({ detail: "Request body too large" });
  });

  it("tells the service the client's address itself, overwriting whatever the client claims", async () => {
    const res = await get("/base_api/v1/echo", {
      headers: { "x-forwarded-for": "203.0.113.7", "x-real-ip": "203.0.113.8" },
    });
    const headers = (res.json() as { headers: Record<string, string> }).headers;
    expect(headers["x-forwarded-for"]).toBe("127.0.0.1");
    expect(headers["x-real-ip"]).toBe("127.0.0.1");
  });
});
