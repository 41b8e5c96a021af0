/**
 * A second nginx with the repository's own nginx.conf, in front of a process the bench started (the ceiling's bare
 * app): requests to it take the same proxy path as the stack's (same configuration, upstream keepalive, access log
 * to a file), so a ratio measured through it compares with the stack's through its nginx. Its prefix is a
 * temporary directory; `stop` ends it, waits for it to exit and removes the directory.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { mimeTypes, NGINX_TEMP_DIRS, renderUpstreams, withListenPort } from "@rail/common/nginx-conf";
import { REPO_ROOT } from "./env.js";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** nginx on 127.0.0.1:<port> sending `/base_api/` and `/store_api/` to `upstreamPort`. */
export async function privateNginx(
  upstreamPort: number,
): Promise<{ origin: string; dir: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-nginx-"));
  const conf = path.join(dir, "conf");
  mkdirSync(conf);
  for (const t of NGINX_TEMP_DIRS) mkdirSync(path.join(dir, "temp", t), { recursive: true });
  const port = await freePort();
  const nginxConf = readFileSync(path.join(REPO_ROOT, "nginx.conf"), "utf8");
  if (!/listen 8080;/.test(nginxConf))
    throw new Error("nginx.conf: no `listen 8080;` to move to another port");
  writeFileSync(path.join(conf, "nginx.conf"), withListenPort(nginxConf, `127.0.0.1:${port}`));
  // Base's and the store's paths go to the given process; the others are not used (port 9: nothing listens).
  writeFileSync(
    path.join(conf, "upstreams.conf"),
    renderUpstreams(
      { base: [upstreamPort], store: [upstreamPort], face: [9], frontend: [9], keycloak: [9] },
      "Written by the bench (packages/bench/src/private-nginx.ts) for its ceiling section.",
    ),
  );
  writeFileSync(path.join(conf, "mime.types"), mimeTypes());
  // `access_log /dev/stdout` needs a real file, as for the stack's nginx (scripts/lib/parts/nginx.mjs).
  const log = openSync(path.join(dir, "nginx.log"), "a");
  const globals = ["daemon off;", ...(process.getuid?.() === 0 ? ["user root;"] : [])];
  const child = spawn(
    "nginx",
    ["-p", dir, "-c", "conf/nginx.conf", "-e", "stderr", "-g", globals.join(" ")],
    {
      stdio: ["ignore", log, log],
    },
  );
  let stopping = false;
  const readLog = () => {
    try {
      return readFileSync(path.join(dir, "nginx.log"), "utf8");
    } catch {
      return "";
    }
  };
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => {
      if (!stopping) reject(new Error(`private nginx exited with ${code}: ${readLog()}`));
    }),
  );
  const origin = `http://127.0.0.1:${port}`;
  const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    stopping = true;
    child.kill("SIGTERM");
    await gone;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([exited, waitForAnswer(`${origin}/base_api/v1/health`)]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { origin, dir, stop };
}

async function waitForAnswer(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no answer from ${url}`);
}
