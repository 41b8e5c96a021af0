import { existsSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { privateNginx } from "../src/private-nginx.js";

/** The ceiling's nginx (real nginx, the repository's nginx.conf) in front of a plain HTTP server. */
describe("privateNginx", () => {
  it("proxies the API prefixes to the given port as the stack's nginx does, and is gone after stop", async () => {
    const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
    const upstream = createServer((req, res) => {
      seen.push({ url: req.url!, headers: req.headers });
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ status: "ok" }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    try {
      const nginx = await privateNginx((upstream.address() as AddressInfo).port);
      expect(existsSync(nginx.dir)).toBe(true);
      const before = seen.length; // privateNginx waited for an answer to /base_api/v1/health
      const health = await fetch(`${nginx.origin}/base_api/v1/health`);
      expect(health.status).toBe(200);
      // nginx.conf's own work is done: CORS headers on base's prefix, a request id for the upstream.
      expect(health.headers.get("access-control-allow-origin")).toBe("*");
      const purchase = await fetch(`${nginx.origin}/store_api/v1/robot/store/x/make_purchase`, {
        method: "POST",
        body: "{}",
        headers: { "content-type": "application/json" },
      });
      expect(purchase.status).toBe(200);
      // Internal routes are refused by nginx.conf, as on the stack's entry point: they never reach the upstream.
      expect((await fetch(`${nginx.origin}/base_api/v1/internal/users`)).status).toBe(404);
      expect(seen.slice(before).map((s) => s.url)).toEqual([
        "/base_api/v1/health",
        "/store_api/v1/robot/store/x/make_purchase",
      ]);
      expect(seen.at(-1)!.headers["x-request-id"]).toMatch(/^[0-9a-f]{32}$/);
      await nginx.stop();
      expect(existsSync(nginx.dir)).toBe(false);
      await expect(fetch(`${nginx.origin}/base_api/v1/health`)).rejects.toThrow();
    } finally {
      upstream.close();
    }
  });
});
