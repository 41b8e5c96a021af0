import express from "express";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "./logger.js";
import { startServer } from "./server.js";

describe("graceful shutdown", () => {
  afterEach(() => vi.restoreAllMocks());

  it("exits after the deadline even when releasing resources hangs (a pool waiting for lost connections)", async () => {
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    await startServer({
      app: express(),
      port: 0,
      host: "127.0.0.1",
      logger: createLogger("test", "silent"),
      shutdownTimeoutMs: 50,
      forceExitAfterMs: 300,
      onShutdown: () => new Promise<void>(() => {}),
    });
    process.emit("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(exit).toHaveBeenCalledWith(1);
  });
});
