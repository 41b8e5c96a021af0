import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { checkpoint, Interrupted, interruptLoad, measure } from "../src/load.js";

describe("Ctrl-C during a scenario", () => {
  it("stops the running load at once; the scenario then stops at its next checkpoint", async () => {
    const server = createServer((_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      expect(() => checkpoint()).not.toThrow();
      const started = performance.now();
      const running = measure({ url, connections: 2 }, { duration: 60, connections: 2 });
      setTimeout(interruptLoad, 300);
      await expect(running).rejects.toBeInstanceOf(Interrupted);
      // Far sooner than the 60 s asked for (the 1 s warm-up may still finish first).
      expect(performance.now() - started).toBeLessThan(20_000);
      expect(() => checkpoint()).toThrow(Interrupted);
      await expect(measure({ url }, { duration: 1, connections: 1 })).rejects.toBeInstanceOf(Interrupted);
    } finally {
      server.close();
    }
  }, 30_000);
});
