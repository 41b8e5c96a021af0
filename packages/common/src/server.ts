import type { Server } from "node:http";
import type { Express } from "express";
import type { Logger } from "pino";
import { ConfigError } from "./config.js";

export interface RunningServer {
  server: Server;
  close: () => Promise<void>;
}

/**
 * Listens and installs graceful shutdown: on SIGTERM/SIGINT stop accepting connections, let in-flight
 * requests finish (bounded), then release resources (DB pools, Redis) in `onShutdown`.
 */
export async function startServer(opts: {
  app: Express;
  port: number;
  host: string;
  logger: Logger;
  onShutdown?: () => Promise<void>;
  /** How long in-flight requests may take after a signal before their connections are cut. */
  shutdownTimeoutMs?: number;
  /**
   * After a signal the process exits by then whatever still hangs (a database pool waiting for connections that
   * will never come back must not keep a stopped service alive). Default: shutdownTimeoutMs + 5 s.
   */
  forceExitAfterMs?: number;
}): Promise<RunningServer> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = opts.app.listen(opts.port, opts.host, () => resolve(s));
    s.once("error", reject);
  });
  server.keepAliveTimeout = 65_000;
  opts.logger.info({ port: opts.port, host: opts.host }, "listening");

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      opts.logger.info("shutting down");
      const timer = setTimeout(() => server.closeAllConnections(), opts.shutdownTimeoutMs ?? 10_000);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      clearTimeout(timer);
      await opts.onShutdown?.();
      opts.logger.info("stopped");
    })());

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      const deadline = setTimeout(
        () => {
          opts.logger.error("shutdown did not finish in time, exiting");
          process.exit(1);
        },
        opts.forceExitAfterMs ?? (opts.shutdownTimeoutMs ?? 10_000) + 5_000,
      );
      deadline.unref();
      close().then(
        () => process.exit(0),
        (err: unknown) => {
          opts.logger.error({ err }, "error during shutdown");
          process.exit(1);
        },
      );
    });
  }
  return { server, close };
}

/** Entry-point wrapper: configuration errors print a readable list instead of a stack trace. */
export function runMain(main: () => Promise<unknown>): void {
  main().catch((err: unknown) => {
    if (err instanceof ConfigError) {
      console.error(err.message);
    } else {
      console.error("fatal:", err);
    }
    process.exit(1);
  });
}
